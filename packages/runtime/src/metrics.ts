import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { QUEUE_NAMES, type JobQueue } from '@earshot/jobs';
import { checkHealth } from './health.ts';
import type { Infrastructure } from './infrastructure.ts';
import type { LogObserver } from './logger.ts';

/** One registry per process (no global default registry), with Node's default metrics. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * `log_messages_total{level}`: lines logged by level. The error-rate alert
 * (prometheus/alerts/earshot.rules.yml) compares the error lines with their usual rate.
 */
export function createLogMetrics(registry: Registry): LogObserver {
  const lines = new Counter({
    name: 'log_messages_total',
    help: 'Log lines written, by level',
    labelNames: ['level'] as const,
    registers: [registry],
  });
  for (const level of ['warn', 'error', 'fatal']) lines.inc({ level }, 0); // present before the first one, so rate() works
  return { line: (level) => lines.inc({ level }) };
}

/**
 * `earshot_health_check_up{check}`: 1 when the check of the health endpoint passes, read at
 * scrape time (the same checks as `/api/v1/health`), so an alert sees what the endpoint says.
 */
export function registerHealthMetrics(
  registry: Registry,
  infra: Pick<Infrastructure, 'database' | 'store' | 'jobs'>,
): void {
  new Gauge({
    name: 'earshot_health_check_up',
    help: 'Health checks of /api/v1/health at scrape time (1 passing, 0 failing)',
    labelNames: ['check'] as const,
    registers: [registry],
    async collect() {
      const report = await checkHealth(infra);
      for (const check of report.checks) this.set({ check: check.service }, check.healthy ? 1 : 0);
    },
  });
}

/**
 * The HTTP metrics (docs/architecture.md, "Operations contracts"). `route` is the route template (`/api/v1/tracks/:id`), never the
 * raw URL, so label cardinality stays bounded; unmatched URLs are all `unmatched`.
 */
export function createHttpMetrics(registry: Registry) {
  return {
    requests: new Counter({
      name: 'http_requests_total',
      help: 'Total HTTP requests',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
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
        for (const state of ['waiting', 'active', 'delayed', 'failed'] as const)
          this.set({ queue, state }, counts[state]);
      }
    },
  });
  const finished = new Counter({
    name: 'jobs_finished_total',
    help: 'Job attempts finished, by outcome',
    labelNames: ['queue', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'job_duration_seconds',
    help: 'Duration of job attempts',
    labelNames: ['queue', 'outcome'] as const,
    buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600],
    registers: [registry],
  });
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
