import os from 'node:os';
import { QUEUE_NAMES, defaultConcurrency, type JobHandler, type JobQueue, type QueueName } from '@earshot/jobs';
import type { Logger } from '@earshot/runtime';

/** One handler for every queue of the registry; the type makes a missing one a compile error. */
export type HandlerMap = { [Q in QueueName]: JobHandler<Q> };

/**
 * Starts a consumer per queue with the CPU-based concurrency of docs/architecture.md, "Media pipeline". Refuses to start when
 * a queue has no handler (a job nobody runs would wait forever).
 */
export function startProcessing(
  jobs: JobQueue,
  handlers: Partial<HandlerMap>,
  logger: Logger,
  cpuCount = os.cpus().length,
): Record<QueueName, number> {
  const missing = QUEUE_NAMES.filter((q) => typeof handlers[q] !== 'function');
  if (missing.length) throw new Error(`worker refuses to start: no handler for queue(s) ${missing.join(', ')}`);
  jobs.on((event) => {
    if (event.type === 'stalled')
      logger.warn(
        { queue: event.queue, jobId: event.jobId, attempt: event.attempt },
        'stalled job recovered: its worker stopped, running it again',
      );
  });
  const concurrency = {} as Record<QueueName, number>;
  for (const queue of QUEUE_NAMES) {
    concurrency[queue] = defaultConcurrency(queue, cpuCount);
    const handler = handlers[queue] as JobHandler;
    jobs.process(
      queue,
      async (job) => {
        const log = logger.child({ queue, jobId: job.id, attempt: job.attempt });
        log.debug('job started');
        try {
          await handler(job);
          log.info('job completed');
        } catch (err) {
          log.warn({ err, willRetry: job.attempt < job.maxAttempts }, 'job attempt failed');
          throw err;
        }
      },
      { concurrency: concurrency[queue] },
    );
  }
  return concurrency;
}
