import { randomBytes } from 'node:crypto';
import { badRequest } from '../errors.ts';
import type { CoreDeps } from '../deps.ts';
import { HANDLE_PATTERN, normalizeEmail } from './fields.ts';
import { RESERVED_HANDLES } from './reserved-handles.ts';
import { USER_COLUMNS, toAccountUser, updateAccount, type AccountUser } from './account-user.ts';
import { issueAccountToken } from './account-tokens.ts';
import { link } from './mails.ts';
import { cannotTargetSelf } from './profile.ts';

/** Disables an account: it can no longer sign in, and its sessions end at once. */
export async function disableUser(
  deps: Pick<CoreDeps, 'db' | 'clock'>,
  adminId: string,
  userId: string,
): Promise<AccountUser> {
  if (adminId === userId) throw cannotTargetSelf();
  const now = deps.clock();
  return updateAccount(deps.db, userId, (eb) => ({
    disabled_at: eb.fn.coalesce('disabled_at', eb.val(now)),
    token_version: eb('token_version', '+', 1),
    updated_at: now,
  }));
}

export async function enableUser(deps: Pick<CoreDeps, 'db' | 'clock'>, userId: string): Promise<AccountUser> {
  return updateAccount(deps.db, userId, { disabled_at: null, updated_at: deps.clock() });
}

/** A free handle made from an email's local part (`ana.lopez@…` → `ana-lopez`, `ana-lopez-2`, …). */
async function freeHandleFor(deps: Pick<CoreDeps, 'db'>, email: string): Promise<string> {
  let base = (email.split('@')[0] ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '')
    .slice(0, 24);
  if (base.length < 2 || RESERVED_HANDLES.has(base)) base = `admin-${base || 'user'}`.slice(0, 24).replace(/-+$/, '');
  for (let i = 1; i < 1000; i++) {
    const candidate = i === 1 ? base : `${base}-${i}`;
    if (!HANDLE_PATTERN.test(candidate) || RESERVED_HANDLES.has(candidate)) continue;
    const taken = await deps.db.selectFrom('users').select('id').where('handle', '=', candidate).executeTakeFirst();
    if (!taken) return candidate;
  }
  return `admin-${randomBytes(4).toString('hex')}`;
}

/**
 * `npm run admin:create -- <email>`: promotes the account with that address to admin, or creates
 * one. A new account gets an unguessable password that nobody knows (no default password ever):
 * the operator receives a one-time reset link (valid one hour) to choose it. An existing admin
 * also gets a link, which is how a locked-out operator recovers.
 */
export async function createOrPromoteAdmin(
  deps: Pick<CoreDeps, 'db' | 'passwords' | 'clock' | 'publicUrl'>,
  emailInput: string,
): Promise<{ user: AccountUser; created: boolean; promoted: boolean; resetUrl: string }> {
  const email = normalizeEmail(emailInput);
  const now = deps.clock();
  const existing = await deps.db
    .selectFrom('users')
    .select(['id', 'role'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email))
    .executeTakeFirst();
  let userId: string;
  let created = false;
  let promoted = false;
  if (existing) {
    userId = existing.id;
    if (existing.role !== 'admin') {
      await deps.db
        .updateTable('users')
        .set({ role: 'admin', disabled_at: null, updated_at: now })
        .where('id', '=', userId)
        .execute();
      promoted = true;
    }
  } else {
    const handle = await freeHandleFor(deps, email);
    const unusable = await deps.passwords.hash(randomBytes(32).toString('base64url'));
    const row = await deps.db
      .insertInto('users')
      .values({
        email,
        handle,
        display_name: handle,
        role: 'admin',
        password_hash: unusable,
        email_verified_at: now,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    userId = row.id;
    created = true;
  }
  const token = await issueAccountToken(deps.db, userId, 'reset_password', now);
  const user = await deps.db
    .selectFrom('users')
    .select(USER_COLUMNS)
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  if (user.role !== 'admin') throw badRequest('Promotion failed');
  return { user: toAccountUser(user), created, promoted, resetUrl: link(deps.publicUrl, '/reset-password', token) };
}
