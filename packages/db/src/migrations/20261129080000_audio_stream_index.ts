import { sql, type Kysely } from 'kysely';

/**
 * Which stream of the original the media steps read (ffmpeg's absolute index, from the upload's
 * probe): with it and the rate, channels and duration already on the row, a step starts its encoder
 * at once instead of probing the file again. Null for versions from before it was recorded.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('track_versions')
    .addColumn('audio_stream_index', 'integer', (c) => c.check(sql`audio_stream_index >= 0`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('track_versions').dropColumn('audio_stream_index').execute();
}
