import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { MailLogger, Mailer, MailMessage } from './mailer.ts';

/**
 * Without SMTP: every mail is logged (so its links can be followed from the console) and written
 * as a real RFC 5322 message to `<dir>/<timestamp>-<to>.eml`, which any mail client opens.
 */
export class FileMailer implements Mailer {
  readonly kind = 'file' as const;
  private readonly builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  private seq = 0;

  constructor(
    readonly dir: string,
    private readonly from: string,
    private readonly logger: MailLogger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async send(message: MailMessage): Promise<void> {
    const info = await this.builder.sendMail({
      from: this.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
    });
    const raw = (info as unknown as { message: Buffer }).message;
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const stamp = this.now().toISOString().replace(/[:.]/g, '-');
    const file = path.join(this.dir, `${stamp}-${String(this.seq++).padStart(4, '0')}-${safeName(message.to)}.eml`);
    await writeFile(file, raw, { mode: 0o600 });
    this.logger.info(
      { mail: { to: message.to, subject: message.subject, file, text: message.text } },
      'mail written to file (no SMTP configured)',
    );
  }

  async close(): Promise<void> {
    this.builder.close();
  }
}

/** An address as a file-name part: letters, digits, `@._-` only. */
function safeName(address: string): string {
  return address
    .toLowerCase()
    .replace(/[^a-z0-9@._-]+/g, '_')
    .slice(0, 100);
}
