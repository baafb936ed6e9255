import { sql, type Kysely } from 'kysely';

/**
 * Search indexes without a pending list (docs/performance.md, "Search"). A GIN index buffers new
 * entries in an unsorted pending list (up to 4 MB) that every search reads through, entry by
 * entry, until a vacuum merges it: after 100,000 track inserts the title's trigram index carried
 * 5,760 pending entries and a search spent most of its time there (a bitmap index scan of 47 ms
 * instead of 0.4 ms). The search indexes now take each entry at once (a little more work per
 * insert or update of a title or a name), and the entries already pending are merged now.
 */
const SEARCH_INDEXES = [
  'tracks_search_title_trgm',
  'tracks_search_vector',
  'users_search_name_trgm',
  'releases_search_title_trgm',
  'playlists_search_title_trgm',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const index of SEARCH_INDEXES) {
    await sql`alter index ${sql.id(index)} set (fastupdate = off)`.execute(db);
    await sql`select gin_clean_pending_list(${index}::regclass)`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of SEARCH_INDEXES) await sql`alter index ${sql.id(index)} reset (fastupdate)`.execute(db);
}
