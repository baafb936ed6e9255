export {
  QUEUE_NAMES,
  QUEUE_OPTIONS,
  defaultConcurrency,
  type JobPayloads,
  type QueueName,
  type QueueOptions,
} from './registry.ts';
export type { AddOptions, FailedJob, JobContext, JobCounts, JobEvent, JobHandler, JobQueue } from './queue-port.ts';
export { EmbeddedJobQueue, type EmbeddedJobQueueOptions } from './embedded-queue.ts';
export { BullMQJobQueue, type BullMQJobQueueOptions } from './bullmq-queue.ts';
export { createJobQueue, type CreateJobQueueOptions } from './create-job-queue.ts';
export { JobLeaseLostError, JobTimeoutError, QueueClosingError } from './errors.ts';
export type { ErrorReporter } from './error-reporter.ts';
export type { QueueOptionOverrides } from './queue-settings.ts';
