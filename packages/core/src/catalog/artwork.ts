import type { Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import { keys, unguessableToken, type ObjectStore } from '@earshot/storage';
import type { Actor } from '../actor.ts';
import { renderSquareImage } from '../images/square-image.ts';
import { ownedTrack } from './edit-track.ts';
import { ownedRelease } from '../releases/owned-release.ts';

/** Square sizes of uploaded artwork, as extracted cover art (the track page, cards). */
export const ARTWORK_UPLOAD_SIZES = [1000, 300] as const;

export interface ArtworkDeps {
  db: Kysely<Database>;
  store: Pick<ObjectStore, 'put' | 'deletePrefix' | 'delete'>;
  clock: () => Date;
}

/** The largest key is stored; other sizes differ only by the size before `.webp`. */
export function artworkKeyOfSize(key: string, size: number): string {
  return key.replace(/-\d+\.webp$/, `-${size}.webp`);
}

/** The artwork of a track or a release: its folder, and the key of each size in it. */
const ARTWORK_KEYS = {
  tracks: { folder: keys.trackArtworkPrefix, key: keys.trackArtwork },
  releases: { folder: keys.releaseArtworkPrefix, key: keys.releaseArtwork },
} as const;

/**
 * Writes `image` under a fresh unguessable folder of the track or release, points its row at it,
 * then removes the previous files; if that fails the new files go. Never an orphan either way.
 * Only files of the row's own folder are removed: a cover extracted from a track's audio file is
 * the version's, not this folder's, and stays.
 */
export async function replaceArtwork(
  deps: ArtworkDeps,
  table: 'tracks' | 'releases',
  id: string,
  image: Buffer,
): Promise<string> {
  const { folder, key: keyOf } = ARTWORK_KEYS[table];
  const rendered = await renderSquareImage(image, ARTWORK_UPLOAD_SIZES, 'artwork', 'Artwork');
  const token = unguessableToken();
  const written: string[] = [];
  try {
    for (const r of rendered) {
      const key = keyOf(id, token, r.size);
      await deps.store.put('images', key, r.body, { contentType: 'image/webp', contentLength: r.body.length });
      written.push(key);
    }
    const previous = await swapArtworkKey(deps, table, id, written[0]!);
    if (previous?.startsWith(folder(id)))
      await Promise.all(
        ARTWORK_UPLOAD_SIZES.map((s) =>
          deps.store.delete('images', artworkKeyOfSize(previous, s)).catch(() => undefined),
        ),
      );
    return written[0]!;
  } catch (err) {
    await Promise.all(written.map((k) => deps.store.delete('images', k).catch(() => undefined)));
    throw err;
  }
}

/** Points the row of `table` at its new artwork; returns the key it had. */
async function swapArtworkKey(
  deps: Pick<ArtworkDeps, 'db' | 'clock'>,
  table: 'tracks' | 'releases',
  id: string,
  key: string,
): Promise<string | null> {
  const before = await deps.db.selectFrom(table).select('artwork_key').where('id', '=', id).executeTakeFirst();
  await deps.db.updateTable(table).set({ artwork_key: key, updated_at: deps.clock() }).where('id', '=', id).execute();
  return before?.artwork_key ?? null;
}

/**
 * `PUT /tracks/:id/artwork` and `PUT /releases/:id/artwork` (the owner or an admin): the image
 * rule of avatars, kept at the artwork sizes. A track's own cover replaces the one extracted from
 * its file.
 */
export async function setArtwork(
  deps: ArtworkDeps,
  actor: Actor | null,
  table: 'tracks' | 'releases',
  id: string,
  image: Buffer,
): Promise<void> {
  const row = await (table === 'tracks' ? ownedTrack : ownedRelease)(deps.db, actor, id);
  await replaceArtwork(deps, table, row.id, image);
}
