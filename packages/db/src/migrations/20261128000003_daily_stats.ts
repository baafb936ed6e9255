import { sql, type Kysely } from 'kysely';

/** One row per UTC day, written by the `analytics-rollup` job. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('daily_stats')
    .addColumn('day', 'date', (c) => c.primaryKey())
    .addColumn('new_users', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('new_artists', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('uploads', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('versions_ready', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('versions_failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('computed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('daily_stats').execute();
}
