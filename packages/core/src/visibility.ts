import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Visibility } from '@earshot/db';
import { ownsOrAdmin, type Actor } from './actor.ts';

/**
 * THE rule of what a caller may see (docs/architecture.md, "What a caller may see"), in one
 * place: every list and every read of tracks, releases, playlists, comments and users goes
 * through these helpers, as SQL (Kysely expressions, for queries) or as a check of a row already
 * loaded (the same rule in JavaScript, kept beside its SQL twin and tested against it).
 *
 * - **Listed** (home, search, browse, feed, trending, an artist's public lists): public, live
 *   (not taken down, owner's account enabled) and, for a track, ready (a ready current version);
 *   for a release, released (no release date in the future).
 * - **Visible to** an actor (opening it by id or link): the owner and admins see everything of
 *   theirs, including what is private, processing, scheduled or taken down (with the reason);
 *   everyone else sees what is public or unlisted, live, and for a track playable: ready, or a
 *   first upload whose provisional stream is published while it is processing
 *   (`provisional_version_id`; docs/performance.md, "Playable in seconds").
 *
 * Something a caller may not see is a 404, never a 403: its existence is not revealed.
 *
 * The helpers take the alias the query gave the table (`'t'` for `tracks as t`, …) and work on
 * any query that has that alias in scope.
 */

// biome-ignore lint/suspicious/noExplicitAny: the helpers work on any query with the alias in scope
type AnyEb = ExpressionBuilder<any, any>;

const TRUE = sql<SqlBool>`true`;

/** The owner's account is enabled (a disabled account's things vanish for everyone else). */
function ownerEnabled(eb: AnyEb, ownerColumn: string): Expression<SqlBool> {
  return eb.exists(
    eb
      .selectFrom('users as vis_owner')
      .select(sql`1`.as('one'))
      .whereRef('vis_owner.id', '=', ownerColumn)
      .where('vis_owner.disabled_at', 'is', null),
  );
}

// ---- tracks ----------------------------------------------------------------

/**
 * Playable: a ready current version, or a first upload being processed whose provisional stream
 * is already published (docs/performance.md, "Playable in seconds").
 */
function trackPlayable(eb: AnyEb, t: string): Expression<SqlBool> {
  return eb.or([eb(`${t}.current_version_id`, 'is not', null), eb(`${t}.provisional_version_id`, 'is not', null)]);
}

/**
 * Live for others (any visibility): not taken down, not retired, owner enabled, and ready (lists)
 * or at least playable (opened by id or link).
 */
function trackLive(eb: AnyEb, t: string, playable: 'ready' | 'playable'): Expression<SqlBool> {
  return eb.and([
    playable === 'ready' ? eb(`${t}.current_version_id`, 'is not', null) : trackPlayable(eb, t),
    eb(`${t}.deleted_at`, 'is', null),
    eb(`${t}.taken_down_at`, 'is', null),
    ownerEnabled(eb, `${t}.owner_user_id`),
  ]);
}

/**
 * Tracks in public lists (home, search, browse, feed, trending, an artist's page): only once ready.
 * A first upload playable while it is processing is not listed yet (docs/architecture.md, "What a
 * caller may see"): lists show the current version's duration and waveform, and an entry must not
 * vanish again if the encode fails.
 */
export function trackListed(eb: AnyEb, t = 't'): Expression<SqlBool> {
  return eb.and([eb(`${t}.visibility`, '=', 'public'), trackLive(eb, t, 'ready')]);
}

/** Tracks this actor may open by id or link. */
export function trackVisibleTo(eb: AnyEb, actor: Actor | null | undefined, t = 't'): Expression<SqlBool> {
  if (actor?.role === 'admin') return TRUE;
  const others = eb.and([eb(`${t}.visibility`, '!=', 'private'), trackLive(eb, t, 'playable')]);
  // A retired track (deleted by its artist after a sale) is gone for its owner too.
  return actor
    ? eb.or([eb.and([eb(`${t}.owner_user_id`, '=', actor.id), eb(`${t}.deleted_at`, 'is', null)]), others])
    : others;
}

/** What the row checks need of a track. */
export interface TrackVisibilityFacts {
  ownerUserId: string;
  visibility: Visibility;
  currentVersionId: string | null;
  /**
   * A first upload's version whose provisional stream is published while it is processing
   * (`tracks.provisional_version_id`); absent = none.
   */
  provisionalVersionId?: string | null;
  takenDownAt: Date | null;
  ownerDisabledAt: Date | null;
  /** Retired: deleted by its artist after a sale (docs/architecture.md, "Catalogue"). */
  deletedAt?: Date | null;
}

/** `trackPlayable` for a row already loaded. */
function isTrackPlayable(track: TrackVisibilityFacts): boolean {
  return track.currentVersionId !== null || (track.provisionalVersionId ?? null) !== null;
}

/** `trackVisibleTo` for a row already loaded. */
export function canSeeTrack(actor: Actor | null | undefined, track: TrackVisibilityFacts): boolean {
  if (actor?.role === 'admin') return true;
  if (track.deletedAt) return false;
  if (ownsOrAdmin(actor, track.ownerUserId)) return true;
  return (
    track.visibility !== 'private' &&
    isTrackPlayable(track) &&
    track.takenDownAt === null &&
    track.ownerDisabledAt === null
  );
}

/** A track row as loaded (its columns and its owner's `disabled_at`), for the row checks. */
export interface TrackVisibilityRow {
  owner_user_id: string;
  visibility: Visibility;
  current_version_id: string | null;
  /** Loaded where a provisional stream makes the track playable (its own page); absent = none. */
  provisional_version_id?: string | null;
  taken_down_at: Date | null;
  disabled_at: Date | null;
  deleted_at?: Date | null;
}

/** `canSeeTrack` for a track row as loaded. */
export function canSeeTrackRow(actor: Actor | null | undefined, row: TrackVisibilityRow): boolean {
  return canSeeTrack(actor, {
    ownerUserId: row.owner_user_id,
    visibility: row.visibility,
    currentVersionId: row.current_version_id,
    provisionalVersionId: row.provisional_version_id,
    takenDownAt: row.taken_down_at,
    ownerDisabledAt: row.disabled_at,
    deletedAt: row.deleted_at,
  });
}

/** `trackListed` for a row already loaded. */
export function isTrackListed(track: TrackVisibilityFacts): boolean {
  return (
    track.visibility === 'public' &&
    track.currentVersionId !== null &&
    !track.deletedAt &&
    track.takenDownAt === null &&
    track.ownerDisabledAt === null
  );
}

// ---- releases --------------------------------------------------------------

function releaseLive(eb: AnyEb, r: string, now: Date): Expression<SqlBool> {
  return eb.and([
    eb(`${r}.taken_down_at`, 'is', null),
    eb.or([eb(`${r}.release_date`, 'is', null), eb(`${r}.release_date`, '<=', now)]),
    ownerEnabled(eb, `${r}.owner_user_id`),
  ]);
}

/** Releases in public lists: public, released (no future release date), live. */
export function releaseListed(eb: AnyEb, now: Date, r = 'r'): Expression<SqlBool> {
  return eb.and([eb(`${r}.visibility`, '=', 'public'), releaseLive(eb, r, now)]);
}

/** Releases this actor may open: a scheduled release stays the owner's until its date. */
export function releaseVisibleTo(eb: AnyEb, actor: Actor | null | undefined, now: Date, r = 'r'): Expression<SqlBool> {
  if (actor?.role === 'admin') return TRUE;
  const others = eb.and([eb(`${r}.visibility`, '!=', 'private'), releaseLive(eb, r, now)]);
  return actor ? eb.or([eb(`${r}.owner_user_id`, '=', actor.id), others]) : others;
}

export interface ReleaseVisibilityFacts {
  ownerUserId: string;
  visibility: Visibility;
  releaseDate: Date | null;
  takenDownAt: Date | null;
  ownerDisabledAt: Date | null;
}

export function canSeeRelease(actor: Actor | null | undefined, release: ReleaseVisibilityFacts, now: Date): boolean {
  if (ownsOrAdmin(actor, release.ownerUserId)) return true;
  return (
    release.visibility !== 'private' &&
    release.takenDownAt === null &&
    release.ownerDisabledAt === null &&
    (release.releaseDate === null || release.releaseDate.getTime() <= now.getTime())
  );
}

/** `canSeeRelease` for a release row as loaded (its columns and its owner's `disabled_at`). */
export function canSeeReleaseRow(
  actor: Actor | null | undefined,
  row: {
    owner_user_id: string;
    visibility: Visibility;
    release_date: Date | null;
    taken_down_at: Date | null;
    disabled_at: Date | null;
  },
  now: Date,
): boolean {
  return canSeeRelease(
    actor,
    {
      ownerUserId: row.owner_user_id,
      visibility: row.visibility,
      releaseDate: row.release_date,
      takenDownAt: row.taken_down_at,
      ownerDisabledAt: row.disabled_at,
    },
    now,
  );
}

// ---- playlists -------------------------------------------------------------

/** Playlists in public lists. Their tracks are filtered by `trackVisibleTo` when shown. */
export function playlistListed(eb: AnyEb, p = 'p'): Expression<SqlBool> {
  return eb.and([eb(`${p}.visibility`, '=', 'public'), ownerEnabled(eb, `${p}.owner_user_id`)]);
}

export function playlistVisibleTo(eb: AnyEb, actor: Actor | null | undefined, p = 'p'): Expression<SqlBool> {
  if (actor?.role === 'admin') return TRUE;
  const others = eb.and([eb(`${p}.visibility`, '!=', 'private'), ownerEnabled(eb, `${p}.owner_user_id`)]);
  return actor ? eb.or([eb(`${p}.owner_user_id`, '=', actor.id), others]) : others;
}

// ---- comments and users ----------------------------------------------------

/**
 * Comments shown on a track the actor may see: not taken down (except to their author and
 * admins, who see the reason). Soft-deleted comments stay as placeholders so replies keep their
 * thread; the caller blanks their body.
 */
export function commentVisibleTo(eb: AnyEb, actor: Actor | null | undefined, c = 'c'): Expression<SqlBool> {
  if (actor?.role === 'admin') return TRUE;
  const live = eb(`${c}.taken_down_at`, 'is', null);
  return actor ? eb.or([live, eb(`${c}.user_id`, '=', actor.id)]) : live;
}

/** Accounts shown to others (profiles, search, followers): not disabled. */
export function userListed(eb: AnyEb, u = 'u'): Expression<SqlBool> {
  return eb(`${u}.disabled_at`, 'is', null);
}
