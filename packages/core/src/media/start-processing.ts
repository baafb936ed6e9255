import { sql } from 'kysely';
import type { JobQueue } from '@earshot/jobs';
import type { Kysely } from 'kysely';
import type { Database, StepState } from '@earshot/db';
import { MEDIA_STEPS, stepJobId, type MediaStep } from './steps.ts';

/**
 * Queues the steps of a version that are not done yet, for processing round `round`.
 * Job ids are per version and round, so a duplicate call in the same round queues nothing new.
 */
export async function queueSteps(
  jobs: Pick<JobQueue, 'add'>,
  versionId: string,
  round: number,
  steps: readonly MediaStep[] = MEDIA_STEPS,
): Promise<void> {
  for (const step of steps) await jobs.add(step, { versionId }, { jobId: stepJobId(step, versionId, round) });
}

export interface StuckVersion {
  versionId: string;
  steps: MediaStep[];
}

/**
 * Versions in `processing` with no progress for `staleMs` (their jobs were lost, or the worker
 * died and the queue could not recover them): their unfinished steps are queued again in a new
 * round. Running it from several workers at once is harmless (same round → same job ids).
 */
export async function requeueStuckVersions(
  db: Kysely<Database>,
  jobs: Pick<JobQueue, 'add'>,
  staleMs: number,
  now = new Date(),
): Promise<StuckVersion[]> {
  const cutoff = new Date(now.getTime() - staleMs);
  const rows = await db
    .selectFrom('track_versions')
    .select(['id', 'steps', 'updated_at'])
    .where('status', '=', 'processing')
    .where('updated_at', '<', cutoff)
    .orderBy('id')
    .limit(100)
    .execute();
  const out: StuckVersion[] = [];
  for (const row of rows) {
    const steps = row.steps as unknown as Record<string, StepState>;
    const unfinished = MEDIA_STEPS.filter((s) => steps[s]?.state !== 'done');
    // Round from the stale window: stable while the version stays stuck in the same window.
    const round = 2 + Math.floor(row.updated_at.getTime() / staleMs);
    await queueSteps(jobs, row.id, round, unfinished);
    await db.updateTable('track_versions').set({ updated_at: sql`now()` }).where('id', '=', row.id).execute();
    out.push({ versionId: row.id, steps: unfinished });
  }
  return out;
}
