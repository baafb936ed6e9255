import { unauthorized } from '../errors.ts';
import type { CoreDeps } from '../deps.ts';
import { consumeAccountToken, invalidLink, issueAccountToken } from './account-tokens.ts';
import { link, verificationMail } from './mails.ts';
import { sendBestEffort } from './send-mail.ts';

type Deps = Pick<CoreDeps, 'db' | 'mailer' | 'clock' | 'publicUrl' | 'log'>;

/** Mails a verification link for the user's current address (nothing when already verified). */
export async function sendEmailVerification(deps: Deps, userId: string): Promise<{ sent: boolean }> {
  const user = await deps.db
    .selectFrom('users')
    .select(['id', 'email', 'display_name', 'email_verified_at', 'disabled_at'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user || user.disabled_at) throw unauthorized();
  if (user.email_verified_at) return { sent: false };
  const token = await issueAccountToken(deps.db, user.id, 'verify_email', deps.clock(), user.email);
  const sent = await sendBestEffort(
    deps,
    verificationMail(user.email, user.display_name, link(deps.publicUrl, '/verify-email', token)),
    'verify_email',
  );
  return { sent };
}

/** Follows a verification link: single use, expiring, and only for the address it was sent to. */
export async function verifyEmail(deps: Pick<CoreDeps, 'db' | 'clock'>, token: string): Promise<{ userId: string }> {
  const now = deps.clock();
  return deps.db.transaction().execute(async (trx) => {
    const t = await consumeAccountToken(trx, 'verify_email', token, now);
    const updated = await trx
      .updateTable('users')
      .set({ email_verified_at: now, updated_at: now })
      .where('id', '=', t.userId)
      .where((eb) => eb(eb.fn('lower', ['email']), '=', (t.email ?? '').toLowerCase()))
      .where('disabled_at', 'is', null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw invalidLink();
    return { userId: t.userId };
  });
}
