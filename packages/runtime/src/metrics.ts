import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { QUEUE_NAMES, type JobQueue } from '@earshot/jobs';

/** One registry per process (no global default registry), with Node's default metrics. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * operations.md's HTTP metrics. `route` is the route template (`/api/v1/tracks/:id`), never the
 * raw URL, so label cardinality stays bounded; unmatched URLs are all `unmatched`.
 */
export function createHttpMetrics(registry: Registry) {
  return {
    requests: new Counter({ name: 'http_requests_total', help: 'Total HTTP requests', labelNames: ['method', 'route', 'status'] as const, registers: [registry] }),
    duration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration in seconds',
      labelNames: ['method', 'route'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
      registers: [registry],
    }),
  };
}
export type HttpMetrics = ReturnType<typeof createHttpMetrics>;

/** Queue depth gauges read at scrape time, plus job duration and outcome from the queue's events. */
export function registerQueueMetrics(registry: Registry, jobs: JobQueue): () => void {
  new Gauge({
    name: 'jobs_queue_depth',
    help: 'Jobs per queue and state at scrape time',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      for (const queue of QUEUE_NAMES) {
        const counts = await jobs.getJobCounts(queue);
        for (const state of ['waiting', 'active', 'delayed', 'failed'] as const) this.set({ queue, state }, counts[state]);
      }
    },
  });
  const finished = new Counter({ name: 'jobs_finished_total', help: 'Job attempts finished, by outcome', labelNames: ['queue', 'outcome'] as const, registers: [registry] });
  const duration = new Histogram({ name: 'job_duration_seconds', help: 'Duration of job attempts', labelNames: ['queue', 'outcome'] as const, buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600], registers: [registry] });
  const started = new Map<string, number>();
  return jobs.on((event) => {
    const key = `${event.queue}:${event.jobId}`;
    if (event.type === 'progress') {
      if (!started.has(key)) started.set(key, performance.now());
      return;
    }
    const outcome = event.type === 'completed' ? 'completed' : 'failed';
    finished.inc({ queue: event.queue, outcome });
    const t0 = started.get(key);
    if (t0 !== undefined) {
      duration.observe({ queue: event.queue, outcome }, (performance.now() - t0) / 1000);
      started.delete(key);
    }
  });
}
