import { sql, type Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import { validationFailed } from '../errors.ts';
import type { Actor } from '../actor.ts';
import { getListenableTrack } from '../tracks/get-track.ts';
import type { NewPlay, PlayableVersion, PlaysDeps } from './record-play.ts';
import { mergeBuckets } from './heard-ranges.ts';

/** The SQL ports of `recordPlay`. */
export function createPlaysDeps(db: Kysely<Database>, options: { ipHashSalt: string; clock?: () => Date }): PlaysDeps {
  return {
    ipHashSalt: options.ipHashSalt,
    clock: options.clock ?? (() => new Date()),
    findPlayableVersion: (trackId, versionId, actor) => findPlayableVersion(db, trackId, versionId, actor),
    insertUnlessRecent: (play, since) => insertUnlessRecent(db, play, since),
  };
}

/**
 * The stream's rule (`getListenableTrack`: visible to this actor, its current version or the
 * provisional stream of a first upload being processed, the same 30 s rule for both), then
 * the version the listener names. An older ready version of the same track is accepted: a player
 * loaded before the owner replaced the master reports what it actually played.
 */
export async function findPlayableVersion(
  db: Kysely<Database>,
  trackId: string,
  versionId: string | undefined,
  actor?: Actor | null,
): Promise<PlayableVersion> {
  const track = await getListenableTrack({ db }, actor ?? null, trackId);
  if (versionId === undefined || versionId === track.listened.versionId) {
    return { trackId: track.id, versionId: track.listened.versionId, durationMs: track.listened.durationMs };
  }
  const notThisTrack = () =>
    validationFailed('versionId is not a playable version of this track', { field: 'versionId' });
  if (!/^[1-9][0-9]{0,17}$/.test(versionId)) throw notThisTrack();
  const version = await db
    .selectFrom('track_versions')
    .select(['id', 'duration_ms'])
    .where('id', '=', versionId)
    .where('track_id', '=', track.id)
    .where('status', '=', 'ready')
    .where('hls_key', 'is not', null)
    .executeTakeFirst();
  if (!version) throw notThisTrack();
  return { trackId: track.id, versionId: version.id, durationMs: version.duration_ms };
}

/**
 * Check-then-insert inside one transaction that first takes a transaction-scoped advisory lock
 * on (track, listener), so two concurrent identical reports run one after the other and the
 * second sees the first's row. Chosen over:
 * - a unique key on a 30-minute bucket: that is a different rule (fixed windows: plays two
 *   minutes apart on both sides of a bucket boundary would both count);
 * - `select … for update` on the track row: it would queue every listener of a popular track
 *   behind each other, where only reports of the same listener need to wait.
 * Lock-key collisions of the 64-bit hash only make two unrelated reports wait for each other.
 * PGlite runs one transaction at a time anyway, and accepts the same SQL.
 */
export async function insertUnlessRecent(db: Kysely<Database>, play: NewPlay, since: Date): Promise<boolean> {
  const listener = play.userId !== null ? `user:${play.userId}` : `ip:${play.ipHash}`;
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`play:${play.trackId}:${listener}`}, 0))`.execute(trx);
    let recent = trx
      .selectFrom('plays')
      .select('id')
      .where('track_id', '=', play.trackId)
      .where('created_at', '>', since);
    recent =
      play.userId !== null
        ? recent.where('user_id', '=', play.userId)
        : recent.where('user_id', 'is', null).where('ip_hash', '=', play.ipHash);
    const found = await recent.select('heard_pct').orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    if (found) {
      if (play.heardPct?.length)
        await trx
          .updateTable('plays')
          .set({ heard_pct: mergeBuckets(found.heard_pct, play.heardPct) })
          .where('id', '=', found.id)
          .execute();
      return false;
    }
    await trx
      .insertInto('plays')
      .values({
        track_id: play.trackId,
        version_id: play.versionId,
        user_id: play.userId,
        ip_hash: play.ipHash,
        seconds_listened: play.secondsListened,
        created_at: play.at,
        heard_pct: play.heardPct,
      })
      .execute();
    // The track's play count moves in the same transaction as the play (docs/architecture.md, "Community").
    await trx.updateTable('tracks').set({ play_count: sql`play_count + 1` }).where('id', '=', play.trackId).execute();
    return true;
  });
}
