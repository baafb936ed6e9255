import { sql, type Kysely } from 'kysely';

/** Durable job queue of the embedded mode (production uses BullMQ on Redis instead). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('waiting', 'delayed', 'active', 'completed', 'failed')`),
    )
    .addColumn('attempts_made', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('backoff_ms', 'integer', (c) => c.notNull())
    .addColumn('run_at', 'timestamptz', (c) => c.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'timestamptz')
    .addColumn('progress', 'jsonb', (c) => c.notNull().defaultTo(sql`'0'::jsonb`))
    .addColumn('error', 'text')
    .addColumn('stacktrace', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .addPrimaryKeyConstraint('jobs_pkey', ['queue', 'id'])
    .execute();
  await sql`create index jobs_ready_idx on jobs (queue, run_at) where status in ('waiting', 'delayed')`.execute(db);
  await sql`create index jobs_active_idx on jobs (locked_until) where status = 'active'`.execute(db);
  await db.schema.createIndex('jobs_status_idx').on('jobs').columns(['queue', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('jobs').execute();
}
