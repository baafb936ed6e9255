import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { AccountTokenPurpose, Database } from '@earshot/db';
import { AppError } from '../errors.ts';

export const TOKEN_TTL_MS: Record<AccountTokenPurpose, number> = {
  verify_email: 48 * 3600_000,
  reset_password: 3600_000,
};

export const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');

export const invalidLink = () =>
  new AppError(400, 'invalid_token', 'This link is invalid, has expired or was already used', { field: 'token' });

/**
 * A new single-use token for a mailed link: 32 random bytes (base64url) go in the link, only
 * their SHA-256 is stored. A new reset link cancels the user's earlier unused ones.
 */
export async function issueAccountToken(
  db: Kysely<Database> | Transaction<Database>,
  userId: string,
  purpose: AccountTokenPurpose,
  now: Date,
  email: string | null = null,
): Promise<string> {
  const raw = randomBytes(32).toString('base64url');
  if (purpose === 'reset_password') {
    await db
      .updateTable('account_tokens')
      .set({ used_at: now })
      .where('user_id', '=', userId)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .execute();
  }
  await db
    .insertInto('account_tokens')
    .values({
      user_id: userId,
      purpose,
      token_hash: sha256Hex(raw),
      email,
      expires_at: new Date(now.getTime() + TOKEN_TTL_MS[purpose]),
    })
    .execute();
  return raw;
}

/**
 * Marks the token used and returns its row, in one statement, so two requests racing with the
 * same link cannot both succeed. Unknown, used and expired tokens all get the same 400.
 */
export async function consumeAccountToken(
  db: Kysely<Database> | Transaction<Database>,
  purpose: AccountTokenPurpose,
  raw: string,
  now: Date,
): Promise<{ userId: string; email: string | null }> {
  if (!/^[\w-]{20,100}$/.test(raw)) throw invalidLink();
  const row = await db
    .updateTable('account_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', sha256Hex(raw))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['user_id', 'email'])
    .executeTakeFirst();
  if (!row) throw invalidLink();
  return { userId: row.user_id, email: row.email };
}
