import { sql, type Kysely } from 'kysely';

/**
 * Drops what no code reads: the `assets` table (stored files are found from their keys on the
 * version and user rows, packages/storage/src/keys.ts) and the tracks' `genre`, `tags` and price
 * columns (`price_minor`, `currency`, `min_price_minor`, `free_download`). The library and commerce
 * features will design their own. `down` puts them back exactly as the first migration made them
 * (their data is not kept: there never was any).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('assets').execute();
  await db.schema.alterTable('tracks').dropConstraint('tracks_price_currency').execute();
  await db.schema
    .alterTable('tracks')
    .dropColumn('genre')
    .dropColumn('tags')
    .dropColumn('price_minor')
    .dropColumn('currency')
    .dropColumn('min_price_minor')
    .dropColumn('free_download')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('tracks')
    .addColumn('genre', 'text')
    .addColumn('tags', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('price_minor', 'integer', (c) => c.check(sql`price_minor >= 0`))
    .addColumn('currency', 'text', (c) => c.check(sql`currency ~ '^[A-Z]{3}$'`))
    .addColumn('min_price_minor', 'integer', (c) => c.check(sql`min_price_minor >= 0`))
    .addColumn('free_download', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  await db.schema
    .alterTable('tracks')
    .addCheckConstraint('tracks_price_currency', sql`(price_minor is null) = (currency is null)`)
    .execute();

  await db.schema
    .createTable('assets')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('owner_user_id', 'bigint', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('version_id', 'bigint', (c) => c.references('track_versions.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('bucket', 'text', (c) =>
      c.notNull().check(sql`bucket in ('originals', 'transcodes', 'images', 'waveforms')`),
    )
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text')
    .addColumn('size_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('assets_bucket_key', ['bucket', 'key'])
    .execute();
  await db.schema.createIndex('assets_version_idx').on('assets').column('version_id').execute();
}
