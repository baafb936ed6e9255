import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { normaliseProgress, resolveAddOptions } from './add-options.ts';
import { QueueClosingError, toError } from './errors.ts';
import { reportToStderr, type ErrorReporter } from './error-reporter.ts';
import { JobListeners } from './job-listeners.ts';
import type { AddOptions, FailedJob, JobContext, JobCounts, JobEvent, JobHandler, JobQueue } from './queue-port.ts';
import type { JobPayloads, QueueName } from './registry.ts';
import { resolveQueueOptions, type QueueOptionOverrides } from './queue-settings.ts';
import { runWithTimeout, settlesWithin } from './run-with-timeout.ts';

export interface BullMQJobQueueOptions {
  /** redis:// or rediss:// URL. */
  url: string;
  /** Every key lives under `<prefix>:<queue>:…`, so one Redis can serve several installs (and tests). */
  prefix: string;
  /** How long a worker's lock on a job lasts without renewal (renewed every half). Default 30 s. */
  lockDurationMs?: number;
  /** How often workers look for jobs whose lock expired (their worker died). Default 30 s. */
  stalledIntervalMs?: number;
  /** How many times a job may be recovered from a dead worker before it fails. Default 1 (BullMQ's). */
  maxStalledCount?: number;
  /** Completed jobs kept for inspection: the newest `count`, none older than `ageMs`. Default 1000 / 1 day. */
  keepCompleted?: { count: number; ageMs: number };
  /** Overrides of the registry's attempts / backoff / timeout per queue. */
  queueOptions?: QueueOptionOverrides;
  /** Errors with no caller to throw to (Redis connection, worker, listeners). Default: stderr. */
  onError?: ErrorReporter;
}

interface WorkerEntry {
  queue: QueueName;
  worker: Worker;
  connection: Redis;
  /** Controllers of the attempts running in this worker, aborted when closing past the timeout. */
  running: Set<AbortController>;
}

const DEFAULT_CLOSE_TIMEOUT_MS = 30_000;

/** The jobs port on BullMQ (Redis): one Queue per queue name, one Worker per `process()` call. */
export class BullMQJobQueue implements JobQueue {
  readonly kind = 'bullmq' as const;
  private readonly onError: ErrorReporter;
  private readonly listeners: JobListeners;
  /** Producer connection shared by every Queue; commands fail after a few retries instead of hanging. */
  private readonly connection: Redis;
  private readonly queues = new Map<QueueName, Queue>();
  private readonly workers: WorkerEntry[] = [];
  private closing: Promise<void> | undefined;

  constructor(private readonly options: BullMQJobQueueOptions) {
    if (!options.prefix) throw new Error('BullMQJobQueue needs a key prefix');
    this.onError = options.onError ?? reportToStderr;
    this.listeners = new JobListeners(this.onError);
    this.connection = new Redis(options.url, { maxRetriesPerRequest: 3 });
    this.connection.on('error', (err) => this.onError(err, 'redis (queues)'));
  }

  async add<Q extends QueueName>(queue: Q, data: JobPayloads[Q], options?: AddOptions): Promise<{ id: string }> {
    this.assertOpen();
    const resolved = resolveAddOptions(options, resolveQueueOptions(queue, this.options.queueOptions));
    const job = await this.queue(queue).add(queue, data, {
      ...(resolved.jobId !== undefined ? { jobId: resolved.jobId } : {}),
      ...(resolved.delayMs > 0 ? { delay: resolved.delayMs } : {}),
      attempts: resolved.attempts,
      backoff: { type: 'exponential', delay: resolved.backoffMs },
    });
    if (!job.id) throw new Error(`BullMQ returned no id for a ${queue} job`);
    return { id: job.id };
  }

  process<Q extends QueueName>(queue: Q, handler: JobHandler<Q>, options: { concurrency: number }): void {
    this.assertOpen();
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1)
      throw new RangeError('concurrency must be an integer >= 1');
    const timeoutMs = resolveQueueOptions(queue, this.options.queueOptions).timeoutMs;
    // Workers block on Redis: BullMQ requires unlimited retries on their connection.
    const connection = new Redis(this.options.url, { maxRetriesPerRequest: null });
    connection.on('error', (err) => this.onError(err, `redis (${queue} worker)`));
    const running = new Set<AbortController>();
    const processor = async (job: Job, _token?: string, bullSignal?: AbortSignal): Promise<void> => {
      const controller = new AbortController();
      running.add(controller);
      const signal = bullSignal ? AbortSignal.any([controller.signal, bullSignal]) : controller.signal;
      const context: JobContext<Q> = {
        id: job.id ?? '',
        queue,
        data: job.data as JobPayloads[Q],
        attempt: job.attemptsMade + 1,
        maxAttempts: job.opts.attempts ?? 1,
        signal,
        updateProgress: async (progress) => {
          await job.updateProgress(normaliseProgress(progress));
        },
      };
      try {
        await runWithTimeout(() => handler(context), controller, timeoutMs);
      } finally {
        running.delete(controller);
      }
    };
    const worker = new Worker(queue, processor, {
      connection,
      prefix: this.options.prefix,
      concurrency: options.concurrency,
      lockDuration: this.options.lockDurationMs ?? 30_000,
      stalledInterval: this.options.stalledIntervalMs ?? 30_000,
      maxStalledCount: this.options.maxStalledCount ?? 1,
    });
    worker.on('error', (err) => this.onError(err, `${queue} worker`));
    worker.on('progress', (job, progress) => {
      if (typeof progress === 'number')
        this.listeners.emit({ type: 'progress', queue, jobId: job.id ?? '', data: job.data, progress });
    });
    // Found by this worker's periodic check: the lock of a job ran out (its worker died) and the
    // job went back to wait, to be run again.
    worker.on('stalled', (jobId) => this.listeners.emit({ type: 'stalled', queue, jobId }));
    worker.on('completed', (job) =>
      this.listeners.emit({ type: 'completed', queue, jobId: job.id ?? '', data: job.data }),
    );
    worker.on('failed', (job, err) => {
      if (!job) return;
      const willRetry = err.name !== 'UnrecoverableError' && job.attemptsMade < (job.opts.attempts ?? 1);
      this.listeners.emit({
        type: 'failed',
        queue,
        jobId: job.id ?? '',
        data: job.data,
        error: err.message,
        willRetry,
      });
    });
    this.workers.push({ queue, worker, connection, running });
  }

  async getJobCounts(queue: QueueName): Promise<JobCounts> {
    const c = await this.queue(queue).getJobCounts(
      'wait',
      'prioritized',
      'waiting-children',
      'active',
      'failed',
      'delayed',
      'completed',
    );
    return {
      waiting: (c.wait ?? 0) + (c.prioritized ?? 0) + (c['waiting-children'] ?? 0),
      active: c.active ?? 0,
      failed: c.failed ?? 0,
      delayed: c.delayed ?? 0,
      completed: c.completed ?? 0,
    };
  }

  /** Most recently failed first. */
  async getFailed(queue: QueueName, limit: number): Promise<FailedJob[]> {
    if (limit <= 0) return [];
    const jobs = await this.queue(queue).getFailed(0, limit - 1);
    return jobs.filter(Boolean).map((job) => ({
      id: job.id ?? '',
      queue,
      data: job.data,
      attemptsMade: job.attemptsMade,
      error: job.failedReason ?? '',
      ...(job.finishedOn ? { failedAt: new Date(job.finishedOn) } : {}),
    }));
  }

  /** Oldest failures first; each job moves back to waiting atomically with its attempts reset. */
  async retryFailed(queue: QueueName, limit: number): Promise<number> {
    if (limit <= 0) return 0;
    const jobs = await this.queue(queue).getJobs(['failed'], 0, limit - 1, true);
    let retried = 0;
    for (const job of jobs) {
      if (!job) continue;
      try {
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        retried++;
      } catch (err) {
        // Retried or removed meanwhile by someone else: not ours to count.
        if ((await job.getState()) === 'failed') throw err;
      }
    }
    return retried;
  }

  async retryJob(queue: QueueName, id: string): Promise<boolean> {
    const job = await this.queue(queue).getJob(id);
    if (!job || (await job.getState()) !== 'failed') return false;
    try {
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      return true;
    } catch (err) {
      // Retried or removed meanwhile by someone else.
      if ((await job.getState()) === 'failed') throw err;
      return false;
    }
  }

  on(listener: (event: JobEvent) => void): () => void {
    return this.listeners.add(listener);
  }

  async check(): Promise<void> {
    const reply = await this.connection.ping();
    if (reply !== 'PONG') throw new Error(`unexpected PING reply from Redis: ${reply}`);
  }

  /**
   * Stops fetching, waits up to `timeoutMs` for running jobs, then aborts them and force-closes
   * their workers: those jobs stay active until their lock expires and a worker recovers them as
   * stalled. Then closes queues and connections. Never throws.
   */
  close(timeoutMs = DEFAULT_CLOSE_TIMEOUT_MS): Promise<void> {
    this.closing ??= this.shutdown(timeoutMs);
    return this.closing;
  }

  private async shutdown(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    await Promise.all(this.workers.map((entry) => this.closeWorker(entry, deadline)));
    for (const queue of this.queues.values()) {
      try {
        await queue.close();
      } catch (err) {
        this.onError(err, `closing the ${queue.name} queue`);
      }
    }
    await this.quit(this.connection, 'the queue connection');
  }

  private async closeWorker({ queue, worker, connection, running }: WorkerEntry, deadline: number): Promise<void> {
    try {
      // pause() stops fetching and resolves once the running jobs have finished.
      const paused = worker.pause();
      if (await settlesWithin(paused, deadline - Date.now())) {
        await paused;
        await worker.close();
      } else {
        // Force-close first (no more lock renewals, outcomes no longer written), then abort.
        paused.catch(() => {
          // Rejects with "Connection is closed" once the forced close below has run; expected.
        });
        await worker.close(true);
        for (const controller of running) controller.abort(new QueueClosingError());
      }
    } catch (err) {
      this.onError(toError(err), `closing the ${queue} worker`);
    }
    await this.quit(connection, `the ${queue} worker connection`);
  }

  private async quit(connection: Redis, what: string): Promise<void> {
    try {
      if (connection.status === 'end' || connection.status === 'wait') connection.disconnect();
      else await connection.quit();
    } catch (err) {
      this.onError(err, `closing ${what}`);
      connection.disconnect();
    }
  }

  private queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      resolveQueueOptions(name);
      const keep = this.options.keepCompleted ?? { count: 1_000, ageMs: 24 * 60 * 60_000 };
      queue = new Queue(name, {
        connection: this.connection,
        prefix: this.options.prefix,
        defaultJobOptions: {
          removeOnComplete: { count: keep.count, age: Math.ceil(keep.ageMs / 1000) },
          removeOnFail: false,
        },
      });
      queue.on('error', (err) => this.onError(err, `${name} queue`));
      this.queues.set(name, queue);
    }
    return queue;
  }

  private assertOpen(): void {
    if (this.closing) throw new Error('job queue is closed');
  }
}
