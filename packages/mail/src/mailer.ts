/** One outgoing mail. Plain text always; HTML optional. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/** Mail port: SMTP in production, a folder + the log without SMTP (embedded mode, development). */
export interface Mailer {
  readonly kind: 'smtp' | 'file';
  /** Resolves once the mail is accepted (by the SMTP server, or written to disk). */
  send(message: MailMessage): Promise<void>;
  close(): Promise<void>;
}

/** The little of pino the mailers use (so this package does not depend on the runtime). */
export interface MailLogger {
  info(obj: Record<string, unknown>, msg: string): void;
}
