import { sql, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import { PREPARED, type Database } from '@earshot/db';
import { badRequest, validationFailed } from '../errors.ts';
import { cleanText } from '../text/text-input.ts';
import type { Actor } from '../actor.ts';
import { trackListed, releaseListed, playlistListed, userListed } from '../visibility.ts';
import { FOUND_TRACK_COLUMNS, toFoundTrack, type FoundTrack } from '../catalog/browse.ts';
import { SEARCH_QUERY_MAX } from '../field-limits.ts';
import type { ListCache } from '../insights/cache.ts';
import { playlistTrackCount } from '../playlists/playlists.ts';
export { SEARCH_QUERY_MAX } from '../field-limits.ts';

/**
 * Search (docs/architecture.md, "Search"): PostgreSQL full-text search plus trigram similarity on
 * folded text (lower case, accents removed by `earshot_fold`, the library migration), so one typo
 * per word still finds ("harbur lights" → "Harbour Lights") and "cafe" finds "Café". Ranked title
 * > artist > tags > description. Only what the searcher may find in lists (the visibility module).
 */

export const SEARCH_TYPES = ['track', 'user', 'release', 'playlist'] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];
export const SEARCH_LIMIT_MAX = 50;
/** Ranked results are paged by offset; past this many, refine the query. */
export const SEARCH_RESULTS_MAX = 500;
/**
 * pg_trgm's word similarity needed for a word to match (default 0.6): 0.5 lets one typo in a
 * six-letter word through ("harbur" ~ "harbour" is 0.57) without matching unrelated words. The
 * track search's function (the search-tracks migration) sets the same value for itself.
 */
export const WORD_SIMILARITY_THRESHOLD = 0.5;
/**
 * How long the candidates of a track search are kept (docs/performance.md, "Search"). A change to
 * what can be found moves the search generation and makes every kept list stale at once; this is
 * the longest a list can miss a change that committed while it was being computed.
 */
export const SEARCH_CANDIDATES_TTL_SECONDS = 60;

/** The ports a search uses: the database, the clock (scheduled releases) and the candidates' cache. */
export type SearchDeps = { db: Kysely<Database>; clock: () => Date; searchCache: ListCache };

export interface SearchInput {
  q: string;
  type?: string;
  limit?: number;
  cursor?: string;
}

export interface TrackHit extends FoundTrack {
  kind: 'track';
}
export interface UserHit {
  kind: 'user';
  id: string;
  handle: string;
  displayName: string;
  avatarKey: string | null;
  role: string;
}
export interface ReleaseHit {
  kind: 'release';
  id: string;
  title: string;
  type: string;
  artist: { handle: string; displayName: string };
  artworkKey: string | null;
  releaseDate: string | null;
}
export interface PlaylistHit {
  kind: 'playlist';
  id: string;
  title: string;
  owner: { handle: string; displayName: string };
  trackCount: number;
}
export type SearchHit = TrackHit | UserHit | ReleaseHit | PlaylistHit;

function decodeOffset(cursor: string | undefined): number {
  if (!cursor) return 0;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^o\d{1,4}$/.test(text)) throw badRequest('Invalid cursor');
  return Number(text.slice(1));
}
const encodeOffset = (n: number) => Buffer.from(`o${n}`).toString('base64url');

export function normalizeSearch(input: SearchInput): { q: string; type: SearchType; limit: number; offset: number } {
  const q = cleanText(input.q ?? '', 'q', { trim: true }).replace(/\s+/g, ' ');
  if (!q) throw validationFailed('Type something to search for', { field: 'q', reason: 'required' });
  if (q.length > SEARCH_QUERY_MAX)
    throw validationFailed(`A search is at most ${SEARCH_QUERY_MAX} characters`, { field: 'q', reason: 'too_long' });
  const type = (input.type ?? 'track') as SearchType;
  if (!SEARCH_TYPES.includes(type))
    throw validationFailed('type is track, user, release or playlist', { field: 'type' });
  const limit = Math.min(Math.max(1, Math.trunc(input.limit ?? 20)), SEARCH_LIMIT_MAX);
  const offset = decodeOffset(input.cursor);
  if (offset >= SEARCH_RESULTS_MAX) throw badRequest('Invalid cursor');
  return { q, type, limit, offset };
}

/**
 * One page of ranked results of one type. Everyone searches the same public catalogue (what is
 * listed), so the actor changes nothing today; it is taken so a rule for it has one place to go.
 */
export async function search(
  deps: SearchDeps,
  actor: Actor | null,
  input: SearchInput,
): Promise<{ items: SearchHit[]; nextCursor: string | null }> {
  void actor;
  const { q, type, limit, offset } = normalizeSearch(input);
  const fetch = limit + 1;
  // Tracks: the candidates (kept, or the function of the search-tracks migration, which carries its
  // own settings and keeps its plan), then one prepared statement (docs/performance.md, "Search").
  const items: SearchHit[] =
    type === 'track'
      ? await searchTracks(deps, q, fetch, offset)
      : await deps.db.transaction().execute(async (trx) => {
          // Local to this transaction (the pool's other users keep the defaults): the word-similarity
          // threshold, and no sequential scans — the planner prices pg_trgm's operators far below what
          // they cost, and would compare every artist's name (20,000: 350 ms) instead of using the
          // trigram index (12 ms) (docs/performance.md, "Search").
          await sql`select set_config('pg_trgm.word_similarity_threshold', ${String(WORD_SIMILARITY_THRESHOLD)}, true), set_config('enable_seqscan', 'off', true)`.execute(
            trx,
          );
          switch (type) {
            case 'user':
              return searchUsers(trx, q, fetch, offset);
            case 'release':
              return searchReleases(trx, deps.clock(), q, fetch, offset);
            case 'playlist':
              return searchPlaylists(trx, q, fetch, offset);
          }
        });
  const more = items.length > limit && offset + limit < SEARCH_RESULTS_MAX;
  return { items: items.slice(0, limit), nextCursor: more ? encodeOffset(offset + limit) : null };
}

const folded = (q: string) => sql<string>`earshot_fold(${q})`;
/** A folded search column matches the folded text `f` by trigrams: as a whole (`%`), or one of its words (`<%`). */
const nearTo = (column: string, f: RawBuilder<string>) =>
  sql<boolean>`${sql.ref(column)} % ${f} or ${f} <% ${sql.ref(column)}`;
/** How close that match is: the better of the two similarities. */
const closeness = (column: string, f: RawBuilder<string>) =>
  sql<number>`greatest(similarity(${sql.ref(column)}, ${f}), word_similarity(${f}, ${sql.ref(column)}))`;

/** Best `score` first (newest first among equals), then the page asked for. */
const rankedPage =
  (score: RawBuilder<number> | string, id: string, limit: number, offset: number) =>
  <DB, TB extends keyof DB, O>(qb: SelectQueryBuilder<DB, TB, O>) =>
    qb
      .orderBy(typeof score === 'string' ? sql.ref(score) : score, 'desc')
      .orderBy(sql.ref(id), 'desc')
      .limit(limit)
      .offset(offset);
interface Candidates {
  ids: string[];
  scores: number[];
}

/**
 * The candidates of a track search and their scores, from `earshot_search_tracks` (the
 * search-tracks migration): at most 100 tracks from each of three indexes — word similarity on the
 * title (one typo per word), full text on title/tags/description, the tracks of the 20
 * closest-named artists — scored title > artist > tags > description. They depend on the words
 * typed and the catalogue only, not on who searches, so they are kept in the cache under the
 * search generation (the search-generation migration) and the exact text typed: many people type
 * the same words, and the search box sends the same prefixes as they type.
 */
async function trackCandidates(deps: SearchDeps, q: string): Promise<Candidates> {
  const generation = await sql<{ g: string }>`select last_value::text as g from earshot_search_generation ${PREPARED}`
    .execute(deps.db)
    .then((r) => r.rows[0]?.g ?? '0');
  const key = `search:tracks:${generation}:${q}`;
  const kept = await deps.searchCache.get(key);
  if (kept !== null) return JSON.parse(kept) as Candidates;
  const { rows } = await sql<{ track_id: string; score: number }>`
    select track_id, score from earshot_search_tracks(${q}) ${PREPARED}`.execute(deps.db);
  const found = { ids: rows.map((r) => String(r.track_id)), scores: rows.map((r) => Number(r.score)) };
  await deps.searchCache.set(key, JSON.stringify(found), SEARCH_CANDIDATES_TTL_SECONDS);
  return found;
}

async function searchTracks(deps: SearchDeps, q: string, limit: number, offset: number): Promise<TrackHit[]> {
  const { ids, scores } = await trackCandidates(deps, q);
  if (ids.length === 0) return [];
  // Only the candidates listed now (the visibility rule, checked on every search) are ranked.
  const rows = await deps.db
    .selectFrom(
      sql<{
        track_id: string;
        score: number;
      }>`(select * from unnest(${ids}::bigint[], ${scores}::real[]) as c(track_id, score))`.as('s'),
    )
    .innerJoin('tracks as t', 't.id', 's.track_id')
    .innerJoin('users as u', 'u.id', 't.owner_user_id')
    .leftJoin('track_versions as v', 'v.id', 't.current_version_id')
    .select(FOUND_TRACK_COLUMNS)
    .where((eb) => trackListed(eb, 't'))
    .$call(rankedPage('s.score', 't.id', limit, offset))
    // The same text whatever is searched, and a plan that does not depend on it: prepared once per
    // connection on PostgreSQL.
    .modifyEnd(PREPARED)
    .execute();
  return rows.map((r) => ({ kind: 'track', ...toFoundTrack(r) }));
}

async function searchUsers(db: Kysely<Database>, q: string, limit: number, offset: number): Promise<UserHit[]> {
  const f = folded(q);
  const rows = await db
    .selectFrom('users as u')
    .select(['u.id', 'u.handle', 'u.display_name as displayName', 'u.avatar_key as avatarKey', 'u.role'])
    .where(nearTo('u.search_name', f))
    .where((eb) => userListed(eb, 'u'))
    .$call(rankedPage(closeness('u.search_name', f), 'u.id', limit, offset))
    .execute();
  return rows.map((r) => ({ kind: 'user', ...r }));
}

async function searchReleases(
  db: Kysely<Database>,
  now: Date,
  q: string,
  limit: number,
  offset: number,
): Promise<ReleaseHit[]> {
  const f = folded(q);
  const rows = await db
    .selectFrom('releases as r')
    .innerJoin('users as u', 'u.id', 'r.owner_user_id')
    .select(['r.id', 'r.title', 'r.type', 'r.artwork_key', 'r.release_date', 'u.handle', 'u.display_name'])
    .where(sql<boolean>`${nearTo('r.search_title', f)} or ${f} <% u.search_name`)
    .where((eb) => releaseListed(eb, now, 'r'))
    .$call(
      rankedPage(
        sql<number>`4 * ${closeness('r.search_title', f)} + 2 * word_similarity(${f}, u.search_name)`,
        'r.id',
        limit,
        offset,
      ),
    )
    .execute();
  return rows.map((r) => ({
    kind: 'release',
    id: r.id,
    title: r.title,
    type: r.type,
    artist: { handle: r.handle, displayName: r.display_name },
    artworkKey: r.artwork_key,
    releaseDate: r.release_date ? String(r.release_date).slice(0, 10) : null,
  }));
}

async function searchPlaylists(db: Kysely<Database>, q: string, limit: number, offset: number): Promise<PlaylistHit[]> {
  const f = folded(q);
  const rows = await db
    .selectFrom('playlists as p')
    .innerJoin('users as u', 'u.id', 'p.owner_user_id')
    .select(['p.id', 'p.title', 'u.handle', 'u.display_name', playlistTrackCount.as('track_count')])
    .where(nearTo('p.search_title', f))
    .where((eb) => playlistListed(eb, 'p'))
    .$call(rankedPage(closeness('p.search_title', f), 'p.id', limit, offset))
    .execute();
  return rows.map((r) => ({
    kind: 'playlist',
    id: r.id,
    title: r.title,
    owner: { handle: r.handle, displayName: r.display_name },
    trackCount: r.track_count,
  }));
}
