import path from 'node:path';
import { sql, type Transaction } from 'kysely';
import type { Database, StepState, Visibility } from '@earshot/db';
import { keys } from '@earshot/storage';
import type { AudioInfo } from '../media/media-toolkit.ts';
import type { CoreDeps } from '../deps.ts';
import { ownsOrAdmin, type Actor } from '../actor.ts';
import { getTrackView, toVersionView, type TrackView, type VersionView } from './get-track.ts';
import { pendingSteps } from '../media/version-state.ts';
import { queueSteps } from '../media/start-processing.ts';
import { MEDIA_STEPS, type MediaStep } from '../media/steps.ts';
import { MediaRejectedError } from '../media/errors.ts';
import { forbidden, notFound, unprocessable } from '../errors.ts';
import { freeSlug } from './slug.ts';
import { titleFromFilename } from './file-tags.ts';
import {
  normalizeAlbum,
  normalizeCoverFromFile,
  normalizeTrackDescription,
  normalizeTrackNumber,
  normalizeTrackTitle,
  normalizeVisibility,
  normalizeYear,
} from './fields.ts';
import { normalizeGenre } from '../catalog/fields.ts';

export type UploadDeps = Pick<CoreDeps, 'db' | 'store' | 'jobs' | 'media' | 'progress'>;

/** An upload already streamed to a local temp file by the HTTP layer; handed over to the store (never written to again). */
export interface ReceivedFile {
  path: string;
  originalFilename: string;
  sizeBytes: number;
}

/** As received: checked and normalised by tracks/fields.ts before anything is stored. */
export interface NewTrackInput {
  title: string;
  description?: string;
  visibility?: Visibility | string;
  /** Absent or empty: the file's tags say (docs/architecture.md, "Tags from the file"). */
  genre?: string;
  album?: string;
  trackNumber?: number | string;
  year?: number | string;
  /** `false`: the cover embedded in the file is not extracted as the track's artwork (absent: it is). */
  coverFromFile?: boolean | string;
}

/**
 * The artist unticked "Use the file's cover as artwork": the step that extracts it is done before
 * it starts (never queued, and a stray job finds it done), so the track has no artwork from the file.
 */
const ARTWORK_STEP: MediaStep = 'artwork-extract';
const SKIPPED_NOTE = 'Cover art not used: the artist chose not to';

/** What the uploader typed, else what the file's tags say, else nothing. */
const typedOr = <T>(typed: T | null, tag: T | undefined): T | null => typed ?? tag ?? null;

export const invalidAudio = (message: string) => unprocessable('invalid_audio', message);

const AUDIO_EXTENSIONS = /^\.(wav|wave|flac|mp3|m4a|mp4|aac|ogg|oga|opus|aif|aiff|alac|wv|ape|webm|mka)$/i;

/** Probes the file: a clear 422 unless ffprobe finds an audio stream. */
async function probeUpload(media: UploadDeps['media'], file: ReceivedFile): Promise<AudioInfo> {
  if (file.sizeBytes === 0) throw invalidAudio('The file is empty');
  try {
    return await media.probe(file.path);
  } catch (err) {
    if (err instanceof MediaRejectedError || (err as { permanent?: boolean }).permanent)
      throw invalidAudio((err as Error).message);
    throw err;
  }
}

/** Stores the original under `version-<id>/` with a reserved id; returns the id and key. */
async function storeOriginal(deps: UploadDeps, file: ReceivedFile): Promise<{ versionId: string; key: string }> {
  const { rows } = await sql<{
    id: string;
  }>`select nextval(pg_get_serial_sequence('track_versions', 'id'))::text as id`.execute(deps.db);
  const versionId = rows[0]!.id;
  const ext = path.extname(file.originalFilename);
  const key = keys.original(versionId, AUDIO_EXTENSIONS.test(ext) ? ext.toLowerCase() : '');
  await deps.store.putFile('originals', key, file.path, { contentType: 'application/octet-stream' });
  return { versionId, key };
}

async function insertVersion(
  trx: Transaction<Database>,
  trackId: string,
  versionId: string,
  key: string,
  file: ReceivedFile,
  info: AudioInfo,
  skipped: readonly MediaStep[] = [],
) {
  const steps: Record<string, StepState> = pendingSteps();
  for (const step of skipped) steps[step] = { state: 'done', progress: 100, note: SKIPPED_NOTE };
  return trx
    .insertInto('track_versions')
    .values({
      id: versionId,
      track_id: trackId,
      status: 'processing',
      original_key: key,
      original_filename: file.originalFilename.slice(0, 255),
      original_size_bytes: file.sizeBytes,
      duration_ms: Math.round(info.durationMs),
      sample_rate: info.sampleRate,
      channels: info.channels,
      codec: info.codec,
      bit_depth: info.bitDepth,
      audio_stream_index: info.audioStreamIndex,
      probed_cover: info.cover === undefined ? null : JSON.stringify({ cover: info.cover }),
      steps: JSON.stringify(steps),
      processing_started_at: new Date(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * `POST /tracks` (docs/architecture.md, "Media pipeline"): probe, store the original, create the
 * rows, queue the four media jobs; the caller owns the new track, which is returned as its owner
 * sees it. Nothing is kept when any step before the commit fails: no row, no object.
 */
export async function createTrackFromUpload(
  deps: UploadDeps,
  actor: Actor,
  file: ReceivedFile,
  input: NewTrackInput,
): Promise<TrackView> {
  const ownerId = actor.id;
  // What the uploader typed is checked before the file is read; an empty title waits for the tags.
  const typedTitle = (input.title ?? '').trim() === '' ? null : normalizeTrackTitle(input.title);
  const description = normalizeTrackDescription(input.description);
  const visibility = normalizeVisibility(input.visibility);
  const typed = {
    genre: input.genre === undefined ? null : normalizeGenre(input.genre),
    album: input.album === undefined ? null : normalizeAlbum(input.album),
    trackNumber: input.trackNumber === undefined ? null : normalizeTrackNumber(input.trackNumber),
    year: input.year === undefined ? null : normalizeYear(input.year),
  };
  const coverFromFile = normalizeCoverFromFile(input.coverFromFile);
  const info = await probeUpload(deps.media, file);
  // Where the uploader typed nothing: the file's tags, then its name (tracks/file-tags.ts).
  const title = normalizeTrackTitle(
    typedTitle ?? info.tags?.title ?? (titleFromFilename(file.originalFilename) || 'Untitled'),
  );
  const tags = info.tags ?? {};
  const { versionId, key } = await storeOriginal(deps, file);
  let trackId: string;
  try {
    trackId = await deps.db.transaction().execute(async (trx) => {
      const track = await trx
        .insertInto('tracks')
        .values({
          owner_user_id: ownerId,
          title,
          slug: await freeSlug(trx, 'tracks', ownerId, title),
          description,
          visibility,
          genre: typedOr(typed.genre, tags.genre),
          album: typedOr(typed.album, tags.album),
          track_number: typedOr(typed.trackNumber, tags.trackNumber),
          year: typedOr(typed.year, tags.year),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await insertVersion(trx, track.id, versionId, key, file, info, coverFromFile ? [] : [ARTWORK_STEP]);
      return track.id;
    });
  } catch (err) {
    await deps.store.delete('originals', key).catch(() => {});
    throw err;
  }
  await queueAfterCommit(deps, versionId, coverFromFile ? [] : [ARTWORK_STEP]);
  return getTrackView(deps, actor, trackId);
}

/** `POST /tracks/:id/versions`: a new master for a track the caller owns. */
export async function addVersionFromUpload(
  deps: UploadDeps,
  actor: Actor,
  trackId: string,
  file: ReceivedFile,
): Promise<VersionView> {
  const track = await deps.db
    .selectFrom('tracks')
    .select(['id', 'owner_user_id'])
    .where('id', '=', trackId)
    .executeTakeFirst();
  if (!track) throw notFound('Track');
  if (!ownsOrAdmin(actor, track.owner_user_id)) throw forbidden('Only the track owner can upload a new version');
  const info = await probeUpload(deps.media, file);
  const { versionId, key } = await storeOriginal(deps, file);
  try {
    const version = await deps.db
      .transaction()
      .execute((trx) => insertVersion(trx, trackId, versionId, key, file, info));
    await queueAfterCommit(deps, versionId);
    return toVersionView(version);
  } catch (err) {
    await deps.store.delete('originals', key).catch(() => {});
    throw err;
  }
}

/**
 * After the commit: if queueing fails the version stays `processing` and the stuck-version sweep
 * queues it again, so the upload itself still succeeds.
 */
async function queueAfterCommit(
  deps: UploadDeps,
  versionId: string,
  skipped: readonly MediaStep[] = [],
): Promise<void> {
  try {
    await queueSteps(
      deps.jobs,
      versionId,
      1,
      MEDIA_STEPS.filter((step) => !skipped.includes(step)),
    );
  } catch {
    // Recovered by requeueStuckVersions.
  }
}
