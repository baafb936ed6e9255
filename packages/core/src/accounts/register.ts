import type { Role } from '@earshot/db';
import { validationFailed } from '../errors.ts';
import type { CoreDeps } from '../deps.ts';
import { normalizeDisplayName, normalizeEmail, normalizeHandle } from './fields.ts';
import { checkPasswordPolicy } from './password-policy.ts';
import { USER_COLUMNS, toAccountUser, type AccountUser } from './account-user.ts';
import { inUsersTransaction } from './unique-violation.ts';
import { issueAccountToken } from './account-tokens.ts';
import { link, verificationMail } from './mails.ts';
import { sendBestEffort } from './send-mail.ts';

export interface RegisterInput {
  email: string;
  password: string;
  handle: string;
  displayName?: string;
  role?: 'listener' | 'artist';
}

/**
 * Creates an account and signs it in. Everything is checked before anything is written; the user
 * row and its verification token are written in one transaction; the mail goes after commit.
 */
export async function register(
  deps: Pick<CoreDeps, 'db' | 'passwords' | 'tokens' | 'mailer' | 'clock' | 'publicUrl' | 'log'>,
  input: RegisterInput,
): Promise<{ user: AccountUser; token: string; expiresAt: Date }> {
  const email = normalizeEmail(input.email);
  const handle = normalizeHandle(input.handle);
  const displayName = normalizeDisplayName(input.displayName?.trim() ? input.displayName : handle);
  const role: Role = input.role ?? 'listener';
  if (role !== 'listener' && role !== 'artist') throw validationFailed('Role is listener or artist', { field: 'role' });
  checkPasswordPolicy(input.password, 'password', [handle, email.split('@')[0] ?? '']);
  const passwordHash = await deps.passwords.hash(input.password);
  const now = deps.clock();

  const { row, verifyToken } = await inUsersTransaction(deps.db, async (trx) => {
    const row = await trx
      .insertInto('users')
      .values({
        email,
        handle,
        display_name: displayName,
        role,
        password_hash: passwordHash,
        created_at: now,
        updated_at: now,
      })
      .returning([...USER_COLUMNS, 'token_version'])
      .executeTakeFirstOrThrow();
    const verifyToken = await issueAccountToken(trx, row.id, 'verify_email', now, email);
    return { row, verifyToken };
  });
  await sendBestEffort(
    deps,
    verificationMail(email, displayName, link(deps.publicUrl, '/verify-email', verifyToken)),
    'verify_email',
  );
  const session = await deps.tokens.sign({ userId: row.id, tokenVersion: row.token_version });
  return { user: toAccountUser(row), token: session.token, expiresAt: session.expiresAt };
}
