import path from 'node:path';
import { FileMailer } from './file-mailer.ts';
import { SmtpMailer, type SmtpSettings } from './smtp-mailer.ts';
import type { MailLogger, Mailer } from './mailer.ts';

export type { Mailer, MailMessage, MailLogger } from './mailer.ts';
export { SmtpMailer, type SmtpSettings } from './smtp-mailer.ts';
export { FileMailer } from './file-mailer.ts';

/** SMTP when `smtp` is configured; otherwise the log and `<dataDir>/mail/`. */
export function createMailer(options: {
  smtp?: SmtpSettings;
  mailFrom: string;
  dataDir: string;
  logger: MailLogger;
}): Mailer {
  if (options.smtp) return new SmtpMailer(options.smtp);
  return new FileMailer(path.join(options.dataDir, 'mail'), options.mailFrom, options.logger);
}
