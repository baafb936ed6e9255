import { AppError, notFound } from '../errors.ts';
import type { CoreDeps } from '../deps.ts';
import { normalizeBio, normalizeDisplayName, normalizeHandle } from './fields.ts';
import { USER_COLUMNS, toAccountUser, toPublicProfile, type AccountUser, type PublicProfile } from './account-user.ts';
import { inUsersTransaction } from './unique-violation.ts';
import { forgetDownloadFiles } from '../commerce/stale-downloads.ts';

type Db = Pick<CoreDeps, 'db'>;

export async function getAccount(deps: Db, userId: string): Promise<AccountUser> {
  const row = await deps.db.selectFrom('users').select(USER_COLUMNS).where('id', '=', userId).executeTakeFirst();
  if (!row) throw notFound('User');
  return toAccountUser(row);
}

/** A public profile by handle (any case); disabled accounts are not shown. */
export async function getPublicProfile(deps: Db, handle: string): Promise<PublicProfile> {
  const h = handle.trim().toLowerCase();
  if (!/^[a-z0-9][a-z0-9_-]{1,29}$/.test(h)) throw notFound('User');
  const row = await deps.db
    .selectFrom('users')
    .select(['id', 'handle', 'display_name', 'bio', 'avatar_key', 'role', 'created_at'])
    .where('handle', '=', h)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw notFound('User');
  return toPublicProfile(row);
}

export interface ProfileChanges {
  handle?: string;
  displayName?: string;
  bio?: string;
}

/** Edits handle, display name and bio; every field is checked before the one UPDATE. */
export async function updateProfile(
  deps: Pick<CoreDeps, 'db' | 'clock'>,
  userId: string,
  changes: ProfileChanges,
): Promise<AccountUser> {
  const set: { handle?: string; display_name?: string; bio?: string } = {};
  if (changes.handle !== undefined) set.handle = normalizeHandle(changes.handle);
  if (changes.displayName !== undefined) set.display_name = normalizeDisplayName(changes.displayName);
  if (changes.bio !== undefined) set.bio = normalizeBio(changes.bio);
  if (Object.keys(set).length === 0) return getAccount(deps, userId);
  return inUsersTransaction(deps.db, async (trx) => {
    const before = await trx
      .selectFrom('users')
      .select('display_name')
      .where('id', '=', userId)
      .forUpdate()
      .executeTakeFirst();
    const row = await trx
      .updateTable('users')
      .set({ ...set, updated_at: deps.clock() })
      .where('id', '=', userId)
      .returning(USER_COLUMNS)
      .executeTakeFirst();
    if (!row || !before) throw notFound('User');
    // The artist tag of download files already made: made again with the new name.
    if (set.display_name !== undefined && set.display_name !== before.display_name)
      await forgetDownloadFiles(trx, { ownerId: userId });
    return toAccountUser(row);
  });
}

/** A listener turns artist (from settings). Artists and admins stay as they are. */
export async function becomeArtist(deps: Pick<CoreDeps, 'db' | 'clock'>, userId: string): Promise<AccountUser> {
  const row = await deps.db
    .updateTable('users')
    .set({ role: 'artist', updated_at: deps.clock() })
    .where('id', '=', userId)
    .where('role', '=', 'listener')
    .returning(USER_COLUMNS)
    .executeTakeFirst();
  return row ? toAccountUser(row) : getAccount(deps, userId);
}

export const cannotTargetSelf = () => new AppError(400, 'cannot_target_self', 'You cannot do this to your own account');
