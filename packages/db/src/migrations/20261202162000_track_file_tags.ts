import { sql, type Kysely } from 'kysely';

/**
 * Tags from the file (docs/architecture.md, "Tags from the file"): the album, track number and
 * year a master's metadata gives (or the artist typed) are kept on the track, editable like its
 * other catalogue fields. All optional.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table tracks
    add column album text check (char_length(album) between 1 and 200),
    add column track_number integer check (track_number between 1 and 9999),
    add column year integer check (year between 1000 and 2999)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table tracks drop column album, drop column track_number, drop column year`.execute(db);
}
