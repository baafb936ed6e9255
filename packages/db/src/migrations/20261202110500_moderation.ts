import { sql, type Kysely } from 'kysely';

/**
 * Moderation (docs/architecture.md, "Moderation"): reports that signed-in users make about a
 * track, a comment or an account, and the audit log of every admin action.
 *
 * Reports name their subject by type and id (no foreign key: the subject may be deleted while the
 * report is kept for the record). One reporter has at most one open report per subject: a second
 * report collapses into the first (the partial unique index).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('reports')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    // A deleted reporter's reports stay, anonymously.
    .addColumn('reporter_user_id', 'bigint', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('subject_type', 'text', (c) => c.notNull().check(sql`subject_type in ('track', 'comment', 'user')`))
    .addColumn('subject_id', 'bigint', (c) => c.notNull())
    // Whom the report is against (track owner, comment author, the account): "reports against them".
    .addColumn('subject_user_id', 'bigint', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('reason', 'text', (c) => c.notNull().check(sql`char_length(reason) between 1 and 1000`))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('open').check(sql`status in ('open', 'resolved', 'dismissed')`),
    )
    .addColumn('resolved_by_user_id', 'bigint', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('resolution_note', 'text', (c) => c.check(sql`char_length(resolution_note) <= 1000`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index reports_open_per_reporter_idx on reports (reporter_user_id, subject_type, subject_id) where status = 'open'`.execute(
    db,
  );
  // The queue: newest first per status.
  await db.schema.createIndex('reports_status_id_idx').on('reports').columns(['status', 'id']).execute();
  await db.schema.createIndex('reports_subject_idx').on('reports').columns(['subject_type', 'subject_id']).execute();
  await sql`create index reports_subject_user_idx on reports (subject_user_id) where subject_user_id is not null`.execute(
    db,
  );
  await sql`create index reports_reporter_idx on reports (reporter_user_id) where reporter_user_id is not null`.execute(
    db,
  );

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('actor_user_id', 'bigint', (c) => c.references('users.id').onDelete('set null'))
    // The actor's handle when they acted: the record reads the same after the account is gone.
    .addColumn('actor_handle', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull().check(sql`char_length(action) between 1 and 64`))
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.check(sql`char_length(reason) <= 1000`))
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('audit_log_subject_idx')
    .on('audit_log')
    .columns(['subject_type', 'subject_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_log').execute();
  await db.schema.dropTable('reports').execute();
}
