import { sql, type Kysely } from 'kysely';

/**
 * Counted plays (docs/architecture.md, "Domain"): track, version, user (null when anonymous), the salted hash of
 * the client IP (the raw IP is never stored), seconds listened, time. Only plays that count are
 * stored, so one row is one play. `daily_stats.plays` is rolled up from here.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('plays')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('track_id', 'bigint', (c) => c.notNull().references('tracks.id').onDelete('cascade'))
    .addColumn('version_id', 'bigint', (c) => c.notNull().references('track_versions.id').onDelete('cascade'))
    // A deleted account keeps its plays in the counts, anonymously.
    .addColumn('user_id', 'bigint', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('ip_hash', 'text', (c) => c.notNull().check(sql`ip_hash ~ '^[0-9a-f]{64}$'`))
    .addColumn('seconds_listened', 'real', (c) => c.notNull().check(sql`seconds_listened >= 0`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // The dedupe lookup: "a play of this track by this listener since <30 minutes ago>?" — a
  // signed-in listener is their user id, an anonymous one their IP hash.
  await sql`create index plays_track_user_created_idx on plays (track_id, user_id, created_at desc) where user_id is not null`.execute(
    db,
  );
  await sql`create index plays_track_ip_created_idx on plays (track_id, ip_hash, created_at desc) where user_id is null`.execute(
    db,
  );
  // Per-day counts (the analytics rollup, trending).
  await db.schema.createIndex('plays_created_idx').on('plays').column('created_at').execute();
  // For the cascades when a version or an account is deleted.
  await db.schema.createIndex('plays_version_idx').on('plays').column('version_id').execute();
  await sql`create index plays_user_idx on plays (user_id) where user_id is not null`.execute(db);

  await db.schema
    .alterTable('daily_stats')
    .addColumn('plays', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('daily_stats').dropColumn('plays').execute();
  await db.schema.dropTable('plays').execute();
}
