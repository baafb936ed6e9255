import { sql, type Kysely } from 'kysely';
import type { Database, StepState } from '@earshot/db';
import type { MediaStep } from './steps.ts';
import { MEDIA_STEPS } from './steps.ts';
import type { ProgressBus } from './progress-bus.ts';

export function pendingSteps(): Record<MediaStep, StepState> {
  return Object.fromEntries(MEDIA_STEPS.map((s) => [s, { state: 'pending', progress: 0 }])) as Record<
    MediaStep,
    StepState
  >;
}

/** Atomically replaces one step's state (concurrent steps never overwrite each other). */
export async function setStep(
  db: Kysely<Database>,
  versionId: string,
  step: MediaStep,
  state: StepState,
): Promise<void> {
  await db
    .updateTable('track_versions')
    .set({
      steps: sql`steps || jsonb_build_object(${step}::text, ${JSON.stringify(state)}::jsonb)`,
      updated_at: sql`now()`,
    })
    .where('id', '=', versionId)
    .execute();
}

export interface VersionRef {
  versionId: string;
  trackId: string;
  ownerUserId: string;
}

export async function loadVersionRef(db: Kysely<Database>, versionId: string) {
  return db
    .selectFrom('track_versions as v')
    .innerJoin('tracks as t', 't.id', 'v.track_id')
    .select([
      'v.id',
      'v.track_id',
      'v.status',
      'v.steps',
      'v.original_key',
      't.owner_user_id',
      'v.sample_rate',
      'v.channels',
      'v.codec',
      'v.bit_depth',
      'v.duration_ms',
      'v.audio_stream_index',
      'v.probed_cover',
    ])
    .where('v.id', '=', versionId)
    .executeTakeFirst();
}

/**
 * When every step is done the version becomes `ready` and the track's current version.
 * Row-locked so two steps finishing at once promote it exactly once.
 */
export async function finishIfComplete(db: Kysely<Database>, progress: ProgressBus, ref: VersionRef): Promise<boolean> {
  const promoted = await db.transaction().execute(async (trx) => {
    const v = await trx
      .selectFrom('track_versions')
      .select(['status', 'steps'])
      .where('id', '=', ref.versionId)
      .forUpdate()
      .executeTakeFirst();
    if (!v || v.status !== 'processing') return false;
    const steps = v.steps as unknown as Record<string, StepState>;
    if (!MEDIA_STEPS.every((s) => steps[s]?.state === 'done')) return false;
    await trx
      .updateTable('track_versions')
      .set({ status: 'ready', ready_at: sql`now()`, failure_reason: null, updated_at: sql`now()` })
      .where('id', '=', ref.versionId)
      .execute();
    await trx
      .updateTable('tracks')
      .set({ current_version_id: ref.versionId, provisional_version_id: null, updated_at: sql`now()` })
      .where('id', '=', ref.trackId)
      .execute();
    return true;
  });
  if (promoted) {
    progress.publish({ type: 'version.status', ...ref, status: 'ready' });
    progress.publish({ type: 'track.media', trackId: ref.trackId });
  }
  return promoted;
}

/** A step gave up: the version is `failed` with a reason a person can read. */
export async function failVersion(
  db: Kysely<Database>,
  progress: ProgressBus,
  ref: VersionRef,
  step: MediaStep,
  reason: string,
): Promise<void> {
  await setStep(db, ref.versionId, step, { state: 'failed', progress: 0, error: reason });
  await db
    .updateTable('track_versions')
    .set({ status: 'failed', failure_reason: reason, updated_at: sql`now()` })
    .where('id', '=', ref.versionId)
    .where('status', '=', 'processing')
    .execute();
  // A failed version is streamed to nobody: its provisional stream no longer makes the track playable.
  await withdrawProvisional(db, ref.versionId);
  progress.publish({ type: 'version.step', ...ref, step, state: 'failed', error: reason });
  progress.publish({ type: 'version.status', ...ref, status: 'failed', error: reason });
  progress.publish({ type: 'track.media', trackId: ref.trackId });
}

/**
 * The provisional stream of a first upload is published (docs/performance.md, "Playable in
 * seconds"): the track counts as playable for the visibility module while the version is still
 * processing and no version is current.
 */
export async function markProvisional(db: Kysely<Database>, ref: VersionRef): Promise<void> {
  await db
    .updateTable('tracks')
    .set({ provisional_version_id: ref.versionId })
    .where('id', '=', ref.trackId)
    .where('current_version_id', 'is', null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('track_versions as v')
          .select('v.id')
          .where('v.id', '=', ref.versionId)
          .where('v.status', '=', 'processing'),
      ),
    )
    .execute();
}

/** The version's provisional stream no longer makes its track playable (failed, or its encode starts again). */
export async function withdrawProvisional(db: Kysely<Database>, versionId: string): Promise<void> {
  await db
    .updateTable('tracks')
    .set({ provisional_version_id: null })
    .where('provisional_version_id', '=', versionId)
    .execute();
}
