import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent, JobQueue, QueueName } from '../src/index.ts';
import type { QueueOptionOverrides } from '../src/queue-settings.ts';
import { startCrashingWorker } from './crashing-worker-process.ts';
import { gate, waitFor } from './wait-for.ts';

export interface InstanceOptions {
  queueOptions?: QueueOptionOverrides;
}

/** One backend (a database, a Redis prefix) that any number of independent adapter instances share. */
export interface ContractBackend {
  /** A new adapter instance, as a freshly started process would create it (fast test timings). */
  open(options?: InstanceOptions): Promise<JobQueue>;
  /** Empties the backend between tests; every instance is closed before. */
  reset(): Promise<void>;
  /** Environment for fixtures/crashing-worker.ts to open an instance over this backend. */
  childEnv(): Record<string, string>;
  /** For backends one process at a time may open (PGlite): let go before the child runs, take back after. */
  releaseForChild?(): Promise<void>;
  reacquireAfterChild?(): Promise<void>;
  dispose(): Promise<void>;
}

const Q: QueueName = 'waveform';

interface Seen {
  id: string;
  data: unknown;
  attempt: number;
  at: number;
}

/** Registers the JobQueue contract for one adapter. Every adapter must pass all of it. */
export function describeQueueContract(name: string, createBackend: () => Promise<ContractBackend>): void {
  describe(name, () => {
    let backend: ContractBackend;
    const opened: JobQueue[] = [];

    async function open(options?: InstanceOptions): Promise<JobQueue> {
      const queue = await backend.open(options);
      opened.push(queue);
      return queue;
    }
    async function closeAll(): Promise<void> {
      await Promise.all(opened.splice(0).map((q) => q.close(1_000)));
    }
    async function counts(queue: JobQueue, name: QueueName = Q) {
      return queue.getJobCounts(name);
    }
    /** Fails each of `jobIds` (one attempt, a handler that always throws), in that order, on `queue`. */
    async function failEach(queue: JobQueue, jobIds: string[]): Promise<void> {
      queue.process(
        Q,
        async () => {
          throw new Error('always');
        },
        { concurrency: 1 },
      );
      for (const jobId of jobIds) {
        await queue.add(Q, { versionId: jobId }, { jobId, attempts: 1 });
        await waitFor(`${jobId} failed`, async () => (await queue.getFailed(Q, 10)).some((f) => f.id === jobId));
      }
    }

    beforeAll(async () => {
      backend = await createBackend();
    });
    afterEach(async () => {
      await closeAll();
      await backend.reset();
    });
    afterAll(async () => {
      await closeAll();
      await backend?.dispose();
    });

    it('processes an added job with its payload; ids are generated when not given', async () => {
      const jobs = await open();
      await jobs.check();
      const seen: Seen[] = [];
      const first = await jobs.add(Q, { versionId: 'v1' });
      const second = await jobs.add(Q, { versionId: 'v2' });
      expect(first.id).toBeTruthy();
      expect(second.id).not.toBe(first.id);
      jobs.process(
        Q,
        async (job) => {
          seen.push({ id: job.id, data: job.data, attempt: job.attempt, at: Date.now() });
        },
        { concurrency: 1 },
      );
      await waitFor('2 completed', async () => (await counts(jobs)).completed === 2);
      expect(seen.map((s) => s.data)).toEqual(expect.arrayContaining([{ versionId: 'v1' }, { versionId: 'v2' }]));
      expect(seen.map((s) => s.id).sort()).toEqual([first.id, second.id].sort());
      expect(seen.every((s) => s.attempt === 1)).toBe(true);
    });

    it('never runs more than `concurrency` handlers at once', async () => {
      const jobs = await open();
      for (let i = 0; i < 8; i++) await jobs.add(Q, { versionId: `c${i}` });
      let inFlight = 0;
      let maxInFlight = 0;
      let done = 0;
      jobs.process(
        Q,
        async () => {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await new Promise((r) => setTimeout(r, 60));
          inFlight--;
          done++;
        },
        { concurrency: 3 },
      );
      await waitFor('8 handled', () => done === 8);
      expect(maxInFlight).toBe(3);
    });

    it('two instances sharing the backend run each job exactly once', async () => {
      const a = await open();
      const b = await open();
      const runs = new Map<string, number>();
      const handler = async (job: { id: string }) => {
        runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 10));
      };
      a.process(Q, handler, { concurrency: 2 });
      b.process(Q, handler, { concurrency: 2 });
      for (let i = 0; i < 30; i++) await (i % 2 ? a : b).add(Q, { versionId: `s${i}` }, { jobId: `shared-${i}` });
      await waitFor('30 completed', async () => (await counts(a)).completed === 30);
      expect(runs.size).toBe(30);
      expect([...runs.values()].every((n) => n === 1)).toBe(true);
    });

    it('reports progress and completion to listeners; unsubscribe stops delivery', async () => {
      const jobs = await open();
      const events: JobEvent[] = [];
      const silenced: JobEvent[] = [];
      jobs.on((e) => events.push(e));
      const unsubscribe = jobs.on((e) => silenced.push(e));
      unsubscribe();
      const { id } = await jobs.add(Q, { versionId: 'p1' });
      jobs.process(
        Q,
        async (job) => {
          await job.updateProgress(25);
          await job.updateProgress(100);
        },
        { concurrency: 1 },
      );
      await waitFor('completed event', () => events.some((e) => e.type === 'completed'));
      expect(events.map((e) => (e.type === 'progress' ? `progress:${e.progress}` : e.type))).toEqual([
        'progress:25',
        'progress:100',
        'completed',
      ]);
      expect(events.every((e) => e.jobId === id && e.queue === Q)).toBe(true);
      expect(events[0]).toMatchObject({ data: { versionId: 'p1' } });
      expect(silenced).toEqual([]);
    });

    it('a job added while no worker runs survives a restart and is processed by a new instance', async () => {
      const producer = await open();
      const { id } = await producer.add(Q, { versionId: 'r1' });
      expect((await counts(producer)).waiting).toBe(1);
      await producer.close();

      const worker = await open();
      const seen: Seen[] = [];
      worker.process(
        Q,
        async (job) => {
          seen.push({ id: job.id, data: job.data, attempt: job.attempt, at: Date.now() });
        },
        { concurrency: 1 },
      );
      await waitFor('restart job completed', async () => (await counts(worker)).completed === 1);
      expect(seen).toMatchObject([{ id, data: { versionId: 'r1' }, attempt: 1 }]);
    });

    it('a job whose worker process was killed mid-run is picked up by another instance and completes', async () => {
      const producer = await open();
      await producer.add(Q, { versionId: 'k1' }, { jobId: 'killed-1' });
      await closeAll();
      await backend.releaseForChild?.();
      const child = await startCrashingWorker({ ...backend.childEnv(), FIXTURE_QUEUE: Q });
      try {
        expect(child.started).toMatchObject({ started: 'killed-1', attempt: 1 });
      } finally {
        await child.kill();
      }
      await backend.reacquireAfterChild?.();

      const rescuer = await open();
      expect(await counts(rescuer)).toMatchObject({ active: 1, waiting: 0, completed: 0 });
      const seen: Seen[] = [];
      const events: JobEvent[] = [];
      rescuer.on((e) => events.push(e));
      rescuer.process(
        Q,
        async (job) => {
          seen.push({ id: job.id, data: job.data, attempt: job.attempt, at: Date.now() });
        },
        { concurrency: 1 },
      );
      await waitFor('killed job completed by the rescuer', async () => (await counts(rescuer)).completed === 1);
      expect(seen).toMatchObject([{ id: 'killed-1', data: { versionId: 'k1' } }]);
      // The takeover is reported once, so the worker can log it.
      expect(events.filter((e) => e.type === 'stalled')).toEqual([
        expect.objectContaining({ type: 'stalled', queue: Q, jobId: 'killed-1' }),
      ]);
      expect(await counts(rescuer)).toMatchObject({ active: 0, waiting: 0, failed: 0, completed: 1 });
    });

    it('retries a failing job with exponential backoff', async () => {
      const jobs = await open();
      const backoffMs = 80;
      const seen: Seen[] = [];
      const events: JobEvent[] = [];
      jobs.on((e) => events.push(e));
      await jobs.add(Q, { versionId: 'b1' }, { attempts: 4, backoffMs });
      jobs.process(
        Q,
        async (job) => {
          seen.push({ id: job.id, data: job.data, attempt: job.attempt, at: Date.now() });
          expect(job.maxAttempts).toBe(4);
          if (job.attempt < 4) throw new Error(`flaky ${job.attempt}`);
        },
        { concurrency: 1 },
      );
      await waitFor('backoff job completed', async () => (await counts(jobs)).completed === 1);
      expect(seen.map((s) => s.attempt)).toEqual([1, 2, 3, 4]);
      for (let n = 1; n < seen.length; n++) {
        expect(seen[n]!.at - seen[n - 1]!.at).toBeGreaterThanOrEqual(backoffMs * 2 ** (n - 1));
      }
      const failures = events.filter((e) => e.type === 'failed');
      expect(failures.map((e) => e.type === 'failed' && [e.error, e.willRetry])).toEqual([
        ['flaky 1', true],
        ['flaky 2', true],
        ['flaky 3', true],
      ]);
    });

    it('a permanently failing job ends failed with its error; getFailed shows it; retryFailed runs it again', async () => {
      const jobs = await open();
      let healthy = false;
      const attempts: number[] = [];
      const events: JobEvent[] = [];
      jobs.on((e) => events.push(e));
      const { id } = await jobs.add(Q, { versionId: 'f1' }, { attempts: 2, backoffMs: 10 });
      jobs.process(
        Q,
        async (job) => {
          attempts.push(job.attempt);
          if (!healthy) throw new Error('decoder exploded');
        },
        { concurrency: 1 },
      );
      await waitFor('job failed', async () => (await counts(jobs)).failed === 1);
      expect(await counts(jobs)).toMatchObject({ waiting: 0, active: 0, delayed: 0, failed: 1, completed: 0 });
      expect(events.filter((e) => e.type === 'failed').map((e) => e.type === 'failed' && e.willRetry)).toEqual([
        true,
        false,
      ]);

      const failed = await jobs.getFailed(Q, 10);
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({
        id,
        queue: Q,
        data: { versionId: 'f1' },
        attemptsMade: 2,
        error: 'decoder exploded',
      });
      expect(failed[0]!.failedAt).toBeInstanceOf(Date);

      healthy = true;
      expect(await jobs.retryFailed(Q, 10)).toBe(1);
      await waitFor('retried job completed', async () => (await counts(jobs)).completed === 1);
      expect(attempts).toEqual([1, 2, 1]);
      expect(await jobs.getFailed(Q, 10)).toEqual([]);
      expect(await jobs.retryFailed(Q, 10)).toBe(0);
    });

    it('retryFailed takes the oldest failures first, up to its limit', async () => {
      const jobs = await open();
      await failEach(jobs, ['old-1', 'mid-2', 'new-3']);
      expect((await jobs.getFailed(Q, 10)).map((f) => f.id)).toEqual(['new-3', 'mid-2', 'old-1']);
      await jobs.close();
      const other = await open();
      expect(await other.retryFailed(Q, 2)).toBe(2);
      expect((await other.getFailed(Q, 10)).map((f) => f.id)).toEqual(['new-3']);
      expect(await counts(other)).toMatchObject({ waiting: 2, failed: 1 });
    });

    it('retryJob retries one failed job by id, and refuses an unknown or not-failed one', async () => {
      const jobs = await open();
      await failEach(jobs, ['one-1', 'two-2']);
      await jobs.close();
      const other = await open();
      expect(await other.retryJob(Q, 'two-2')).toBe(true);
      expect(await other.retryJob(Q, 'two-2')).toBe(false);
      expect(await other.retryJob(Q, 'no-such-job')).toBe(false);
      expect((await other.getFailed(Q, 10)).map((f) => f.id)).toEqual(['one-1']);
      expect(await counts(other)).toMatchObject({ waiting: 1, failed: 1 });
    });

    it('a duplicate job id runs once, even when added again after it completed', async () => {
      const jobs = await open();
      const runs: string[] = [];
      const a = await jobs.add(Q, { versionId: 'd1' }, { jobId: 'dup-1' });
      const b = await jobs.add(Q, { versionId: 'd1-again' }, { jobId: 'dup-1' });
      expect(a.id).toBe('dup-1');
      expect(b.id).toBe('dup-1');
      expect((await counts(jobs)).waiting).toBe(1);
      jobs.process(
        Q,
        async (job) => {
          runs.push(`${job.id}:${(job.data as { versionId: string }).versionId}`);
        },
        { concurrency: 1 },
      );
      await waitFor('dup completed', async () => (await counts(jobs)).completed === 1);
      await jobs.add(Q, { versionId: 'd1-late' }, { jobId: 'dup-1' });
      // One queue, one slot, first in first out: had the late duplicate been queued, it would run before this marker.
      await jobs.add(Q, { versionId: 'marker' }, { jobId: 'marker-1' });
      await waitFor('marker completed', async () => (await counts(jobs)).completed === 2);
      expect(runs).toEqual(['dup-1:d1', 'marker-1:marker']);
    });

    it('getJobCounts reports waiting / active / delayed / failed / completed at each stage', async () => {
      const jobs = await open();
      const hold = gate();
      let started = 0;
      await jobs.add(Q, { versionId: 'n1' });
      await jobs.add(Q, { versionId: 'n2' });
      await jobs.add(Q, { versionId: 'later' }, { delayMs: 60_000 });
      expect(await counts(jobs)).toEqual({ waiting: 2, active: 0, delayed: 1, failed: 0, completed: 0 });

      jobs.process(
        Q,
        async (job) => {
          const { versionId } = job.data as { versionId: string };
          if (versionId.startsWith('bad')) throw new Error(`bad job ${versionId}`);
          started++;
          await hold.promise;
        },
        { concurrency: 1 },
      );
      await waitFor('one active', () => started === 1);
      expect(await counts(jobs)).toEqual({ waiting: 1, active: 1, delayed: 1, failed: 0, completed: 0 });

      hold.open();
      await waitFor('two completed', async () => (await counts(jobs)).completed === 2);
      expect(await counts(jobs)).toEqual({ waiting: 0, active: 0, delayed: 1, failed: 0, completed: 2 });

      await jobs.add(Q, { versionId: 'bad-final' }, { attempts: 1 });
      await jobs.add(Q, { versionId: 'bad-retrying' }, { attempts: 2, backoffMs: 60_000 });
      await waitFor('one failed, one backing off', async () => {
        const c = await counts(jobs);
        return c.failed === 1 && c.delayed === 2;
      });
      expect(await counts(jobs)).toEqual({ waiting: 0, active: 0, delayed: 2, failed: 1, completed: 2 });
      // Other queues are counted apart.
      expect(await counts(jobs, 'transcode')).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 });
    });

    it('close() waits for an in-flight job to finish', async () => {
      const jobs = await open();
      let started = false;
      let finished = false;
      let aborted = false;
      await jobs.add(Q, { versionId: 'w1' });
      jobs.process(
        Q,
        async (job) => {
          started = true;
          await new Promise((r) => setTimeout(r, 300));
          aborted = job.signal.aborted;
          finished = true;
        },
        { concurrency: 1 },
      );
      await waitFor('handler started', () => started);
      await jobs.close(10_000);
      expect(finished).toBe(true);
      expect(aborted).toBe(false);
      const observer = await open();
      expect(await counts(observer)).toMatchObject({ active: 0, waiting: 0, completed: 1 });
      await expect(jobs.add(Q, { versionId: 'after-close' })).rejects.toThrow(/closed/);
    });

    it('close() past its timeout aborts the running job, which another instance then completes', async () => {
      const jobs = await open();
      let started = false;
      let abortReason: unknown;
      await jobs.add(Q, { versionId: 'slow' }, { jobId: 'slow-1' });
      jobs.process(
        Q,
        async (job) => {
          started = true;
          await new Promise<void>((resolve) => job.signal.addEventListener('abort', () => resolve(), { once: true }));
          abortReason = job.signal.reason;
          throw job.signal.reason;
        },
        { concurrency: 1 },
      );
      await waitFor('handler started', () => started);
      await jobs.close(150);
      await waitFor('handler aborted', () => abortReason !== undefined);
      expect(String(abortReason)).toMatch(/closed/);

      const rescuer = await open();
      const seen: string[] = [];
      rescuer.process(
        Q,
        async (job) => {
          seen.push(job.id);
        },
        { concurrency: 1 },
      );
      await waitFor('abandoned job completed elsewhere', async () => (await counts(rescuer)).completed === 1);
      expect(seen).toEqual(['slow-1']);
      expect(await counts(rescuer)).toMatchObject({ failed: 0, active: 0 });
    });

    it('an attempt running past its queue timeout is aborted and fails, then retries', async () => {
      const jobs = await open({ queueOptions: { [Q]: { timeoutMs: 150 } } });
      const events: JobEvent[] = [];
      jobs.on((e) => events.push(e));
      const reasons: unknown[] = [];
      await jobs.add(Q, { versionId: 't1' }, { attempts: 2, backoffMs: 10 });
      jobs.process(
        Q,
        async (job) => {
          if (job.attempt === 1) {
            await new Promise<void>((resolve) => job.signal.addEventListener('abort', () => resolve(), { once: true }));
            reasons.push(job.signal.reason);
          }
        },
        { concurrency: 1 },
      );
      await waitFor('timed-out job completed on retry', async () => (await counts(jobs)).completed === 1);
      expect(reasons).toHaveLength(1);
      expect(String(reasons[0])).toMatch(/timed out after 150 ms/);
      const failed = events.filter((e) => e.type === 'failed');
      expect(failed).toMatchObject([{ willRetry: true, error: 'job timed out after 150 ms' }]);
    });
  });
}
