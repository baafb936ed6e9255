import type { Kysely } from 'kysely';

/**
 * What the upload's probe found as embedded cover art, so the artwork step does not probe the
 * file again: `{"cover": {"index", "codec", "width", "height"}}`, or `{"cover": null}` when the
 * file has none. Null for versions from before it was recorded: the artwork step probes those.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('track_versions').addColumn('probed_cover', 'jsonb').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('track_versions').dropColumn('probed_cover').execute();
}
