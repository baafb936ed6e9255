import type { ErrorReporter } from './error-reporter.ts';
import type { JobEvent } from './queue-port.ts';

/** The `on()` subscribers of one queue instance. A listener that throws is reported, not fatal. */
export class JobListeners {
  private readonly listeners = new Set<(event: JobEvent) => void>();

  constructor(private readonly onError: ErrorReporter) {}

  add(listener: (event: JobEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(event: JobEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (err) {
        this.onError(err, `job event listener threw on ${event.type} of ${event.queue}/${event.jobId}`);
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
