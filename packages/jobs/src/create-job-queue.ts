import type { Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import { BullMQJobQueue } from './bullmq-queue.ts';
import { EmbeddedJobQueue } from './embedded-queue.ts';
import type { ErrorReporter } from './error-reporter.ts';
import type { JobQueue } from './queue-port.ts';

export interface CreateJobQueueOptions {
  /** Set: BullMQ on this Redis. Unset: jobs kept in the database (`db`). */
  redisUrl?: string | undefined;
  /** Key prefix of every BullMQ key. */
  redisPrefix: string;
  db: Kysely<Database>;
  /** The database is PGlite, which one process holds: the embedded queue is its only user (`soleInstance`). */
  dbIsPglite?: boolean;
  onError?: ErrorReporter;
}

/** Chooses the jobs adapter from configuration: BullMQ when a Redis URL is given, else embedded. */
export function createJobQueue(options: CreateJobQueueOptions): JobQueue {
  const onError = options.onError ? { onError: options.onError } : {};
  if (options.redisUrl) return new BullMQJobQueue({ url: options.redisUrl, prefix: options.redisPrefix, ...onError });
  return new EmbeddedJobQueue({ db: options.db, soleInstance: options.dbIsPglite === true, ...onError });
}
