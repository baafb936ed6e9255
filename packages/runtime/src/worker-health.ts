import { QUEUE_NAMES, type JobQueue, type QueueName } from '@earshot/jobs';

/** The worker health shape (docs/architecture.md, "Operations contracts"). */
export interface WorkerHealth {
  status: 'healthy' | 'unhealthy';
  queues: Record<QueueName, { waiting: number; active: number; failed: number }>;
}

/** docs/architecture.md, "Operations contracts": more than this many failed jobs in all queues → unhealthy. */
export const FAILED_JOBS_UNHEALTHY_ABOVE = 100;

export async function workerHealth(jobs: Pick<JobQueue, 'getJobCounts'>): Promise<WorkerHealth> {
  const entries = await Promise.all(
    QUEUE_NAMES.map(async (name) => {
      const counts = await jobs.getJobCounts(name);
      return [name, { waiting: counts.waiting, active: counts.active, failed: counts.failed }] as const;
    }),
  );
  const queues = Object.fromEntries(entries) as WorkerHealth['queues'];
  const totalFailed = entries.reduce((sum, [, q]) => sum + q.failed, 0);
  return { status: totalFailed > FAILED_JOBS_UNHEALTHY_ABOVE ? 'unhealthy' : 'healthy', queues };
}
