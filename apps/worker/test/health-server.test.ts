import { afterAll, describe, expect, it } from 'vitest';
import { QUEUE_NAMES, type JobCounts, type JobQueue, type QueueName } from '@earshot/jobs';
import { createLogger, createMetricsRegistry, registerQueueMetrics } from '@earshot/runtime';
import { startHealthServer } from '../src/index.ts';

/** Counts are the only thing the health server asks of the queue; `failedInTranscode` overrides the transcode queue's failures. */
function queueWith(failedPerQueue: number, failedInTranscode = failedPerQueue): JobQueue {
  const counts = (q: QueueName): JobCounts => ({
    waiting: 2,
    active: 1,
    failed: q === 'transcode' ? failedInTranscode : failedPerQueue,
    delayed: 0,
    completed: 5,
  });
  return {
    kind: 'embedded',
    getJobCounts: async (q: QueueName) => counts(q),
    on: () => () => {},
  } as unknown as JobQueue;
}

const servers: Array<{ close(cb: () => void): void }> = [];
afterAll(async () => {
  for (const s of servers) await new Promise<void>((r) => s.close(() => r()));
});

async function serve(jobs: JobQueue) {
  const metrics = createMetricsRegistry('worker');
  registerQueueMetrics(metrics, jobs);
  const logger = createLogger({ logLevel: 'silent', env: 'test' }, 'worker');
  const server = await startHealthServer({ port: 0, host: '127.0.0.1', jobs, metrics, logger });
  servers.push(server);
  const { port } = server.address() as { port: number };
  return `http://127.0.0.1:${port}`;
}

describe('worker health server', () => {
  it('answers the documented health shape exactly', async () => {
    const base = await serve(queueWith(3));
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(Object.keys(body)).toEqual(['status', 'queues']);
    expect(body.status).toBe('healthy');
    expect(Object.keys(body.queues)).toEqual([...QUEUE_NAMES]);
    expect(body.queues.transcode).toEqual({ waiting: 2, active: 1, failed: 3 });
  });

  it('is unhealthy (503) above 100 failed jobs in all queues, healthy at exactly 100', async () => {
    // Whatever the number of queues: all failures in one queue, then spread.
    const others = QUEUE_NAMES.length - 1;
    expect((await fetch(`${await serve(queueWith(0, 101))}/health`)).status).toBe(503);
    expect((await fetch(`${await serve(queueWith(1, 101 - others))}/health`)).status).toBe(503); // 101 failed
    const atLimit = await fetch(`${await serve(queueWith(1, 100 - others))}/health`); // 100 failed
    expect(atLimit.status).toBe(200);
    expect((await atLimit.json()).status).toBe('healthy');
  });

  it('exports queue depth for Prometheus and answers JSON 404 elsewhere', async () => {
    const base = await serve(queueWith(1));
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/jobs_queue_depth\{queue="transcode",state="waiting",service="worker"\} 2/);
    const miss = await fetch(`${base}/nope`);
    expect(miss.status).toBe(404);
    expect((await miss.json()).error.code).toBe('not_found');
  });
});
