import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase, migrateToLatest, type DatabaseHandle } from '@earshot/db';
import { EmbeddedJobQueue, type JobEvent } from '../src/index.ts';
import { startCrashingWorker } from './crashing-worker-process.ts';
import { embeddedChildEnv, FAST_EMBEDDED } from './fast-timings.ts';
import { describeQueueContract } from './queue-contract.ts';
import { waitFor } from './wait-for.ts';

// On disk, not in memory: the "killed worker" case hands the database to a child process.
describeQueueContract('EmbeddedJobQueue on PGlite', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-jobs-pglite-'));
  let handle: DatabaseHandle | undefined;
  const acquire = async () => {
    handle = await createDatabase({ pgliteDir: dir });
    await migrateToLatest(handle.db);
  };
  const db = () => {
    if (!handle) throw new Error('database released');
    return handle.db;
  };
  await acquire();
  return {
    open: async (options) => new EmbeddedJobQueue({ db: db(), ...FAST_EMBEDDED, ...options }),
    reset: async () => {
      await db().deleteFrom('jobs').execute();
    },
    childEnv: () => ({ ...embeddedChildEnv(), FIXTURE_PGLITE_DIR: dir }),
    releaseForChild: async () => {
      await handle?.close();
      handle = undefined;
    },
    reacquireAfterChild: acquire,
    dispose: async () => {
      await handle?.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

// PGlite is one process: whoever held a lease before this instance opened the database is gone.
describe('EmbeddedJobQueue on PGlite as its only instance (soleInstance)', () => {
  const LONG_LEASE = { leaseMs: 600_000, heartbeatMs: 200_000 };
  let dir = '';
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('takes over at once the job a killed process was running, without waiting for its lease', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-jobs-sole-'));
    let handle = await createDatabase({ pgliteDir: dir });
    await migrateToLatest(handle.db);
    await new EmbeddedJobQueue({ db: handle.db }).add('waveform', { versionId: 's1' }, { jobId: 'sole-1' });
    await handle.close();

    const child = await startCrashingWorker({
      ...embeddedChildEnv(),
      FIXTURE_PGLITE_DIR: dir,
      FIXTURE_QUEUE: 'waveform',
      FIXTURE_LEASE_MS: String(LONG_LEASE.leaseMs),
      FIXTURE_HEARTBEAT_MS: String(LONG_LEASE.heartbeatMs),
    });
    expect(child.started).toMatchObject({ started: 'sole-1', attempt: 1 });
    await child.kill();

    handle = await createDatabase({ pgliteDir: dir });
    // Its lease has ten minutes to run: an instance that shares the database leaves it alone...
    const lease = await handle.db
      .selectFrom('jobs')
      .select('locked_until')
      .where('id', '=', 'sole-1')
      .executeTakeFirstOrThrow();
    expect(new Date(lease.locked_until!).getTime()).toBeGreaterThan(Date.now() + 60_000);
    const shared = new EmbeddedJobQueue({ db: handle.db, ...FAST_EMBEDDED, ...LONG_LEASE });
    const claimedByShared: string[] = [];
    shared.process('waveform', async (job) => void claimedByShared.push(job.id), { concurrency: 1 });
    await shared.close(1_000);
    expect(claimedByShared).toEqual([]);

    // ...the sole instance takes it over when it starts processing, and says so.
    const sole = new EmbeddedJobQueue({ db: handle.db, ...FAST_EMBEDDED, ...LONG_LEASE, soleInstance: true });
    const events: JobEvent[] = [];
    sole.on((e) => events.push(e));
    const seen: { id: string; attempt: number }[] = [];
    sole.process('waveform', async (job) => void seen.push({ id: job.id, attempt: job.attempt }), { concurrency: 1 });
    await waitFor('the killed job completed', async () => (await sole.getJobCounts('waveform')).completed === 1);
    expect(seen).toEqual([{ id: 'sole-1', attempt: 2 }]);
    expect(events.filter((e) => e.type === 'stalled')).toEqual([
      expect.objectContaining({ type: 'stalled', queue: 'waveform', jobId: 'sole-1' }),
    ]);
    await sole.close(1_000);
    await handle.close();
  });
});
