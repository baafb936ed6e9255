import { AppError, notFound } from '../errors.ts';
import type { CoreDeps } from '../deps.ts';
import { normalizeEmail } from './fields.ts';
import { checkPasswordPolicy } from './password-policy.ts';
import { USER_COLUMNS, toAccountUser, type AccountUser } from './account-user.ts';
import { issueAccountToken } from './account-tokens.ts';
import { inUsersTransaction } from './unique-violation.ts';
import { emailChangedMail, link, verificationMail } from './mails.ts';
import { sendBestEffort } from './send-mail.ts';

const wrongPassword = () =>
  new AppError(400, 'wrong_password', 'Your current password is not right', { field: 'currentPassword' });

async function checkCurrentPassword(deps: Pick<CoreDeps, 'db' | 'passwords'>, userId: string, password: string) {
  const row = await deps.db
    .selectFrom('users')
    .select(['id', 'email', 'handle', 'display_name', 'password_hash'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!row) throw notFound('User');
  if (!(await deps.passwords.verify(row.password_hash, password))) throw wrongPassword();
  return row;
}

/**
 * Changes the password (the current one is required) and revokes every session; the caller gets
 * a fresh token for this device so it stays signed in.
 */
export async function changePassword(
  deps: Pick<CoreDeps, 'db' | 'passwords' | 'tokens' | 'clock'>,
  userId: string,
  input: { currentPassword: string; newPassword: string },
): Promise<{ token: string; expiresAt: Date }> {
  const user = await checkCurrentPassword(deps, userId, input.currentPassword);
  checkPasswordPolicy(input.newPassword, 'newPassword', [user.handle, user.email.split('@')[0] ?? '']);
  const hash = await deps.passwords.hash(input.newPassword);
  const row = await deps.db
    .updateTable('users')
    .set((eb) => ({ password_hash: hash, token_version: eb('token_version', '+', 1), updated_at: deps.clock() }))
    .where('id', '=', userId)
    .returning('token_version')
    .executeTakeFirstOrThrow();
  return deps.tokens.sign({ userId, tokenVersion: row.token_version });
}

/**
 * Changes the email address (the password is required): the new address is unverified until its
 * link is followed, and the old address is told about the change.
 */
export async function changeEmail(
  deps: Pick<CoreDeps, 'db' | 'passwords' | 'mailer' | 'clock' | 'publicUrl' | 'log'>,
  userId: string,
  input: { password: string; email: string },
): Promise<AccountUser> {
  const email = normalizeEmail(input.email);
  const before = await checkCurrentPassword(deps, userId, input.password);
  if (before.email.toLowerCase() === email) {
    const same = await deps.db
      .selectFrom('users')
      .select(USER_COLUMNS)
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    return toAccountUser(same);
  }
  const now = deps.clock();
  const result = await inUsersTransaction(deps.db, async (trx) => {
    const row = await trx
      .updateTable('users')
      .set({ email, email_verified_at: null, updated_at: now })
      .where('id', '=', userId)
      .returning(USER_COLUMNS)
      .executeTakeFirstOrThrow();
    const token = await issueAccountToken(trx, userId, 'verify_email', now, email);
    return { row, token };
  });
  await sendBestEffort(
    deps,
    verificationMail(email, result.row.display_name, link(deps.publicUrl, '/verify-email', result.token)),
    'verify_email',
  );
  await sendBestEffort(deps, emailChangedMail(before.email, before.display_name, email), 'email_changed');
  return toAccountUser(result.row);
}
