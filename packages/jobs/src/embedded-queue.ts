import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import { resolveAddOptions } from './add-options.ts';
import { EmbeddedConsumer, type EmbeddedTimings } from './embedded-consumer.ts';
import { EmbeddedJobStore } from './embedded-store.ts';
import { ReadyPoller } from './embedded-poller.ts';
import { reportToStderr, type ErrorReporter } from './error-reporter.ts';
import { JobListeners } from './job-listeners.ts';
import type { AddOptions, FailedJob, JobCounts, JobEvent, JobHandler, JobQueue } from './queue-port.ts';
import type { JobPayloads, QueueName } from './registry.ts';
import { resolveQueueOptions, type QueueOptionOverrides } from './queue-settings.ts';

export interface EmbeddedJobQueueOptions {
  db: Kysely<Database>;
  /**
   * How often the instance looks for work it was not told about (another process's adds, retries
   * whose delay ran out, expired leases): one query for all its queues. Adds in this process wake
   * their consumer at once. Default 1 s.
   */
  pollIntervalMs?: number;
  /** How long a claimed job stays reserved without a heartbeat; a dead worker's jobs are claimed again after it. Default 30 s. */
  leaseMs?: number;
  /** How often running jobs' leases are renewed. Default leaseMs / 3; must be below leaseMs. */
  heartbeatMs?: number;
  /** Completed jobs older than this are deleted by the periodic prune of a processing instance. Default 1 day. */
  completedRetentionMs?: number;
  /** How often a processing instance prunes completed jobs; 0 disables it. Default 1 hour. */
  pruneIntervalMs?: number;
  /**
   * This instance is the only one that will ever use the database (PGlite: one process holds it).
   * The jobs a previous process was running when it died are then taken over when processing
   * starts, instead of after their lease. Never set it on a PostgreSQL shared by several workers.
   */
  soleInstance?: boolean;
  /** Overrides of the registry's attempts / backoff / timeout per queue. */
  queueOptions?: QueueOptionOverrides;
  /** Errors with no caller to throw to (poll, heartbeat, listeners). Default: stderr. */
  onError?: ErrorReporter;
}

const DEFAULT_CLOSE_TIMEOUT_MS = 30_000;

/**
 * Jobs kept in the `jobs` table (embedded mode; also works with several worker processes on one
 * PostgreSQL). Delivery is at least once: a job whose worker died is run again after its lease.
 */
export class EmbeddedJobQueue implements JobQueue {
  readonly kind = 'embedded' as const;
  /** `locked_by` of the jobs this instance claims. */
  readonly instanceId = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly store: EmbeddedJobStore;
  private readonly timings: EmbeddedTimings;
  private readonly listeners: JobListeners;
  private readonly onError: ErrorReporter;
  private readonly consumers: EmbeddedConsumer<QueueName>[] = [];
  private readonly poller: ReadyPoller;
  private pruneTimer: NodeJS.Timeout | undefined;
  private pruneInFlight: Promise<unknown> | undefined;
  private closing: Promise<void> | undefined;
  /** Settles once the leases of a dead predecessor are ended (`soleInstance`); consumers claim after it. */
  private takeover: Promise<void> | undefined;

  constructor(private readonly options: EmbeddedJobQueueOptions) {
    this.store = new EmbeddedJobStore(options.db);
    const leaseMs = options.leaseMs ?? 30_000;
    this.timings = {
      pollIntervalMs: options.pollIntervalMs ?? 1_000,
      leaseMs,
      heartbeatMs: options.heartbeatMs ?? Math.max(1, Math.floor(leaseMs / 3)),
    };
    if (!(this.timings.pollIntervalMs > 0)) throw new RangeError('pollIntervalMs must be > 0');
    if (!(this.timings.heartbeatMs > 0 && this.timings.heartbeatMs < leaseMs))
      throw new RangeError('heartbeatMs must be > 0 and below leaseMs');
    this.onError = options.onError ?? reportToStderr;
    this.listeners = new JobListeners(this.onError);
    this.poller = new ReadyPoller({
      store: this.store,
      owner: this.instanceId,
      intervalMs: this.timings.pollIntervalMs,
      queues: () => [...new Set(this.consumers.map((c) => c.queue))],
      wake: (queue) => this.wake(queue),
      onError: this.onError,
    });
  }

  async add<Q extends QueueName>(queue: Q, data: JobPayloads[Q], options?: AddOptions): Promise<{ id: string }> {
    this.assertOpen();
    const resolved = resolveAddOptions(options, resolveQueueOptions(queue, this.options.queueOptions));
    const id = resolved.jobId ?? randomUUID();
    const inserted = await this.store.insert({
      queue,
      id,
      data,
      maxAttempts: resolved.attempts,
      backoffMs: resolved.backoffMs,
      delayMs: resolved.delayMs,
    });
    if (inserted && resolved.delayMs === 0) this.wake(queue);
    return { id };
  }

  process<Q extends QueueName>(queue: Q, handler: JobHandler<Q>, options: { concurrency: number }): void {
    this.assertOpen();
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1)
      throw new RangeError('concurrency must be an integer >= 1');
    this.takeover ??= this.options.soleInstance
      ? this.store
          .expireLeasesOfOthers(this.instanceId)
          .catch((err: unknown) => this.onError(err, 'taking over the jobs of a previous process'))
      : Promise.resolve();
    const consumer = new EmbeddedConsumer<Q>({
      store: this.store,
      before: this.takeover,
      queue,
      handler,
      concurrency: options.concurrency,
      owner: this.instanceId,
      timings: this.timings,
      timeoutMs: resolveQueueOptions(queue, this.options.queueOptions).timeoutMs,
      listeners: this.listeners,
      onError: this.onError,
    });
    this.consumers.push(consumer as unknown as EmbeddedConsumer<QueueName>);
    consumer.start();
    this.poller.start();
    this.startPruning();
  }

  getJobCounts(queue: QueueName): Promise<JobCounts> {
    return this.store.counts(queue);
  }

  getFailed(queue: QueueName, limit: number): Promise<FailedJob[]> {
    return this.store.failed(queue, limit);
  }

  async retryFailed(queue: QueueName, limit: number): Promise<number> {
    const retried = await this.store.retryFailed(queue, limit);
    if (retried > 0) this.wake(queue);
    return retried;
  }

  async retryJob(queue: QueueName, id: string): Promise<boolean> {
    const retried = await this.store.retryJob(queue, id);
    if (retried) this.wake(queue);
    return retried;
  }

  /** Deletes completed jobs that finished more than `olderThanMs` ago; returns how many. */
  prune(olderThanMs: number): Promise<number> {
    if (!Number.isFinite(olderThanMs) || olderThanMs < 0) throw new RangeError('olderThanMs must be >= 0');
    return this.store.pruneCompleted(olderThanMs);
  }

  on(listener: (event: JobEvent) => void): () => void {
    return this.listeners.add(listener);
  }

  check(): Promise<void> {
    return this.store.ping();
  }

  /**
   * Stops claiming, waits up to `timeoutMs` for running jobs, then aborts the rest: their rows
   * stay `active` and are claimed again once their lease expires. Never throws; leaves no query
   * running, so the caller may close the database right after.
   */
  close(timeoutMs = DEFAULT_CLOSE_TIMEOUT_MS): Promise<void> {
    this.closing ??= this.shutdown(timeoutMs);
    return this.closing;
  }

  private async shutdown(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    clearInterval(this.pruneTimer);
    try {
      await this.poller.stop();
      await Promise.all(this.consumers.map((c) => c.stopClaiming()));
      await Promise.all(
        this.consumers.map(async (consumer) => {
          if (!(await consumer.drain(deadline - Date.now()))) await consumer.abandon();
          await consumer.stopHeartbeat();
        }),
      );
      await this.pruneInFlight;
    } catch (err) {
      this.onError(err, 'closing the embedded job queue');
    }
  }

  private wake(queue: QueueName): void {
    for (const consumer of this.consumers) if (consumer.queue === queue) consumer.wake();
  }

  private startPruning(): void {
    const interval = this.options.pruneIntervalMs ?? 60 * 60_000;
    if (this.pruneTimer || interval <= 0) return;
    const retention = this.options.completedRetentionMs ?? 24 * 60 * 60_000;
    const prune = () => {
      if (this.pruneInFlight) return;
      this.pruneInFlight = this.store
        .pruneCompleted(retention)
        .catch((err: unknown) => this.onError(err, 'pruning completed jobs'))
        .finally(() => (this.pruneInFlight = undefined));
    };
    prune();
    this.pruneTimer = setInterval(prune, interval);
  }

  private assertOpen(): void {
    if (this.closing) throw new Error('job queue is closed');
  }
}
