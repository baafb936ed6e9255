import { sql, type Kysely } from 'kysely';

/**
 * A track's first upload can be played while it is processing (docs/performance.md, "Playable in
 * seconds"): `provisional_version_id` names that version once its provisional master is published,
 * while the track has no current version yet. The visibility module counts such a track as playable
 * (docs/architecture.md, "What a caller may see"); the pipeline clears the column when the version
 * becomes current, fails, or its encode is retried.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table tracks
    add column provisional_version_id bigint references track_versions (id) on delete set null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table tracks drop column provisional_version_id`.execute(db);
}
