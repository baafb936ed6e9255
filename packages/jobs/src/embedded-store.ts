import { sql, type Kysely, type UpdateObject } from 'kysely';
import type { Database, JobRow, JobStatus } from '@earshot/db';
import type { FailedJob, JobCounts } from './queue-port.ts';
import type { QueueName } from './registry.ts';

/** A millisecond count as an SQL interval. */
function ms(value: number) {
  return sql`(${value}::double precision * interval '1 millisecond')`;
}

export interface NewJobRow {
  queue: QueueName;
  id: string;
  data: unknown;
  maxAttempts: number;
  backoffMs: number;
  delayMs: number;
}

/** A claimed job; `taken_over` when its previous worker's lease had expired (the worker died). */
export type ClaimedJobRow = JobRow & { taken_over: boolean };

export interface AttemptFailure {
  message: string;
  stack: string | null;
  /** Null: no attempts left, the job ends `failed`. */
  retryInMs: number | null;
}

/**
 * The SQL of the embedded queue, one statement per operation (no transactions: on PGlite the
 * single connection is never held across awaits). Every write to a claimed job is guarded by
 * `locked_by`, so a worker that lost its lease can never overwrite the new owner's state.
 * Times come from the database clock (`now()`), shared by every worker process.
 */
export class EmbeddedJobStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Inserts the job unless (queue, id) exists in any state; returns whether it was inserted. */
  async insert(job: NewJobRow): Promise<boolean> {
    const status: JobStatus = job.delayMs > 0 ? 'delayed' : 'waiting';
    const inserted = await this.db
      .insertInto('jobs')
      .values({
        queue: job.queue,
        id: job.id,
        name: job.queue,
        data: JSON.stringify(job.data ?? null),
        status,
        max_attempts: job.maxAttempts,
        backoff_ms: job.backoffMs,
        run_at: sql<Date>`now() + ${ms(job.delayMs)}`,
      })
      .onConflict((oc) => oc.columns(['queue', 'id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  /**
   * Which of `queues` have a job `claim` would take now (the same condition, as a read): one cheap
   * look for every queue of an instance instead of a claim per queue and interval.
   */
  async readyQueues(queues: readonly QueueName[], owner: string): Promise<QueueName[]> {
    if (!queues.length) return [];
    const { rows } = await sql<{ queue: QueueName }>`
      select distinct queue from jobs
       where queue in (${sql.join(queues)})
         and ((status in ('waiting', 'delayed') and run_at <= now())
              or (status = 'active' and locked_until < now() and locked_by is distinct from ${owner}))`.execute(
      this.db,
    );
    return rows.map((r) => r.queue);
  }

  /**
   * Claims up to `limit` jobs: ready ones (waiting/delayed whose time came) and active ones whose
   * lease expired (their worker died). Never its own expired leases: that handler may still be
   * running in this process (a blocked event loop delayed the heartbeat). Counts the attempt at
   * claim time, so a job that keeps killing its worker still runs out of attempts.
   */
  async claim(queue: QueueName, owner: string, limit: number, leaseMs: number): Promise<ClaimedJobRow[]> {
    const { rows } = await sql<ClaimedJobRow>`
      update jobs
         set status = 'active',
             locked_by = ${owner},
             locked_until = now() + ${ms(leaseMs)},
             attempts_made = jobs.attempts_made + 1
        from (
         select queue, id, status = 'active' as taken_over from jobs
          where queue = ${queue}
            and ((status in ('waiting', 'delayed') and run_at <= now())
                 or (status = 'active' and locked_until < now() and locked_by is distinct from ${owner}))
          order by run_at, created_at
          limit ${limit}
          for update skip locked) as ready
       where jobs.queue = ready.queue and jobs.id = ready.id
      returning jobs.*, ready.taken_over`.execute(this.db);
    return rows;
  }

  /**
   * Ends now the leases of active jobs held by anyone but `owner`, so `claim` takes them over at
   * once (and reports each as `stalled`). Only for an instance that knows it is the database's one user (PGlite
   * is one process): every other holder is a process that is gone.
   */
  async expireLeasesOfOthers(owner: string): Promise<void> {
    await sql`
      update jobs set locked_until = now() - interval '1 millisecond'
       where status = 'active' and locked_by is distinct from ${owner} and locked_until >= now()`.execute(this.db);
  }

  /** Extends the lease of `ids` still owned by `owner`; returns the ids it still owns. */
  async renew(queue: QueueName, owner: string, ids: string[], leaseMs: number): Promise<Set<string>> {
    if (!ids.length) return new Set();
    return new Set(await this.updateHeld(queue, ids, owner, { locked_until: sql<Date>`now() + ${ms(leaseMs)}` }));
  }

  async setProgress(queue: QueueName, id: string, owner: string, progress: number): Promise<boolean> {
    return this.updateHeldOne(queue, id, owner, { progress: JSON.stringify(progress) });
  }

  async complete(queue: QueueName, id: string, owner: string): Promise<boolean> {
    return this.updateHeldOne(queue, id, owner, {
      status: 'completed',
      finished_at: sql<Date>`now()`,
      locked_by: null,
      locked_until: null,
    });
  }

  /** Records a failed attempt: rescheduled after the backoff, or `failed` when none are left. */
  async fail(queue: QueueName, id: string, owner: string, failure: AttemptFailure): Promise<boolean> {
    const retry = failure.retryInMs;
    return this.updateHeldOne(queue, id, owner, {
      status: retry === null ? 'failed' : retry > 0 ? 'delayed' : 'waiting',
      run_at: retry === null ? sql<Date>`run_at` : sql<Date>`now() + ${ms(retry)}`,
      finished_at: retry === null ? sql<Date>`now()` : null,
      // A job reclaimed after its worker died on the last attempt has counted one claim too many.
      attempts_made: sql<number>`least(attempts_made, max_attempts)`,
      error: failure.message,
      stacktrace: failure.stack,
      locked_by: null,
      locked_until: null,
    });
  }

  /** Updates jobs `ids` only while `owner` holds them (active and locked by it); returns the ids it updated. */
  private async updateHeld(
    queue: QueueName,
    ids: string[],
    owner: string,
    values: UpdateObject<Database, 'jobs'>,
  ): Promise<string[]> {
    const rows = await this.db
      .updateTable('jobs')
      .set(values)
      .where('queue', '=', queue)
      .where('id', 'in', ids)
      .where('locked_by', '=', owner)
      .where('status', '=', 'active')
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  }

  /** `updateHeld` of one job: false when `owner` no longer holds it. */
  private async updateHeldOne(
    queue: QueueName,
    id: string,
    owner: string,
    values: UpdateObject<Database, 'jobs'>,
  ): Promise<boolean> {
    return (await this.updateHeld(queue, [id], owner, values)).length > 0;
  }

  /** `waiting` = ready to run now; `delayed` = scheduled later (a retry backoff or `delayMs`). */
  async counts(queue: QueueName): Promise<JobCounts> {
    const { rows } = await sql<{ status: JobStatus; ready: string | number; total: string | number }>`
      select status, count(*) filter (where run_at <= now()) as ready, count(*) as total
        from jobs where queue = ${queue} group by status`.execute(this.db);
    const counts: JobCounts = { waiting: 0, active: 0, failed: 0, delayed: 0, completed: 0 };
    for (const row of rows) {
      const total = Number(row.total);
      const ready = Number(row.ready);
      if (row.status === 'waiting' || row.status === 'delayed') {
        counts.waiting += ready;
        counts.delayed += total - ready;
      } else {
        counts[row.status] += total;
      }
    }
    return counts;
  }

  /** Most recently failed first. */
  async failed(queue: QueueName, limit: number): Promise<FailedJob[]> {
    const rows = await this.db
      .selectFrom('jobs')
      .select(['id', 'data', 'attempts_made', 'error', 'finished_at'])
      .where('queue', '=', queue)
      .where('status', '=', 'failed')
      .orderBy('finished_at', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      queue,
      data: r.data,
      attemptsMade: r.attempts_made,
      error: r.error ?? '',
      ...(r.finished_at ? { failedAt: r.finished_at } : {}),
    }));
  }

  /** Moves up to `limit` failed jobs, oldest failure first, back to waiting with fresh attempts. One statement. */
  async retryFailed(queue: QueueName, limit: number): Promise<number> {
    const { rows } = await sql<{ id: string }>`
      update jobs
         set status = 'waiting', attempts_made = 0, run_at = now(), progress = '0'::jsonb,
             error = null, stacktrace = null, finished_at = null, locked_by = null, locked_until = null
       where (queue, id) in (
         select queue, id from jobs
          where queue = ${queue} and status = 'failed'
          order by finished_at, id
          limit ${limit}
          for update skip locked)
      returning id`.execute(this.db);
    return rows.length;
  }

  async retryJob(queue: QueueName, id: string): Promise<boolean> {
    const { rows } = await sql<{ id: string }>`
      update jobs
         set status = 'waiting', attempts_made = 0, run_at = now(), progress = '0'::jsonb,
             error = null, stacktrace = null, finished_at = null, locked_by = null, locked_until = null
       where queue = ${queue} and id = ${id} and status = 'failed'
      returning id`.execute(this.db);
    return rows.length === 1;
  }

  /** Deletes completed jobs that finished more than `olderThanMs` ago; returns how many. */
  async pruneCompleted(olderThanMs: number): Promise<number> {
    const result = await this.db
      .deleteFrom('jobs')
      .where('status', '=', 'completed')
      .where('finished_at', '<', sql<Date>`now() - ${ms(olderThanMs)}`)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }
}
