import type { CoreDeps } from '../deps.ts';
import { consumeAccountToken, invalidLink, issueAccountToken } from './account-tokens.ts';
import { checkPasswordPolicy } from './password-policy.ts';
import { clearLoginFailures } from './login-lockout.ts';
import { link, resetMail } from './mails.ts';
import { sendBestEffort } from './send-mail.ts';

/**
 * "Forgot password": mails a one-hour, single-use link when the address has an active account.
 * The answer is the same either way (no account enumeration); only the mail differs.
 */
export async function requestPasswordReset(
  deps: Pick<CoreDeps, 'db' | 'mailer' | 'clock' | 'publicUrl' | 'log'>,
  emailInput: string,
): Promise<void> {
  const email = emailInput.normalize('NFKC').trim().toLowerCase();
  if (!email || email.length > 320) return;
  const user = await deps.db
    .selectFrom('users')
    .select(['id', 'email', 'display_name', 'disabled_at'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email))
    .executeTakeFirst();
  if (!user || user.disabled_at) return;
  const token = await issueAccountToken(deps.db, user.id, 'reset_password', deps.clock());
  await sendBestEffort(
    deps,
    resetMail(user.email, user.display_name, link(deps.publicUrl, '/reset-password', token)),
    'reset_password',
  );
}

/**
 * Sets a new password from a reset link. The policy is checked before the token is spent, so a
 * refused password leaves the link usable. The token, the hash and `token_version` (signing out
 * every session) change in one transaction. Following the mailed link also proves the address.
 */
export async function resetPassword(
  deps: Pick<CoreDeps, 'db' | 'passwords' | 'clock' | 'limiter'>,
  input: { token: string; password: string },
): Promise<void> {
  checkPasswordPolicy(input.password, 'password');
  const hash = await deps.passwords.hash(input.password);
  const now = deps.clock();
  const email = await deps.db.transaction().execute(async (trx) => {
    const t = await consumeAccountToken(trx, 'reset_password', input.token, now);
    const user = await trx
      .updateTable('users')
      .set((eb) => ({
        password_hash: hash,
        token_version: eb('token_version', '+', 1),
        email_verified_at: eb.fn.coalesce('email_verified_at', eb.val(now)),
        updated_at: now,
      }))
      .where('id', '=', t.userId)
      .where('disabled_at', 'is', null)
      .returning('email')
      .executeTakeFirst();
    if (!user) throw invalidLink();
    return user.email;
  });
  await clearLoginFailures(deps.limiter, email.toLowerCase());
}
