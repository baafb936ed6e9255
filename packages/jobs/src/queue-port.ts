import type { JobPayloads, QueueName } from './registry.ts';

export interface AddOptions {
  /** Same id twice in one queue: the second add is ignored while the first exists. */
  jobId?: string;
  delayMs?: number;
  /** Overrides the registry's attempts / backoff. */
  attempts?: number;
  backoffMs?: number;
}

export interface JobContext<Q extends QueueName = QueueName> {
  id: string;
  queue: Q;
  data: JobPayloads[Q];
  /** 1 on the first run. */
  attempt: number;
  maxAttempts: number;
  /** 0–100; reported to listeners and stored with the job. */
  updateProgress(progress: number): Promise<void>;
  /** Aborted when the queue is closing past its drain timeout or the job timed out. */
  signal: AbortSignal;
}

/** Throw to fail the attempt (it is retried with backoff until attempts run out). */
export type JobHandler<Q extends QueueName = QueueName> = (job: JobContext<Q>) => Promise<void>;

export interface JobCounts {
  waiting: number;
  active: number;
  failed: number;
  delayed: number;
  completed: number;
}

export interface FailedJob {
  id: string;
  queue: QueueName;
  data: unknown;
  attemptsMade: number;
  error: string;
  failedAt?: Date;
}

export type JobEvent =
  | { type: 'progress'; queue: QueueName; jobId: string; data: unknown; progress: number }
  | { type: 'completed'; queue: QueueName; jobId: string; data: unknown }
  | { type: 'failed'; queue: QueueName; jobId: string; data: unknown; error: string; willRetry: boolean }
  /** A job whose worker stopped answering (died) was taken over; `attempt` is the new run's, when known. */
  | { type: 'stalled'; queue: QueueName; jobId: string; attempt?: number };

/**
 * Jobs port. Producers `add`; the worker calls `process` once per queue. Adapters: BullMQ
 * (Redis) and embedded (rows in the database). Both pass `test/queue-contract.ts`.
 */
export interface JobQueue {
  readonly kind: 'bullmq' | 'embedded';
  add<Q extends QueueName>(queue: Q, data: JobPayloads[Q], options?: AddOptions): Promise<{ id: string }>;
  process<Q extends QueueName>(queue: Q, handler: JobHandler<Q>, options: { concurrency: number }): void;
  getJobCounts(queue: QueueName): Promise<JobCounts>;
  getFailed(queue: QueueName, limit: number): Promise<FailedJob[]>;
  /** Moves up to `limit` failed jobs back to waiting; returns how many. */
  retryFailed(queue: QueueName, limit: number): Promise<number>;
  /** Moves the failed job `id` back to waiting; false when there is no failed job with that id. */
  retryJob(queue: QueueName, id: string): Promise<boolean>;
  /**
   * Subscribe to progress/completion/failure of jobs processed by this process, and to jobs of dead
   * workers this process took over (`stalled`). Returns unsubscribe.
   */
  on(listener: (event: JobEvent) => void): () => void;
  /** Throws when the backend cannot be reached (health check). */
  check(): Promise<void>;
  /** Stops taking jobs, waits for active ones up to `timeoutMs` (then aborts them), closes connections. */
  close(timeoutMs?: number): Promise<void>;
}
