import { sql, type Kysely } from 'kysely';
import type { Database, StepState, Visibility } from '@earshot/db';
import type { Actor } from '../actor.ts';
import { TRACK_CATALOGUE_COLUMNS, trackCatalogueFields, type Price } from './fields.ts';

/** One row of the artist's studio: a track in any state, with the newest version's progress. */
export interface StudioTrack {
  id: string;
  title: string;
  slug: string;
  description: string;
  visibility: Visibility;
  genre: string | null;
  tags: string[];
  /** From the master's tags or the artist (docs/architecture.md, "Tags from the file"). */
  album: string | null;
  trackNumber: number | null;
  year: number | null;
  downloadable: boolean;
  price: Price | null;
  takenDown: boolean;
  artworkKey: string | null;
  currentVersionId: string | null;
  durationMs: number | null;
  latestVersion: {
    id: string;
    status: 'uploaded' | 'processing' | 'ready' | 'failed';
    failureReason: string | null;
    steps: Record<string, StepState>;
  } | null;
  playCount: number;
  likeCount: number;
  createdAt: string;
}

/** `/studio`: every track of the actor (not retired), newest first, at most 500. */
export async function listStudioTracks(deps: { db: Kysely<Database> }, actor: Actor): Promise<StudioTrack[]> {
  const rows = await deps.db
    .selectFrom('tracks as t')
    .leftJoin('track_versions as cv', 'cv.id', 't.current_version_id')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('track_versions as lv')
          .select(['lv.id', 'lv.status', 'lv.failure_reason', 'lv.steps'])
          .whereRef('lv.track_id', '=', 't.id')
          .orderBy('lv.id', 'desc')
          .limit(1)
          .as('lv'),
      (join) => join.onTrue(),
    )
    .select([
      't.id',
      't.title',
      't.slug',
      't.description',
      't.visibility',
      ...TRACK_CATALOGUE_COLUMNS,
      't.taken_down_at',
      't.current_version_id',
      't.play_count',
      't.like_count',
      't.created_at',
      'cv.duration_ms',
      sql<string | null>`coalesce(t.artwork_key, cv.artwork_key)`.as('artwork_key'),
      'lv.id as lv_id',
      'lv.status as lv_status',
      'lv.failure_reason as lv_failure',
      'lv.steps as lv_steps',
    ])
    .where('t.owner_user_id', '=', actor.id)
    .where('t.deleted_at', 'is', null)
    .orderBy('t.id', 'desc')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    slug: r.slug,
    description: r.description,
    visibility: r.visibility,
    ...trackCatalogueFields(r),
    takenDown: r.taken_down_at !== null,
    artworkKey: r.artwork_key,
    currentVersionId: r.current_version_id,
    durationMs: r.duration_ms,
    latestVersion: r.lv_id
      ? {
          id: r.lv_id,
          status: r.lv_status!,
          failureReason: r.lv_failure ?? null,
          steps: (r.lv_steps ?? {}) as Record<string, StepState>,
        }
      : null,
    playCount: r.play_count,
    likeCount: r.like_count,
    createdAt: r.created_at.toISOString(),
  }));
}
