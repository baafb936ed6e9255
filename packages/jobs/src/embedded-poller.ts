import type { EmbeddedJobStore } from './embedded-store.ts';
import type { ErrorReporter } from './error-reporter.ts';
import type { QueueName } from './registry.ts';

export interface ReadyPollerDeps {
  store: EmbeddedJobStore;
  /** `locked_by` of this instance: its own expired leases are not work for it. */
  owner: string;
  intervalMs: number;
  /** The queues this instance consumes, read at every look. */
  queues: () => readonly QueueName[];
  /** Called for each queue with work to claim. */
  wake: (queue: QueueName) => void;
  onError: ErrorReporter;
}

/** Longest wait between tries while the database keeps failing. */
const MAX_BACKOFF_MS = 30_000;

/** The wait after `failures` failed database calls in a row: doubling from `intervalMs`, at most 30 s. */
export function failureBackoffMs(intervalMs: number, failures: number): number {
  return Math.min(intervalMs * 2 ** Math.min(failures, 5), MAX_BACKOFF_MS);
}

/**
 * Finds work the consumers were not told about: jobs added by another process on the same
 * PostgreSQL, delayed jobs (retries) whose time came, leases of dead workers that expired. One
 * read per interval for all queues of the instance wakes the consumers that have something to
 * claim; adds in this process and finished runs wake them directly, so an idle instance costs one
 * query per interval, not a claim per queue.
 */
export class ReadyPoller {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private failures = 0;
  private stopped = false;

  constructor(private readonly deps: ReadyPollerDeps) {}

  start(): void {
    if (this.timer || this.stopped) return;
    this.schedule(this.deps.intervalMs);
  }

  /** Stops looking; resolves once a look in flight has returned. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      this.inFlight = this.look().finally(() => {
        this.inFlight = undefined;
        if (this.stopped) return;
        // The database is failing: back off (doubling, at most 30 s) instead of reporting every look.
        this.schedule(this.failures ? failureBackoffMs(this.deps.intervalMs, this.failures) : this.deps.intervalMs);
      });
    }, ms);
  }

  private async look(): Promise<void> {
    const queues = this.deps.queues();
    if (!queues.length) return;
    try {
      const ready = await this.deps.store.readyQueues(queues, this.deps.owner);
      this.failures = 0;
      for (const queue of ready) this.deps.wake(queue);
    } catch (err) {
      this.failures++;
      this.deps.onError(err, `looking for ready jobs (failure ${this.failures} in a row)`);
    }
  }
}
