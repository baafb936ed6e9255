import { sql, type RawBuilder } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, migrateToLatest, type DatabaseHandle } from '@earshot/db';
import { EmbeddedJobQueue, type JobContext, type JobEvent } from '../src/index.ts';
import { FAST_EMBEDDED } from './fast-timings.ts';
import { waitFor } from './wait-for.ts';

/** Behaviour of the embedded adapter beyond the shared contract. */
describe('EmbeddedJobQueue maintenance', () => {
  let handle: DatabaseHandle;
  const opened: EmbeddedJobQueue[] = [];
  const open = (options: Partial<ConstructorParameters<typeof EmbeddedJobQueue>[0]> = {}) => {
    const queue = new EmbeddedJobQueue({ db: handle.db, ...FAST_EMBEDDED, ...options });
    opened.push(queue);
    return queue;
  };

  beforeAll(async () => {
    handle = await createDatabase({ pgliteDir: 'memory://' });
    await migrateToLatest(handle.db);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((q) => q.close(1_000)));
    await handle.db.deleteFrom('jobs').execute();
  });
  afterAll(async () => {
    await handle.close();
  });

  /** Job `id` as an instance leaves it while it runs attempt `attempt`: active, leased by `worker` until `until`. */
  const leased = (id: string, attempt: number, worker: string, until: RawBuilder<Date>) =>
    handle.db
      .updateTable('jobs')
      .set({ status: 'active', attempts_made: attempt, locked_by: worker, locked_until: until })
      .where('id', '=', id)
      .execute();

  /** `queue` runs waveform jobs one at a time; each run adds `note(job)` to `notes`, which it returns. */
  const noteRuns = (queue: EmbeddedJobQueue, note: (job: JobContext<'waveform'>) => string, notes: string[] = []) => {
    queue.process(
      'waveform',
      async (job) => {
        notes.push(note(job));
      },
      { concurrency: 1 },
    );
    return notes;
  };

  it('prune() deletes completed jobs older than the cutoff and nothing else', async () => {
    const jobs = open();
    for (const id of ['old-done', 'new-done', 'old-failed', 'waiting'])
      await jobs.add('waveform', { versionId: id }, { jobId: id });
    await handle.db
      .updateTable('jobs')
      .set({ status: 'completed', finished_at: sql<Date>`now() - interval '3 days'` })
      .where('id', '=', 'old-done')
      .execute();
    await handle.db
      .updateTable('jobs')
      .set({ status: 'completed', finished_at: sql<Date>`now() - interval '1 hour'` })
      .where('id', '=', 'new-done')
      .execute();
    await handle.db
      .updateTable('jobs')
      .set({ status: 'failed', finished_at: sql<Date>`now() - interval '3 days'` })
      .where('id', '=', 'old-failed')
      .execute();
    expect(await jobs.prune(2 * 24 * 60 * 60_000)).toBe(1);
    const left = await handle.db.selectFrom('jobs').select('id').orderBy('id').execute();
    expect(left.map((r) => r.id)).toEqual(['new-done', 'old-failed', 'waiting']);
  });

  it('a processing instance prunes completed jobs past the retention on its own', async () => {
    const jobs = open({ pruneIntervalMs: 50, completedRetentionMs: 60_000 });
    await jobs.add('waveform', { versionId: 'x' }, { jobId: 'stale' });
    await handle.db
      .updateTable('jobs')
      .set({ status: 'completed', finished_at: sql<Date>`now() - interval '2 minutes'` })
      .where('id', '=', 'stale')
      .execute();
    jobs.process('waveform', async () => {}, { concurrency: 1 });
    await waitFor('stale completed job pruned', async () => (await jobs.getJobCounts('waveform')).completed === 0);
  });

  it('a job whose worker died during its last attempt ends failed instead of running again', async () => {
    const jobs = open();
    const events: JobEvent[] = [];
    jobs.on((e) => events.push(e));
    await jobs.add('waveform', { versionId: 'poison' }, { jobId: 'poison', attempts: 2 });
    // As left by a worker killed during attempt 2 of 2.
    await leased('poison', 2, 'dead-worker', sql<Date>`now() - interval '1 second'`);
    let ran = false;
    jobs.process(
      'waveform',
      async () => {
        ran = true;
      },
      { concurrency: 1 },
    );
    await waitFor('poison job failed', async () => (await jobs.getJobCounts('waveform')).failed === 1);
    expect(ran).toBe(false);
    const [failed] = await jobs.getFailed('waveform', 1);
    expect(failed).toMatchObject({
      id: 'poison',
      attemptsMade: 2,
      error: expect.stringMatching(/abandoned by its worker/),
    });
    expect(events).toMatchObject([{ type: 'failed', jobId: 'poison', willRetry: false }]);
  });

  it('a job still leased by a live worker is not claimed by another', async () => {
    const jobs = open();
    await jobs.add('waveform', { versionId: 'leased' }, { jobId: 'leased' });
    await leased('leased', 1, 'live-worker', sql<Date>`now() + interval '1 minute'`);
    const ran = noteRuns(jobs, (job) => job.id);
    // Claims go oldest first (run_at, created_at): a newer job, added by another instance so that it
    // is found the way a claimable lease would be, is only run once the claim has passed over the
    // leased one.
    await open().add('waveform', { versionId: 'newer' }, { jobId: 'newer' });
    await waitFor('the newer job ran', async () => (await jobs.getJobCounts('waveform')).completed === 1);
    expect(ran).toEqual(['newer']);
    expect(await jobs.getJobCounts('waveform')).toMatchObject({ active: 1, waiting: 0 });
  });

  it('an instance never reclaims its own expired lease; another instance does', async () => {
    const first = open();
    await first.add('waveform', { versionId: 'own' }, { jobId: 'own' });
    // As if `first` claimed it and its heartbeat was held up past the lease.
    await leased('own', 1, first.instanceId, sql<Date>`now() - interval '1 second'`);
    const ranBy = noteRuns(first, (job) => `first:${job.id}`);
    // Claims go oldest first: `first` runs a newer job only after passing over its own expired lease.
    await first.add('waveform', { versionId: 'newer' }, { jobId: 'newer' });
    await waitFor('the newer job ran', async () => (await first.getJobCounts('waveform')).completed === 1);
    expect(ranBy).toEqual(['first:newer']);
    ranBy.length = 0;
    const second = open();
    noteRuns(second, (job) => `second:${job.attempt}`, ranBy);
    await waitFor(
      'reclaimed by the other instance',
      async () => (await second.getJobCounts('waveform')).completed === 2,
    );
    expect(ranBy).toEqual(['second:2']);
  });

  it('stores the error stack of a failed attempt and rejects invalid options', async () => {
    const jobs = open();
    await jobs.add('waveform', { versionId: 's' }, { jobId: 'stack', attempts: 1 });
    jobs.process(
      'waveform',
      async () => {
        throw new Error('with stack');
      },
      { concurrency: 1 },
    );
    await waitFor('failed', async () => (await jobs.getJobCounts('waveform')).failed === 1);
    const row = await handle.db
      .selectFrom('jobs')
      .select(['error', 'stacktrace', 'finished_at'])
      .where('id', '=', 'stack')
      .executeTakeFirstOrThrow();
    expect(row.error).toBe('with stack');
    expect(row.stacktrace).toMatch(/Error: with stack\n\s+at /);
    expect(row.finished_at).toBeInstanceOf(Date);
    await expect(jobs.add('waveform', { versionId: 'x' }, { jobId: '123' })).rejects.toThrow(/integer/);
    await expect(jobs.add('waveform', { versionId: 'x' }, { jobId: 'a:b' })).rejects.toThrow(/":"/);
    await expect(jobs.add('waveform', { versionId: 'x' }, { attempts: 0 })).rejects.toThrow(/attempts/);
    expect(() => jobs.process('waveform', async () => {}, { concurrency: 0 })).toThrow(/concurrency/);
  });
});
