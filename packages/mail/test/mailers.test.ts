import { readdir, readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { describe, expect, it } from 'vitest';
import { temporaryFolders } from '../../../test/support/temp-dirs.ts';
import { FileMailer, SmtpMailer, createMailer } from '../src/index.ts';

const newFolder = temporaryFolders('earshot-mail-');

describe('FileMailer (no SMTP)', () => {
  it('writes a real .eml named after time and recipient, and logs the text', async () => {
    const dir = await newFolder();
    const logged: Array<Record<string, unknown>> = [];
    const mailer = createMailer({
      mailFrom: 'Earshot <noreply@example.test>',
      dataDir: dir,
      logger: { info: (o) => logged.push(o) },
    });
    expect(mailer).toBeInstanceOf(FileMailer);
    await mailer.send({
      to: 'Ana+x@Example.test',
      subject: 'Verify your email',
      text: 'Open http://localhost/verify?token=abc',
    });
    const files = await readdir(path.join(dir, 'mail'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{4}-\d{2}-\d{2}T[\d-]+Z-0000-ana_x@example.test\.eml$/);
    const parsed = await simpleParser(await readFile(path.join(dir, 'mail', files[0]!)));
    expect(parsed.subject).toBe('Verify your email');
    expect(parsed.text).toContain('token=abc');
    expect(logged[0]).toMatchObject({ mail: { to: 'Ana+x@Example.test', subject: 'Verify your email' } });
    await mailer.close();
  });
});

describe('SmtpMailer against a real SMTP server on loopback', () => {
  it('delivers with AUTH; the server receives the message as sent', async () => {
    const received: Buffer[] = [];
    const server = new SMTPServer({
      secure: false,
      hideSTARTTLS: true,
      allowInsecureAuth: true,
      onAuth(auth, _session, cb) {
        if (auth.username === 'mailer' && auth.password === 's3cret') cb(null, { user: 'mailer' });
        else cb(new Error('bad credentials'));
      },
      onData(stream, _session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push(Buffer.concat(chunks));
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as AddressInfo).port;
    const mailer = new SmtpMailer({
      host: '127.0.0.1',
      port,
      user: 'mailer',
      pass: 's3cret',
      from: 'Earshot <noreply@example.test>',
    });
    try {
      await mailer.send({
        to: 'listener@example.test',
        subject: 'Reset your password',
        text: 'Link: http://localhost/reset?token=xyz',
        html: '<p>Link</p>',
      });
      expect(received).toHaveLength(1);
      const parsed = await simpleParser(received[0]!);
      expect(parsed.subject).toBe('Reset your password');
      expect(parsed.from?.text).toContain('noreply@example.test');
      expect(parsed.text).toContain('token=xyz');

      const wrong = new SmtpMailer({
        host: '127.0.0.1',
        port,
        user: 'mailer',
        pass: 'nope',
        from: 'noreply@example.test',
      });
      await expect(wrong.send({ to: 'a@example.test', subject: 's', text: 't' })).rejects.toThrow();
      await wrong.close();
    } finally {
      await mailer.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
