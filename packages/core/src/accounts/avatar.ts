import { randomBytes } from 'node:crypto';
import { keys } from '@earshot/storage';
import { notFound } from '../errors.ts';
import type { CoreDeps } from '../deps.ts';
import { IMAGE_MAX_BYTES, renderSquareImage } from '../images/square-image.ts';
import { updateAccount, type AccountUser } from './account-user.ts';

/** Largest accepted avatar upload (the HTTP layer enforces it while receiving). */
export const AVATAR_MAX_BYTES = IMAGE_MAX_BYTES;
/** Square sizes written, in pixels: the profile header and small uses (header, comments). */
export const AVATAR_SIZES = [512, 128] as const;
/** The keys of every size of an avatar, from the stored (largest) key. */
export function avatarKeys(avatarKey: string): string[] {
  const m = /^(.*)-(\d+)\.webp$/.exec(avatarKey);
  return m ? AVATAR_SIZES.map((s) => `${m[1]}-${s}.webp`) : [avatarKey];
}

/** The key of one size of an avatar (`size` from AVATAR_SIZES). */
export function avatarKeyOfSize(avatarKey: string, size: number): string {
  return avatarKey.replace(/-\d+\.webp$/, `-${size}.webp`);
}

/**
 * Replaces the user's avatar, rendered by the image rule (images/square-image.ts) in AVATAR_SIZES. The new objects are stored first, then the
 * row points at them, then the old objects are deleted; if the row update fails the new objects
 * are removed, so no object is orphaned either way.
 */
export async function setAvatar(
  deps: Pick<CoreDeps, 'db' | 'store' | 'clock'>,
  userId: string,
  image: Buffer,
): Promise<AccountUser> {
  const stamp = `${deps.clock().getTime().toString(36)}${randomBytes(3).toString('hex')}`;
  const outputs = (await renderSquareImage(image, AVATAR_SIZES, 'avatar', 'An avatar')).map((o) => ({
    key: keys.avatar(userId, stamp, o.size, 'webp'),
    body: o.body,
  }));

  const before = await deps.db.selectFrom('users').select('avatar_key').where('id', '=', userId).executeTakeFirst();
  if (!before) throw notFound('User');
  const written: string[] = [];
  try {
    for (const o of outputs) {
      await deps.store.put('images', o.key, o.body, { contentType: 'image/webp', contentLength: o.body.length });
      written.push(o.key);
    }
    const user = await updateAccount(deps.db, userId, { avatar_key: outputs[0]!.key, updated_at: deps.clock() });
    if (before.avatar_key) await deleteQuietly(deps, avatarKeys(before.avatar_key));
    return user;
  } catch (err) {
    await deleteQuietly(deps, written);
    throw err;
  }
}

/** Removes the avatar (row first, then the objects). */
export async function removeAvatar(
  deps: Pick<CoreDeps, 'db' | 'store' | 'clock'>,
  userId: string,
): Promise<AccountUser> {
  const before = await deps.db.selectFrom('users').select('avatar_key').where('id', '=', userId).executeTakeFirst();
  if (!before) throw notFound('User');
  const user = await updateAccount(deps.db, userId, { avatar_key: null, updated_at: deps.clock() });
  if (before.avatar_key) await deleteQuietly(deps, avatarKeys(before.avatar_key));
  return user;
}

async function deleteQuietly(deps: Pick<CoreDeps, 'store'>, objectKeys: string[]): Promise<void> {
  await Promise.all(objectKeys.map((k) => deps.store.delete('images', k).catch(() => undefined)));
}
