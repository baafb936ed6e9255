import type { Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import { keys, type Bucket, type ObjectStore } from '@earshot/storage';
import { AppError, notFound } from '../errors.ts';
import type { Actor } from '../actor.ts';
import { ownedTrack } from './edit-track.ts';
import { keepDeletedTrackEvents } from '../insights/rollup.ts';

export interface DeleteDeps {
  db: Kysely<Database>;
  store: Pick<ObjectStore, 'deletePrefix'>;
  clock: () => Date;
}

/** Where a version's objects live: one prefix per bucket (storage/keys.ts). */
export function versionPrefixes(versionId: string): Array<[Bucket, string]> {
  return [
    ['originals', `version-${versionId}/`],
    ['transcodes', keys.hlsPrefix(versionId)],
    ['waveforms', keys.waveformPrefix(versionId)],
    ['images', keys.versionArtworkPrefix(versionId)],
  ];
}

/** The streaming outputs of a version (what a retired track no longer needs). */
function streamingPrefixes(versionId: string): Array<[Bucket, string]> {
  return [
    ['transcodes', keys.hlsPrefix(versionId)],
    ['waveforms', keys.waveformPrefix(versionId)],
  ];
}

export const trackSold = () =>
  new AppError(
    409,
    'track_sold',
    'Buyers have paid for this track. Confirm that they keep access (confirmBuyersKeepAccess) to retire it: it disappears everywhere but buyers can still download it.',
  );

/** Does a paid order grant downloads of this track (bought alone, or in a release)? */
export async function hasPaidOrders(db: Kysely<Database>, trackId: string): Promise<boolean> {
  const row = await db
    .selectFrom('orders as o')
    .select('o.id')
    .where('o.status', '=', 'paid')
    .where((eb) =>
      eb.or([
        eb.and([eb('o.item_type', '=', 'track'), eb('o.track_id', '=', trackId)]),
        eb.and([
          eb('o.item_type', '=', 'release'),
          eb(
            'o.release_id',
            'in',
            eb.selectFrom('release_tracks').select('release_id').where('track_id', '=', trackId),
          ),
        ]),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  return !!row;
}

export interface DeleteOutcome {
  /** `deleted`: nothing is left; `retired`: sold, so kept for its buyers only (docs/architecture.md, "Catalogue"). */
  outcome: 'deleted' | 'retired';
  objectsDeleted: number;
}

/**
 * `DELETE /tracks/:id` (docs/architecture.md, "Catalogue"): every row of the track (versions,
 * playlist and release entries, redirects; plays, likes, comments by cascade) goes in one
 * transaction — its events first folded into the artist's daily figures (`keepDeletedTrackEvents`) — then every stored object of every version (original, HLS, waveform, artwork) and
 * the uploaded artwork, by prefix (S3: batch deletes of up to 1,000 keys).
 *
 * A track in a paid order is refused (409 `track_sold`) unless `confirmBuyersKeepAccess`: then it
 * is retired instead: hidden from everyone and in no list, its other versions and all streaming
 * outputs deleted, the current version's original and artwork kept so buyers still download it.
 */
export async function deleteTrack(
  deps: DeleteDeps,
  actor: Actor | null,
  trackId: string,
  options: { confirmBuyersKeepAccess?: boolean } = {},
): Promise<DeleteOutcome> {
  const plan = await deps.db.transaction().execute(async (trx) => {
    const track = await ownedTrack(trx, actor, trackId);
    // Lock the row: a concurrent edit or checkout sees the delete, not half of it.
    await trx.selectFrom('tracks').select('id').where('id', '=', track.id).forUpdate().execute();
    const versions = (
      await trx.selectFrom('track_versions').select('id').where('track_id', '=', track.id).execute()
    ).map((v) => v.id);
    const sold = await hasPaidOrders(trx, track.id);
    if (sold && !options.confirmBuyersKeepAccess) throw trackSold();
    if (track.deleted_at) throw notFound('Track');
    await trx.deleteFrom('playlist_tracks').where('track_id', '=', track.id).execute();
    if (sold) {
      const keep = track.current_version_id;
      const drop = versions.filter((v) => v !== keep);
      await trx
        .updateTable('tracks')
        .set({ deleted_at: deps.clock(), visibility: 'private', updated_at: deps.clock() })
        .where('id', '=', track.id)
        .execute();
      if (drop.length) await trx.deleteFrom('track_versions').where('id', 'in', drop).execute();
      // Download files live beside the streaming outputs deleted below: made again from the kept original on request.
      if (keep) await trx.deleteFrom('download_files').where('version_id', '=', keep).execute();
      const prefixes = [...drop.flatMap(versionPrefixes), ...(keep ? streamingPrefixes(keep) : [])];
      return { outcome: 'retired' as const, prefixes };
    }
    // The artist's daily figures keep what the track's events added (insights/rollup.ts).
    await keepDeletedTrackEvents(trx, track.id, track.owner_user_id);
    await trx.deleteFrom('release_tracks').where('track_id', '=', track.id).execute();
    await trx.deleteFrom('track_slug_redirects').where('track_id', '=', track.id).execute();
    await trx.updateTable('tracks').set({ current_version_id: null }).where('id', '=', track.id).execute();
    await trx.deleteFrom('track_versions').where('track_id', '=', track.id).execute();
    await trx.deleteFrom('tracks').where('id', '=', track.id).execute();
    const prefixes: Array<[Bucket, string]> = [
      ...versions.flatMap(versionPrefixes),
      ['images', keys.trackArtworkPrefix(track.id)],
    ];
    return { outcome: 'deleted' as const, prefixes };
  });
  // After the commit: the rows are gone, so no reader is handed a URL to what is deleted next.
  let objectsDeleted = 0;
  for (const [bucket, prefix] of plan.prefixes) objectsDeleted += await deps.store.deletePrefix(bucket, prefix);
  return { outcome: plan.outcome, objectsDeleted };
}
