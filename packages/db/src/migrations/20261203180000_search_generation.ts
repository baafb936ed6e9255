import { sql, type Kysely } from 'kysely';

/**
 * The search's generation (docs/performance.md, "Search"): a number that moves whenever what a
 * track search can find changes — a track added, deleted, or its title, tags, description or
 * artist changed; an artist renamed. The API keeps the candidates of a query (the ids and scores
 * `earshot_search_tracks` returns) in its cache under the generation they were computed at, so a
 * change makes every kept list stale at once; who may see a candidate is still checked on every
 * search.
 *
 * A sequence, not a counter row: `nextval` takes no lock that lasts until commit, so uploads and
 * edits never wait on each other for it. It moves just before the change commits; a search that
 * lands in between keeps a list that misses the change until the cache's time to live ends.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create sequence earshot_search_generation`.execute(db);
  await sql`
    create function earshot_bump_search_generation() returns trigger language plpgsql as $$
    begin
      perform nextval('earshot_search_generation');
      return null;
    end
    $$`.execute(db);
  await sql`
    create trigger tracks_search_generation
    after insert or delete or update of title, tags, description, owner_user_id on tracks
    for each statement execute function earshot_bump_search_generation()`.execute(db);
  await sql`
    create trigger users_search_generation
    after delete or update of display_name, handle on users
    for each statement execute function earshot_bump_search_generation()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists users_search_generation on users`.execute(db);
  await sql`drop trigger if exists tracks_search_generation on tracks`.execute(db);
  await sql`drop function if exists earshot_bump_search_generation()`.execute(db);
  await sql`drop sequence if exists earshot_search_generation`.execute(db);
}
