import { sql, type Kysely } from 'kysely';

/** Users, tracks, track versions and stored assets (docs/architecture.md, "Domain"). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('email', 'text', (c) => c.notNull().check(sql`length(email) between 3 and 320`))
    .addColumn('handle', 'text', (c) => c.notNull().check(sql`handle ~ '^[a-z0-9][a-z0-9_-]{1,29}$'`))
    .addColumn('display_name', 'text', (c) => c.notNull().check(sql`length(display_name) between 1 and 100`))
    .addColumn('bio', 'text', (c) => c.notNull().defaultTo('').check(sql`length(bio) <= 2000`))
    .addColumn('avatar_key', 'text')
    .addColumn('role', 'text', (c) =>
      c.notNull().defaultTo('listener').check(sql`role in ('listener', 'artist', 'admin')`),
    )
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('email_verified_at', 'timestamptz')
    .addColumn('disabled_at', 'timestamptz')
    .addColumn('token_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Emails are unique case-insensitively; handles are stored lower-case.
  await sql`create unique index users_email_lower_key on users (lower(email))`.execute(db);
  await db.schema.createIndex('users_handle_key').unique().on('users').column('handle').execute();

  await db.schema
    .createTable('tracks')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('owner_user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull().check(sql`length(title) between 1 and 200`))
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo('').check(sql`length(description) <= 5000`))
    .addColumn('genre', 'text')
    .addColumn('tags', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('visibility', 'text', (c) =>
      c.notNull().defaultTo('public').check(sql`visibility in ('public', 'unlisted', 'private')`),
    )
    .addColumn('artwork_key', 'text')
    .addColumn('price_minor', 'integer', (c) => c.check(sql`price_minor >= 0`))
    .addColumn('currency', 'text', (c) => c.check(sql`currency ~ '^[A-Z]{3}$'`))
    .addColumn('min_price_minor', 'integer', (c) => c.check(sql`min_price_minor >= 0`))
    .addColumn('free_download', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('current_version_id', 'bigint')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('tracks_owner_slug_key', ['owner_user_id', 'slug'])
    .addCheckConstraint('tracks_price_currency', sql`(price_minor is null) = (currency is null)`)
    .execute();
  // docs/architecture.md, "Domain": CREATE INDEX idx_tracks_owner_created ON tracks(owner_user_id, created_at DESC)
  await sql`create index idx_tracks_owner_created on tracks (owner_user_id, created_at desc)`.execute(db);
  await sql`create index idx_tracks_public_created on tracks (created_at desc) where visibility = 'public'`.execute(db);

  await db.schema
    .createTable('track_versions')
    // By default (not always): an upload reserves its id with nextval() first, so the original
    // is stored under `version-<id>/` before the row exists and no row ever points at a missing file.
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('track_id', 'bigint', (c) => c.notNull().references('tracks.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('uploaded').check(sql`status in ('uploaded', 'processing', 'ready', 'failed')`),
    )
    .addColumn('failure_reason', 'text')
    .addColumn('original_key', 'text', (c) => c.notNull())
    .addColumn('original_filename', 'text', (c) => c.notNull())
    .addColumn('original_size_bytes', 'bigint', (c) => c.notNull())
    .addColumn('duration_ms', 'integer')
    .addColumn('sample_rate', 'integer')
    .addColumn('channels', 'integer')
    .addColumn('codec', 'text')
    .addColumn('bit_depth', 'integer')
    .addColumn('integrated_lufs', 'real')
    .addColumn('loudness_range', 'real')
    .addColumn('true_peak_dbtp', 'real')
    .addColumn('track_gain_db', 'real')
    .addColumn('hls_key', 'text')
    .addColumn('waveform_key', 'text')
    .addColumn('artwork_key', 'text')
    .addColumn('steps', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('processing_started_at', 'timestamptz')
    .addColumn('ready_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('track_versions_track_idx')
    .on('track_versions')
    .columns(['track_id', 'created_at'])
    .execute();
  await sql`create index track_versions_processing_idx on track_versions (processing_started_at) where status = 'processing'`.execute(
    db,
  );
  await db.schema
    .alterTable('tracks')
    .addForeignKeyConstraint('tracks_current_version_fkey', ['current_version_id'], 'track_versions', ['id'])
    .onDelete('set null')
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

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('assets').execute();
  await db.schema.alterTable('tracks').dropConstraint('tracks_current_version_fkey').execute();
  await db.schema.dropTable('track_versions').execute();
  await db.schema.dropTable('tracks').execute();
  await db.schema.dropTable('users').execute();
}
