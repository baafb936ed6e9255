import { randomBytes } from 'node:crypto';
import { AppError } from '../errors.ts';
import type { CoreDeps } from '../deps.ts';
import { USER_COLUMNS, toAccountUser, type AccountUser } from './account-user.ts';
import { EMAIL_MAX } from './fields.ts';
import { assertNotLocked, clearLoginFailures, recordLoginFailure } from './login-lockout.ts';

export const accountDisabled = () =>
  new AppError(403, 'account_disabled', 'This account has been disabled by the site’s operators');
export const invalidCredentials = () =>
  new AppError(401, 'invalid_credentials', 'The email address or password is wrong');

let dummyHash: Promise<string> | undefined;

/**
 * Signs in with email and password. Unknown addresses cost the same argon2 verification as known
 * ones (against a throw-away hash), so timing does not reveal which addresses have accounts.
 * A hash made with older parameters is replaced on success.
 */
export async function login(
  deps: Pick<CoreDeps, 'db' | 'passwords' | 'tokens' | 'limiter'>,
  input: { email: string; password: string },
): Promise<{ user: AccountUser; token: string; expiresAt: Date }> {
  const email = input.email.normalize('NFKC').trim().toLowerCase().slice(0, EMAIL_MAX);
  await assertNotLocked(deps.limiter, email);
  const row = email
    ? await deps.db
        .selectFrom('users')
        .select([...USER_COLUMNS, 'password_hash', 'token_version', 'disabled_at'])
        .where((eb) => eb(eb.fn('lower', ['email']), '=', email))
        .executeTakeFirst()
    : undefined;
  let ok: boolean;
  if (row) ok = await deps.passwords.verify(row.password_hash, input.password);
  else {
    dummyHash ??= deps.passwords.hash(randomBytes(16).toString('hex'));
    await deps.passwords.verify(await dummyHash, input.password);
    ok = false;
  }
  if (!row || !ok) {
    await recordLoginFailure(deps.limiter, email);
    throw invalidCredentials();
  }
  if (row.disabled_at) throw accountDisabled();
  await clearLoginFailures(deps.limiter, email);
  if (deps.passwords.needsRehash(row.password_hash)) {
    await deps.db
      .updateTable('users')
      .set({ password_hash: await deps.passwords.hash(input.password) })
      .where('id', '=', row.id)
      .execute();
  }
  const session = await deps.tokens.sign({ userId: row.id, tokenVersion: row.token_version });
  return { user: toAccountUser(row), token: session.token, expiresAt: session.expiresAt };
}
