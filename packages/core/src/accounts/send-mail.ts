import type { MailMessage } from '@earshot/mail';
import type { CoreDeps } from '../deps.ts';

/**
 * Sends without failing the request: the account change is already committed, and the user can
 * ask for another mail. The failure is logged for the operator.
 */
export async function sendBestEffort(
  deps: Pick<CoreDeps, 'mailer' | 'log'>,
  message: MailMessage,
  what: string,
): Promise<boolean> {
  try {
    await deps.mailer.send(message);
    return true;
  } catch (err) {
    deps.log?.warn({ err, mail: what }, 'sending mail failed');
    return false;
  }
}
