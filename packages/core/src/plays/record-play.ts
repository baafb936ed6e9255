import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import { validationFailed } from '../errors.ts';
import type { Actor } from '../actor.ts';
import { checkRanges, heardBuckets } from './heard-ranges.ts';
import { MAX_SECONDS_LISTENED, OVERRUN_MARGIN_SECONDS } from './limits.ts';

/**
 * When a listener's report is a play (docs/architecture.md, "Domain"): "A play counts once per listener per track
 * per 30 minutes, after 30 seconds listened (or the whole track if shorter)."
 *
 * - Listener: the user id when signed in, otherwise the client IP, stored only as
 *   HMAC-SHA-256(IP_HASH_SALT, ip) (the raw IP is never stored, and without the salt a hash cannot
 *   be matched against the 2^32 IPv4 addresses).
 * - Threshold: 30 s, or the whole track (its version's duration, less END_TOLERANCE) if shorter.
 * - Only counted plays are stored: one row in `plays` is one play.
 * - The track must be one the caller may play: the rule of `GET /tracks/:id/stream`
 *   (`getListenableTrack`), applied by the `findPlayableVersion` port.
 */

export const PLAY_THRESHOLD_SECONDS = 30;
export const PLAY_DEDUPE_WINDOW_MS = 30 * 60_000;
/**
 * A track shorter than the threshold counts when played "to the end", which players see a little
 * early: the last `timeupdate` fires up to ~250 ms before `ended`, playback may start a few
 * hundred ms in, and the media's duration differs from ffprobe's by a frame or two. So the end
 * is `duration - min(1.5 s, 10% of the track)`.
 */
export const END_TOLERANCE_SECONDS = 1.5;
const END_TOLERANCE_FRACTION = 0.1;
export { MAX_SECONDS_LISTENED, OVERRUN_MARGIN_SECONDS };

export interface PlayableVersion {
  trackId: string;
  versionId: string;
  durationMs: number | null;
}

export interface NewPlay {
  trackId: string;
  versionId: string;
  userId: string | null;
  ipHash: string;
  secondsListened: number;
  at: Date;
  /** The 1% buckets heard (heard-ranges.ts); null when the report sent no ranges. */
  heardPct: number[] | null;
}

/** The ports `recordPlay` uses (`createPlaysDeps` in play-store.ts gives the SQL ones). */
export interface PlaysDeps {
  /**
   * The version a report is about — `versionId`, or the current one when absent — provided the
   * actor may play the track (404 otherwise); 400 when `versionId` is not a playable version of it.
   */
  findPlayableVersion(trackId: string, versionId: string | undefined, actor?: Actor | null): Promise<PlayableVersion>;
  /**
   * Stores `play` unless the same listener (user id, or IP hash when anonymous) has a play of the
   * same track later than `since`. Must be atomic: two concurrent identical calls store one row.
   * Resolves true when stored. When not stored and `play.heardPct` is given, the buckets are added
   * to that listener's latest play (a later report of the same listening extends what it heard).
   */
  insertUnlessRecent(play: NewPlay, since: Date): Promise<boolean>;
  /** IP_HASH_SALT. */
  ipHashSalt: string;
  clock: () => Date;
}

export interface PlayReport {
  trackId: string;
  versionId?: string;
  secondsListened: number;
  /** `[[startMs, endMs], …]` actually played (heard-ranges.ts); optional, older players send none. */
  ranges?: unknown;
  actor?: Actor | null;
  /** The client's address as the HTTP layer determined it (trusted proxies only). */
  ip: string;
}

export type NotCountedReason = 'not_enough_listened' | 'already_counted';
export type PlayOutcome = { counted: true } | { counted: false; reason: NotCountedReason };

/**
 * HMAC-SHA-256 of the client IP keyed with the salt, hex. IPv4-mapped IPv6 (`::ffff:1.2.3.4`, what a
 * dual-stack socket reports) is hashed as the IPv4 address so one client has one hash.
 */
export function hashIp(ip: string, salt: string): string {
  if (!salt) throw new Error('IP_HASH_SALT is empty: refusing to hash client IPs without a salt');
  return createHmac('sha256', salt).update(normaliseIp(ip)).digest('hex');
}

function normaliseIp(ip: string): string {
  const trimmed = ip.trim().toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(trimmed);
  return mapped && isIP(mapped[1]!) === 4 ? mapped[1]! : trimmed;
}

/** Seconds a listener must have heard for a play of a track this long (null: unknown) to count. */
export function requiredSeconds(durationSeconds: number | null): number {
  if (durationSeconds === null || !(durationSeconds > 0)) return PLAY_THRESHOLD_SECONDS;
  const end = durationSeconds - Math.min(END_TOLERANCE_SECONDS, durationSeconds * END_TOLERANCE_FRACTION);
  return Math.min(PLAY_THRESHOLD_SECONDS, end);
}

function checkSeconds(seconds: number, durationSeconds: number | null): void {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds))
    throw validationFailed('secondsListened must be a finite number', { field: 'secondsListened' });
  if (seconds < 0) throw validationFailed('secondsListened must not be negative', { field: 'secondsListened' });
  const max =
    durationSeconds !== null && durationSeconds > 0 ? durationSeconds + OVERRUN_MARGIN_SECONDS : MAX_SECONDS_LISTENED;
  if (seconds > max)
    throw validationFailed(`secondsListened is longer than the track (at most ${Math.floor(max)} s)`, {
      field: 'secondsListened',
    });
}

/** Decides whether a listener's report is a play and stores it when it is. */
export async function recordPlay(deps: PlaysDeps, report: PlayReport): Promise<PlayOutcome> {
  // Shape first (cheap, and says nothing about the track), then the track, then its duration.
  checkSeconds(report.secondsListened, null);
  const version = await deps.findPlayableVersion(report.trackId, report.versionId, report.actor);
  const duration = version.durationMs !== null && version.durationMs > 0 ? version.durationMs / 1000 : null;
  checkSeconds(report.secondsListened, duration);
  const heardPct =
    report.ranges === undefined
      ? null
      : heardBuckets(checkRanges(report.ranges, version.durationMs), version.durationMs);
  if (report.secondsListened < requiredSeconds(duration)) return { counted: false, reason: 'not_enough_listened' };

  const at = deps.clock();
  const stored = await deps.insertUnlessRecent(
    {
      trackId: version.trackId,
      versionId: version.versionId,
      userId: report.actor?.id ?? null,
      ipHash: hashIp(report.ip, deps.ipHashSalt),
      secondsListened: report.secondsListened,
      at,
      heardPct,
    },
    new Date(at.getTime() - PLAY_DEDUPE_WINDOW_MS),
  );
  return stored ? { counted: true } : { counted: false, reason: 'already_counted' };
}
