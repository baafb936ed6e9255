import { sql, type Kysely } from 'kysely';
import type { Database, StepState } from '@earshot/db';
import type { JobQueue } from '@earshot/jobs';
import type { Actor } from '../actor.ts';
import { AppError } from '../errors.ts';
import type { ProgressBus } from '../media/progress-bus.ts';
import { queueSteps } from '../media/start-processing.ts';
import { MEDIA_STEPS, type MediaStep } from '../media/steps.ts';
import { ownedTrack } from './edit-track.ts';

export type RetryDeps = { db: Kysely<Database>; jobs: Pick<JobQueue, 'add'>; progress: ProgressBus; clock: () => Date };

/**
 * `POST /tracks/:id/retry` (the studio's "Retry"): the newest version of the track, when it is
 * `failed`, goes back to `processing` and the steps it has not finished are queued again through
 * the jobs port, in a round of their own (new job ids, so the failed jobs' ids do not swallow
 * them). Only the track's owner (or an admin) may; anything but a failed newest version is 409
 * `nothing_to_retry`. The switch from `failed` is one conditional update, so two retries at once
 * queue one round; a queue that cannot be reached leaves the version `processing`, where the
 * stuck-version sweep queues it again.
 */
export async function retryTrackProcessing(
  deps: RetryDeps,
  actor: Actor | null,
  trackId: string,
): Promise<{ versionId: string; steps: MediaStep[] }> {
  const track = await ownedTrack(deps.db, actor, trackId);
  const latest = await deps.db
    .selectFrom('track_versions')
    .select(['id', 'status', 'steps'])
    .where('track_id', '=', track.id)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!latest || latest.status !== 'failed') throw nothingToRetry(latest?.status ?? 'none');
  const steps = latest.steps as unknown as Record<string, StepState>;
  const unfinished = MEDIA_STEPS.filter((s) => steps[s]?.state !== 'done');
  const reset = Object.fromEntries(unfinished.map((s) => [s, { state: 'pending', progress: 0 }]));
  const revived = await deps.db
    .updateTable('track_versions')
    .set({
      status: 'processing',
      failure_reason: null,
      steps: sql`steps || ${JSON.stringify(reset)}::jsonb`,
      processing_started_at: sql`now()`,
      updated_at: sql`now()`,
    })
    .where('id', '=', latest.id)
    .where('status', '=', 'failed')
    .executeTakeFirst();
  if (Number(revived.numUpdatedRows) === 0) throw nothingToRetry('processing');
  const ref = { versionId: latest.id, trackId: track.id, ownerUserId: track.owner_user_id };
  deps.progress.publish({ type: 'version.status', ...ref, status: 'processing' });
  // A round per retry: the clock's milliseconds are far above the sweep's rounds and only grow.
  try {
    await queueSteps(deps.jobs, latest.id, deps.clock().getTime(), unfinished);
  } catch {
    // Recovered by requeueStuckVersions (the version is `processing` again).
  }
  return { versionId: latest.id, steps: unfinished };
}

const nothingToRetry = (status: string) =>
  new AppError(409, 'nothing_to_retry', `Only a track whose processing failed can be retried (this one is ${status})`);
