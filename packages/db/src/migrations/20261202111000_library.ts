import { sql, type Kysely } from 'kysely';

/**
 * The library feature (docs/architecture.md, "Catalogue" and "Search"):
 * - `track_slug_redirects`: a track's old slugs, so `/<handle>/<old-slug>` keeps working after a
 *   new title;
 * - `tracks.deleted_at`: a sold track the artist deleted is retired (kept for its buyers only);
 * - search: pg_trgm and unaccent, `earshot_fold(text)` (lower case, accents removed; IMMUTABLE so
 *   generated columns and indexes may use it), folded generated columns with trigram indexes on
 *   tracks, users, releases and playlists, and a weighted `search_vector` on tracks (title A,
 *   tags C, description D; the artist's name, weight B, is ranked at query time);
 * (Browsing by genre and tag uses the shared migration's indexes.)
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`create extension if not exists unaccent`.execute(db);
  // unaccent() is only STABLE (its dictionary could change); with the dictionary named it is
  // deterministic, so this wrapper is declared IMMUTABLE, the documented way to index it. Names in
  // the bodies are schema-qualified: a restore (pg_dump's empty search_path) computes the generated
  // columns through them.
  await sql`create or replace function earshot_fold(text) returns text language sql immutable parallel safe strict
    as $$ select lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$`.execute(db);
  await sql`create or replace function earshot_fold_tags(text[]) returns text language sql immutable parallel safe
    as $$ select coalesce(public.earshot_fold(array_to_string($1, ' ')), '') $$`.execute(db);

  await db.schema
    .createTable('track_slug_redirects')
    .addColumn('owner_user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('track_id', 'bigint', (c) => c.notNull().references('tracks.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('track_slug_redirects_pkey', ['owner_user_id', 'slug'])
    .execute();
  await db.schema.createIndex('track_slug_redirects_track_idx').on('track_slug_redirects').column('track_id').execute();

  await db.schema.alterTable('tracks').addColumn('deleted_at', 'timestamptz').execute();
  await sql`alter table tracks add column search_title text generated always as (earshot_fold(title)) stored`.execute(
    db,
  );
  await sql`alter table tracks add column search_vector tsvector generated always as (
      setweight(to_tsvector('simple', earshot_fold(title)), 'A') ||
      setweight(to_tsvector('simple', earshot_fold_tags(tags)), 'C') ||
      setweight(to_tsvector('simple', coalesce(earshot_fold(description), '')), 'D')) stored`.execute(db);
  await sql`create index tracks_search_title_trgm on tracks using gin (search_title gin_trgm_ops)`.execute(db);
  await sql`create index tracks_search_vector on tracks using gin (search_vector)`.execute(db);

  await sql`alter table users add column search_name text generated always as (earshot_fold(display_name || ' ' || handle)) stored`.execute(
    db,
  );
  await sql`create index users_search_name_trgm on users using gin (search_name gin_trgm_ops)`.execute(db);
  await sql`alter table releases add column search_title text generated always as (earshot_fold(title)) stored`.execute(
    db,
  );
  await sql`create index releases_search_title_trgm on releases using gin (search_title gin_trgm_ops)`.execute(db);
  await sql`alter table playlists add column search_title text generated always as (earshot_fold(title)) stored`.execute(
    db,
  );
  await sql`create index playlists_search_title_trgm on playlists using gin (search_title gin_trgm_ops)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('playlists').dropColumn('search_title').execute();
  await db.schema.alterTable('releases').dropColumn('search_title').execute();
  await db.schema.alterTable('users').dropColumn('search_name').execute();
  await db.schema
    .alterTable('tracks')
    .dropColumn('search_vector')
    .dropColumn('search_title')
    .dropColumn('deleted_at')
    .execute();
  await db.schema.dropTable('track_slug_redirects').execute();
  await sql`drop function if exists earshot_fold_tags(text[])`.execute(db);
  await sql`drop function if exists earshot_fold(text)`.execute(db);
}
