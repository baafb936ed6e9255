import type { Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import { keys, type ObjectStore } from '@earshot/storage';
import { versionPrefixes } from '../catalog/delete-track.ts';

/**
 * "Delete a track's objects": every stored object a track owns, in every bucket — each version's
 * original, HLS renditions (and anything else kept under the version's folder, such as download
 * formats), waveforms and extracted artwork, and the track's own uploaded artwork. Rows are the
 * caller's business; this only lists the keys from them and removes the objects.
 *
 * Account deletion removes many tracks at once with it; both it and the track delete take the
 * prefixes from `versionPrefixes` (catalog/delete-track.ts).
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
  // The same prefixes the track delete removes (catalog/delete-track.ts): one list of where a track's objects live.
  for (const v of objects.versionIds) {
    for (const [bucket, prefix] of versionPrefixes(v)) removed += await store.deletePrefix(bucket, prefix);
  }
  for (const t of objects.trackIds) removed += await store.deletePrefix('images', keys.trackArtworkPrefix(t));
  for (const k of objects.imageKeys) {
    await store.delete('images', k);
    removed++;
  }
  return removed;
}
