import type { JobRow } from '@earshot/db';
import type { EmbeddedJobStore } from './embedded-store.ts';
import { JobLeaseLostError, QueueClosingError, toError } from './errors.ts';
import type { ErrorReporter } from './error-reporter.ts';
import type { JobListeners } from './job-listeners.ts';
import { normaliseProgress } from './add-options.ts';
import type { JobContext, JobHandler } from './queue-port.ts';
import type { JobPayloads, QueueName } from './registry.ts';
import { backoffDelayMs } from './queue-settings.ts';
import { runWithTimeout, settlesWithin } from './run-with-timeout.ts';
import { failureBackoffMs } from './embedded-poller.ts';

export interface EmbeddedTimings {
  pollIntervalMs: number;
  leaseMs: number;
  heartbeatMs: number;
}

export interface EmbeddedConsumerDeps<Q extends QueueName> {
  store: EmbeddedJobStore;
  queue: Q;
  handler: JobHandler<Q>;
  concurrency: number;
  /** `locked_by` of this queue instance. */
  owner: string;
  timings: EmbeddedTimings;
  timeoutMs: number;
  listeners: JobListeners;
  onError: ErrorReporter;
  /** The first claim waits for it (the queue's takeover of a dead predecessor's jobs). */
  before?: Promise<void>;
}

interface Run {
  id: string;
  controller: AbortController;
  done: Promise<void>;
  /** The handler settled and its outcome is being written: the heartbeat leaves it alone. */
  settling: boolean;
  /** Closing past the drain timeout or lease lost: nothing more is written for this run. */
  abandoned: boolean;
}

/**
 * One `process()` call of the embedded queue: a loop claiming up to `concurrency` jobs whenever it
 * is woken, a heartbeat renewing the leases of the jobs it runs, and the runs themselves.
 */
export class EmbeddedConsumer<Q extends QueueName> {
  readonly queue: Q;
  private readonly runs = new Set<Run>();
  private stopping = false;
  private wakePending = false;
  private wakeSleep: (() => void) | undefined;
  private loopDone: Promise<void> = Promise.resolve();
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private heartbeatInFlight: Promise<void> | undefined;

  constructor(private readonly deps: EmbeddedConsumerDeps<Q>) {
    this.queue = deps.queue;
  }

  start(): void {
    this.loopDone = this.loop();
    this.heartbeatTimer = setInterval(() => {
      if (!this.heartbeatInFlight)
        this.heartbeatInFlight = this.heartbeat().finally(() => (this.heartbeatInFlight = undefined));
    }, this.deps.timings.heartbeatMs);
  }

  /** Claim now instead of at the next poll (a job was just added or a slot freed up). */
  wake(): void {
    this.wakePending = true;
    this.wakeSleep?.();
  }

  /** Stops claiming; resolves once an in-flight claim has returned (its jobs are then running). */
  stopClaiming(): Promise<void> {
    this.stopping = true;
    this.wakeSleep?.();
    return this.loopDone;
  }

  /** Waits up to `ms` for the running jobs to finish; true when they all did. */
  drain(ms: number): Promise<boolean> {
    return settlesWithin(Promise.all([...this.runs].map((r) => r.done)), ms);
  }

  /**
   * Aborts the jobs still running and stops renewing their leases: their rows stay `active`
   * until the lease expires, then another worker claims them. Waits for outcomes already being
   * written so no query of this consumer outlives the call.
   */
  async abandon(): Promise<void> {
    const writing: Promise<void>[] = [];
    for (const run of this.runs) {
      if (run.settling) {
        writing.push(run.done);
        continue;
      }
      run.abandoned = true;
      run.controller.abort(new QueueClosingError());
    }
    await this.stopHeartbeat();
    await Promise.all(writing);
  }

  async stopHeartbeat(): Promise<void> {
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    await this.heartbeatInFlight;
  }

  private async loop(): Promise<void> {
    const { store, queue, owner, concurrency, timings, onError } = this.deps;
    let failures = 0;
    await this.deps.before;
    while (!this.stopping) {
      const free = concurrency - this.runs.size;
      let claimed = 0;
      if (free > 0) {
        try {
          const rows = await store.claim(queue, owner, free, timings.leaseMs);
          failures = 0;
          claimed = rows.length;
          for (const row of rows) {
            // Taken over to run again (a job abandoned during its last attempt ends `failed` instead).
            if (row.taken_over && row.attempts_made <= row.max_attempts)
              this.deps.listeners.emit({ type: 'stalled', queue, jobId: row.id, attempt: row.attempts_made });
            this.startRun(row);
          }
        } catch (err) {
          failures++;
          onError(err, `claiming ${queue} jobs (failure ${failures} in a row)`);
        }
      }
      // A full batch: there may be more ready jobs, claim again once a slot frees up.
      if (free > 0 && claimed === free) continue;
      if (this.stopping) break;
      // The database is failing: try again after a back-off (doubling, at most 30 s) instead of
      // reporting every attempt. Otherwise wait to be woken: by an add in this process, a run
      // ending, or the instance's ready poller (work from elsewhere, delays and leases running out).
      await this.sleep(failures ? failureBackoffMs(timings.pollIntervalMs, failures) : undefined);
    }
  }

  /** Until woken, or at most `ms` when given. */
  private sleep(ms?: number): Promise<void> {
    if (this.wakePending) {
      this.wakePending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeSleep = undefined;
        this.wakePending = false;
        resolve();
      };
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      this.wakeSleep = done;
    });
  }

  private startRun(row: JobRow): void {
    const run: Run = {
      id: row.id,
      controller: new AbortController(),
      done: Promise.resolve(),
      settling: false,
      abandoned: false,
    };
    this.runs.add(run);
    run.done = this.execute(row, run)
      .catch((err: unknown) => this.deps.onError(err, `recording the outcome of ${this.queue}/${row.id}`))
      .finally(() => {
        this.runs.delete(run);
        this.wake();
      });
  }

  private async execute(row: JobRow, run: Run): Promise<void> {
    const { store, queue, owner, handler, listeners, timeoutMs } = this.deps;
    const { id } = row;
    const attempt = row.attempts_made;
    const maxAttempts = row.max_attempts;
    if (attempt > maxAttempts) {
      // Its worker died (or was stopped) during the last attempt: nothing left to retry with.
      run.settling = true;
      const message = `job was abandoned by its worker during attempt ${maxAttempts} of ${maxAttempts} (lease expired)`;
      if (await store.fail(queue, id, owner, { message, stack: null, retryInMs: null })) {
        listeners.emit({ type: 'failed', queue, jobId: id, data: row.data, error: message, willRetry: false });
      }
      return;
    }
    const context: JobContext<Q> = {
      id,
      queue,
      data: row.data as JobPayloads[Q],
      attempt,
      maxAttempts,
      signal: run.controller.signal,
      updateProgress: async (progress) => {
        const value = normaliseProgress(progress);
        if (run.abandoned || run.settling) throw run.controller.signal.reason ?? new JobLeaseLostError();
        if (!(await store.setProgress(queue, id, owner, value))) throw new JobLeaseLostError();
        listeners.emit({ type: 'progress', queue, jobId: id, data: row.data, progress: value });
      },
    };
    let error: Error | undefined;
    try {
      await runWithTimeout(() => handler(context), run.controller, timeoutMs);
    } catch (err) {
      error = toError(err);
    }
    if (run.abandoned) return;
    run.settling = true;
    if (!error) {
      if (await store.complete(queue, id, owner))
        listeners.emit({ type: 'completed', queue, jobId: id, data: row.data });
      else
        this.deps.onError(
          new JobLeaseLostError(),
          `completing ${queue}/${id}: another worker owns it and may run it again`,
        );
      return;
    }
    const retryInMs = attempt < maxAttempts ? backoffDelayMs(row.backoff_ms, attempt) : null;
    if (await store.fail(queue, id, owner, { message: error.message, stack: error.stack ?? null, retryInMs })) {
      listeners.emit({
        type: 'failed',
        queue,
        jobId: id,
        data: row.data,
        error: error.message,
        willRetry: retryInMs !== null,
      });
    }
  }

  private async heartbeat(): Promise<void> {
    const { store, queue, owner, timings, onError } = this.deps;
    const live = [...this.runs].filter((r) => !r.abandoned && !r.settling);
    if (!live.length) return;
    let owned: Set<string>;
    try {
      owned = await store.renew(
        queue,
        owner,
        live.map((r) => r.id),
        timings.leaseMs,
      );
    } catch (err) {
      onError(err, `renewing the leases of ${queue} jobs`);
      return;
    }
    for (const run of live) {
      if (owned.has(run.id) || run.settling || !this.runs.has(run)) continue;
      // The lease expired (e.g. the event loop was blocked) and another worker claimed the job.
      run.abandoned = true;
      run.controller.abort(new JobLeaseLostError());
      onError(new JobLeaseLostError(), `job ${queue}/${run.id}`);
    }
  }
}
