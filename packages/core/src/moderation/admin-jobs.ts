import type { Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import { QUEUE_NAMES, type JobCounts, type JobQueue, type QueueName } from '@earshot/jobs';
import type { Actor } from '../actor.ts';
import { notFound } from '../errors.ts';
import { recordAudit } from './audit.ts';

/** The console's jobs page, over the queue port (the same in both modes); retries are audited. */
export async function jobsOverview(deps: {
  jobs: Pick<JobQueue, 'getJobCounts'>;
}): Promise<Array<{ queue: QueueName } & JobCounts>> {
  return Promise.all(QUEUE_NAMES.map(async (queue) => ({ queue, ...(await deps.jobs.getJobCounts(queue)) })));
}

type Deps = { db: Kysely<Database>; clock: () => Date; jobs: Pick<JobQueue, 'retryFailed' | 'retryJob'> };

export async function retryFailedJobs(deps: Deps, actor: Actor, queue: QueueName, limit: number): Promise<number> {
  const retried = await deps.jobs.retryFailed(queue, limit);
  await recordAudit(deps.db, actor, deps.clock(), {
    action: 'jobs.retry',
    subjectType: 'queue',
    subjectId: queue,
    details: { limit, retried },
  });
  return retried;
}

export async function retryOneJob(deps: Deps, actor: Actor, queue: QueueName, jobId: string): Promise<void> {
  if (!(await deps.jobs.retryJob(queue, jobId))) throw notFound('Failed job');
  await recordAudit(deps.db, actor, deps.clock(), {
    action: 'job.retry',
    subjectType: 'job',
    subjectId: `${queue}/${jobId}`,
  });
}
