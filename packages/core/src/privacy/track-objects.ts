import type { Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import { keys, type ObjectStore } from '@earshot/storage';

/**
 * "Delete a track's objects": every stored object a track owns, in every bucket — each version's
 * original, HLS renditions (and anything else kept under the version's folder, such as download
 * formats), waveforms and extracted artwork, and the track's own uploaded artwork. Rows are the
 * caller's business; this only lists the keys from them and removes the objects.
 *
 * One function for every caller that removes tracks (account deletion here; track deletion when it
 * lands should call it rather than list the buckets again).
 */
export interface TrackObjects {
  trackIds: string[];
  versionIds: string[];
  /** Exact keys in the images bucket recorded on the rows (uploaded track artwork). */
  imageKeys: string[];
}

/** Reads what `deleteTrackObjects` needs before the rows go. */
export async function collectTrackObjects(db: Kysely<Database>, trackIds: readonly string[]): Promise<TrackObjects> {
  if (trackIds.length === 0) return { trackIds: [], versionIds: [], imageKeys: [] };
  const versions = await db.selectFrom('track_versions').select('id').where('track_id', 'in', trackIds).execute();
  const artwork = await db
    .selectFrom('tracks')
    .select('artwork_key')
    .where('id', 'in', trackIds)
    .where('artwork_key', 'is not', null)
    .execute();
  return {
    trackIds: [...trackIds],
    versionIds: versions.map((v) => v.id),
    imageKeys: artwork.map((a) => a.artwork_key!).filter(Boolean),
  };
}

export async function deleteTrackObjects(
  store: Pick<ObjectStore, 'delete' | 'deletePrefix'>,
  objects: TrackObjects,
): Promise<number> {
  let removed = 0;
  for (const v of objects.versionIds) {
    removed += await store.deletePrefix('originals', `version-${v}/`);
    removed += await store.deletePrefix('transcodes', keys.hlsPrefix(v));
    removed += await store.deletePrefix('waveforms', keys.waveformPrefix(v));
    removed += await store.deletePrefix('images', keys.versionArtworkPrefix(v));
  }
  for (const t of objects.trackIds) removed += await store.deletePrefix('images', `track-artwork/track-${t}/`);
  for (const k of objects.imageKeys) {
    await store.delete('images', k);
    removed++;
  }
  return removed;
}
