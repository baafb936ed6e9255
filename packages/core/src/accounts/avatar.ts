import { randomBytes } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import { keys } from '@earshot/storage';
import { notFound, payloadTooLarge, unprocessable } from '../errors.ts';
import type { CoreDeps } from '../deps.ts';
import { USER_COLUMNS, toAccountUser, type AccountUser } from './account-user.ts';

/** Largest accepted avatar upload (the HTTP layer enforces it while receiving). */
export const AVATAR_MAX_BYTES = 10 * 1024 * 1024;
/** Square sizes written, in pixels: the profile header and small uses (header, comments). */
export const AVATAR_SIZES = [512, 128] as const;
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'avif', 'heif', 'tiff']);
/** Decompression bombs: a 10 MB PNG can claim billions of pixels. */
const MAX_INPUT_PIXELS = 40_000_000;

const notAnImage = (why = 'The file is not an image we can read (use JPEG, PNG, WebP, GIF or AVIF)') => unprocessable('invalid_image', why, { field: 'avatar' });
const avatarTooLarge = () => payloadTooLarge('An avatar is at most 10 MB', { field: 'avatar' });

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
 * Replaces the user's avatar. The bytes are decoded by sharp (so only real images pass, whatever
 * their name or declared type), auto-rotated per EXIF, cropped square and written as WebP in
 * AVATAR_SIZES (metadata such as GPS is not copied). The new objects are stored first, then the
 * row points at them, then the old objects are deleted; if the row update fails the new objects
 * are removed, so no object is orphaned either way.
 */
export async function setAvatar(deps: Pick<CoreDeps, 'db' | 'store' | 'clock'>, userId: string, image: Buffer): Promise<AccountUser> {
  if (image.length === 0) throw notAnImage('The file is empty');
  if (image.length > AVATAR_MAX_BYTES) throw avatarTooLarge();
  let meta: Metadata;
  try {
    meta = await sharp(image, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  } catch {
    throw notAnImage();
  }
  if (!meta.format || !ACCEPTED_FORMATS.has(meta.format) || !meta.width || !meta.height) throw notAnImage();
  if (meta.width * meta.height > MAX_INPUT_PIXELS) throw notAnImage('The image has too many pixels (at most 40 megapixels)');

  const outputs: Array<{ key: string; body: Buffer }> = [];
  const stamp = `${deps.clock().getTime().toString(36)}${randomBytes(3).toString('hex')}`;
  try {
    for (const size of AVATAR_SIZES) {
      const body = await sharp(image, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
        .rotate()
        .resize(size, size, { fit: 'cover', position: 'attention' })
        .webp({ quality: 82 })
        .toBuffer();
      outputs.push({ key: keys.avatar(userId, stamp, size, 'webp'), body });
    }
  } catch {
    throw notAnImage('The image could not be decoded');
  }

  const before = await deps.db.selectFrom('users').select('avatar_key').where('id', '=', userId).executeTakeFirst();
  if (!before) throw notFound('User');
  const written: string[] = [];
  try {
    for (const o of outputs) {
      await deps.store.put('images', o.key, o.body, { contentType: 'image/webp', contentLength: o.body.length });
      written.push(o.key);
    }
    const row = await deps.db.updateTable('users').set({ avatar_key: outputs[0]!.key, updated_at: deps.clock() }).where('id', '=', userId).returning(USER_COLUMNS).executeTakeFirstOrThrow();
    if (before.avatar_key) await deleteQuietly(deps, avatarKeys(before.avatar_key));
    return toAccountUser(row);
  } catch (err) {
    await deleteQuietly(deps, written);
    throw err;
  }
}

/** Removes the avatar (row first, then the objects). */
export async function removeAvatar(deps: Pick<CoreDeps, 'db' | 'store' | 'clock'>, userId: string): Promise<AccountUser> {
  const before = await deps.db.selectFrom('users').select('avatar_key').where('id', '=', userId).executeTakeFirst();
  if (!before) throw notFound('User');
  const row = await deps.db.updateTable('users').set({ avatar_key: null, updated_at: deps.clock() }).where('id', '=', userId).returning(USER_COLUMNS).executeTakeFirstOrThrow();
  if (before.avatar_key) await deleteQuietly(deps, avatarKeys(before.avatar_key));
  return toAccountUser(row);
}

async function deleteQuietly(deps: Pick<CoreDeps, 'store'>, objectKeys: string[]): Promise<void> {
  await Promise.all(objectKeys.map((k) => deps.store.delete('images', k).catch(() => undefined)));
}
