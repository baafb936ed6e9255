import path from 'node:path';
import { sql } from 'kysely';
import { contentTypeFor, keys, unguessableToken } from '@earshot/storage';
import type { StepState } from '@earshot/db';
import type { MediaDeps } from './deps.ts';
import type { AudioInfo, HlsPublication } from './media-toolkit.ts';
import { isPermanent } from './errors.ts';
import { STEP_LABELS, type MediaStep } from './steps.ts';
import {
  failVersion,
  finishIfComplete,
  loadVersionRef,
  markProvisional,
  setStep,
  withdrawProvisional,
  type VersionRef,
} from './version-state.ts';
import { fetchOriginal, withScratch } from './scratch.ts';
import { storeOutputs } from './store-outputs.ts';
import { SUPERSEDED_WAVEFORM_GRACE_MS } from './waveform-cleanup.ts';

export interface StepJob {
  attempt: number;
  maxAttempts: number;
  signal: AbortSignal;
  updateProgress(percent: number): Promise<void>;
}

/**
 * Runs one media step of one version. Idempotent: a rerun overwrites the same keys; a step that
 * is already done, or a version that is gone or ready, is left alone. Throws on failure so the
 * queue retries; on the last attempt (or a permanent error) the version becomes `failed`.
 */
export async function runMediaStep(deps: MediaDeps, step: MediaStep, versionId: string, job: StepJob): Promise<void> {
  const row = await loadVersionRef(deps.db, versionId);
  if (!row || row.status === 'ready') return;
  const ref: VersionRef = { versionId, trackId: row.track_id, ownerUserId: row.owner_user_id };
  const steps = row.steps as unknown as Record<string, StepState>;
  if (steps[step]?.state === 'done') {
    await finishIfComplete(deps.db, deps.progress, ref);
    return;
  }
  if (row.status === 'failed') {
    // Only a fresh job (an operator's retry) revives a failed version; automatic retries of a
    // step that already failed the version do not.
    if (job.attempt > 1) throw new Error(`version ${versionId} already failed`);
    await deps.db
      .updateTable('track_versions')
      .set({ status: 'processing', failure_reason: null, processing_started_at: sql`now()`, updated_at: sql`now()` })
      .where('id', '=', versionId)
      .execute();
    deps.progress.publish({ type: 'version.status', ...ref, status: 'processing' });
  }

  // Live events go out every 2 %; the stored progress (GET /tracks/:id, the job's row) at most
  // once a second: each write is a database round trip taken from the encoders.
  let lastReported = -1;
  let lastStoredAt = performance.now();
  const onProgress = (percent: number) => {
    const p = Math.max(0, Math.min(100, Math.round(percent)));
    if (p === lastReported || (p - lastReported < 2 && p !== 100)) return;
    lastReported = p;
    deps.progress.publish({ type: 'version.step', ...ref, step, state: 'active', progress: p });
    if (performance.now() - lastStoredAt < STORED_PROGRESS_INTERVAL_MS) return;
    lastStoredAt = performance.now();
    void job.updateProgress(p).catch(() => {});
    void setStep(deps.db, versionId, step, { state: 'active', progress: p }).catch(() => {});
  };
  await setStep(deps.db, versionId, step, { state: 'active', progress: 0 });
  deps.progress.publish({ type: 'version.step', ...ref, step, state: 'active', progress: 0 });

  let note: string | void;
  try {
    note = await withScratch(deps.scratchDir, `${step}-${versionId}`, async (dir) => {
      const input = await fetchOriginal(deps.store, row.original_key, dir, job.signal);
      const info: AudioInfo = {
        durationMs: row.duration_ms ?? 0,
        codec: row.codec ?? '',
        sampleRate: row.sample_rate ?? 0,
        channels: row.channels ?? 0,
        bitDepth: row.bit_depth,
        audioStreamIndex: row.audio_stream_index,
        formatName: '',
        cover: row.probed_cover ? row.probed_cover.cover : undefined,
      };
      return STEP_RUNNERS[step](deps, ref, input, path.join(dir, 'out'), info, {
        signal: job.signal,
        onProgress,
      });
    });
  } catch (err) {
    const last = isPermanent(err) || job.attempt >= job.maxAttempts;
    const reason = `${STEP_LABELS[step]} failed: ${humanReason(err)}`;
    // A half-published stream is never served as if it were fine: it goes before anything else.
    if (step === 'transcode') await withdrawStream(deps, ref).catch(() => {});
    if (last) await failVersion(deps.db, deps.progress, ref, step, reason);
    else {
      await setStep(deps.db, versionId, step, { state: 'pending', progress: 0, error: `${reason} (retrying)` });
      deps.progress.publish({ type: 'version.step', ...ref, step, state: 'pending', error: `${reason} (retrying)` });
    }
    throw err;
  }

  await setStep(deps.db, versionId, step, { state: 'done', progress: 100, ...(note ? { note } : {}) });
  deps.progress.publish({
    type: 'version.step',
    ...ref,
    step,
    state: 'done',
    progress: 100,
    ...(note ? { note } : {}),
  });
  // A page showing the track while it is processed takes the waveform and the gain as they come.
  deps.progress.publish({ type: 'track.media', trackId: ref.trackId });
  await finishIfComplete(deps.db, deps.progress, ref);
}

/**
 * The waveform drawn as it grows (docs/performance.md, "Playable in seconds"): each partial
 * waveform the decode hands over is stored under a new unguessable key, becomes the version's
 * `waveform_key`, and pages watching the track are told (the partial ones stay a minute after the
 * finished one replaced them, `waveform-cleanup`, so a page never asks for one already gone). One
 * store at a time; a partial one arriving meanwhile waits, and only the latest waiting one is
 * stored. `settled` resolves once nothing is being stored, so the finished waveform is never
 * overtaken by a partial one.
 */
function partialWaveforms(deps: MediaDeps, ref: VersionRef) {
  let waiting: unknown = null;
  let running: Promise<void> | null = null;
  const store = async (json: unknown) => {
    const key = keys.waveform(ref.versionId, unguessableToken());
    await deps.store.put('waveforms', key, JSON.stringify(json), { contentType: 'application/json' });
    await deps.db
      .updateTable('track_versions')
      .set({ waveform_key: key, updated_at: sql`now()` })
      .where('id', '=', ref.versionId)
      .execute();
    deps.progress.publish({ type: 'track.media', trackId: ref.trackId });
  };
  const drain = async () => {
    while (waiting !== null) {
      const json = waiting;
      waiting = null;
      // A partial waveform is a courtesy: one that cannot be stored leaves the finished one to come.
      await store(json).catch((err: unknown) =>
        deps.log.warn({ versionId: ref.versionId, err }, 'partial waveform not stored'),
      );
    }
    running = null;
  };
  return {
    offer: (json: unknown) => {
      waiting = json;
      running ??= drain();
    },
    settled: async () => {
      waiting = null;
      await running;
    },
  };
}

/**
 * The encode failed or starts again (docs/performance.md, "Playable in seconds"): the version's
 * stream is withdrawn — no `hls_key`, no longer what makes its track playable, its objects removed
 * (a player still holding a signed URL gets 404s, not a stream that silently stops growing) — and
 * pages watching the track are told.
 */
async function withdrawStream(deps: MediaDeps, ref: VersionRef): Promise<void> {
  await deps.db
    .updateTable('track_versions')
    .set({ hls_key: null, updated_at: sql`now()` })
    .where('id', '=', ref.versionId)
    .execute();
  await withdrawProvisional(deps.db, ref.versionId);
  deps.progress.publish({ type: 'track.media', trackId: ref.trackId });
  await deps.store.deletePrefix('transcodes', keys.hlsPrefix(ref.versionId));
}

const STORED_PROGRESS_INTERVAL_MS = 1_000;

function humanReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0]!.slice(0, 300);
}

/** A step resolves with a note for the uploader when it finished without doing all of its work. */
type StepRunner = (
  deps: MediaDeps,
  ref: VersionRef,
  input: string,
  outDir: string,
  info: AudioInfo,
  run: { signal: AbortSignal; onProgress: (p: number) => void },
) => Promise<string | void>;

const STEP_RUNNERS: Record<MediaStep, StepRunner> = {
  async transcode(deps, ref, input, outDir, info, run) {
    const { versionId } = ref;
    const prefix = keys.hlsPrefix(versionId);
    const masterKey = keys.hlsMaster(versionId);
    const master = masterKey.slice(prefix.length);
    // A rerun starts from an empty folder and an unplayable version: no segment of an older run
    // survives next to new ones, and no player is sent to a master that is being replaced.
    await withdrawStream(deps, ref);

    // The stream is published as it is encoded (docs/performance.md, "Playable in seconds"):
    // segments first, then the playlist that lists them (one atomic put), so a player never sees
    // a segment named before it is stored; the provisional master once every rendition has one.
    const stored = new Set<string>();
    const putText = (rel: string, text: string) =>
      deps.store.put('transcodes', `${prefix}${rel}`, text, { contentType: contentTypeFor(rel) });
    const publish = async (p: HlsPublication) => {
      if (p.kind === 'master') {
        await putText(p.playlist, p.text);
        await deps.db
          .updateTable('track_versions')
          .set({ hls_key: masterKey, updated_at: sql`now()` })
          .where('id', '=', versionId)
          .execute();
        await markProvisional(deps.db, ref);
        deps.progress.publish({ type: 'track.media', trackId: ref.trackId });
        return;
      }
      await storeOutputs(deps.store, 'transcodes', prefix, outDir, p.files, { contentType: contentTypeFor });
      for (const f of p.files) stored.add(f);
      await putText(p.playlist, p.playlistText);
      if (p.final) stored.add(p.playlist);
    };
    const files = await deps.media.transcodeHls(input, outDir, info, run, publish);
    // What is left: the measured master, last (it replaces the provisional one), and anything the
    // publication did not carry.
    const rest = files.filter((f) => !stored.has(f));
    await storeOutputs(deps.store, 'transcodes', prefix, outDir, rest, { last: master, contentType: contentTypeFor });
    await deps.db
      .updateTable('track_versions')
      .set({ hls_key: masterKey, updated_at: sql`now()` })
      .where('id', '=', versionId)
      .execute();
  },

  async waveform(deps, ref, input, _outDir, info, run) {
    const { versionId } = ref;
    const partials = partialWaveforms(deps, ref);
    const { json, decodedDurationMs } = await deps.media
      .waveform(input, info, run, partials.offer)
      .finally(partials.settled);
    const token = unguessableToken();
    const key = keys.waveform(versionId, token);
    await deps.store.put('waveforms', key, JSON.stringify(json), { contentType: 'application/json' });
    // The track's duration comes from the decoded audio, not the container's claim.
    await deps.db
      .updateTable('track_versions')
      .set({ waveform_key: key, duration_ms: Math.round(decodedDurationMs), updated_at: sql`now()` })
      .where('id', '=', versionId)
      .execute();
    // The partial ones (and any of an earlier attempt) go later: a page that read one a moment ago
    // still finds it.
    await deps.jobs.add(
      'waveform-cleanup',
      { versionId },
      { jobId: `waveform-cleanup-${versionId}-${token}`, delayMs: SUPERSEDED_WAVEFORM_GRACE_MS },
    );
  },

  async 'artwork-extract'(deps, { versionId }, input, outDir, info, run) {
    const out = await deps.media.artwork(input, outDir, info, run);
    if (out?.skipped) {
      deps.log.warn({ versionId, reason: out.skipped }, 'cover art skipped');
      return `Cover art skipped: ${out.skipped}`;
    }
    const images = out?.images;
    if (!images?.length) return;
    const stored: string[] = [];
    const token = unguessableToken();
    await deps.store.deletePrefix('images', keys.versionArtworkPrefix(versionId));
    for (const image of [...images].sort((a, b) => b.size - a.size)) {
      const key = keys.versionArtwork(versionId, token, image.size, image.ext);
      await deps.store.putFile('images', key, image.file, { contentType: image.contentType });
      stored.push(key);
    }
    // The largest image is the artwork; smaller sizes sit next to it under the same prefix.
    await deps.db
      .updateTable('track_versions')
      .set({ artwork_key: stored[0]!, updated_at: sql`now()` })
      .where('id', '=', versionId)
      .execute();
  },

  async loudness(deps, { versionId }, input, _outDir, info, run) {
    const l = await deps.media.loudness(input, info, run);
    await deps.db
      .updateTable('track_versions')
      .set({
        integrated_lufs: l.integratedLufs,
        loudness_range: l.loudnessRange,
        true_peak_dbtp: l.truePeakDbtp,
        track_gain_db: l.trackGainDb,
        updated_at: sql`now()`,
      })
      .where('id', '=', versionId)
      .execute();
  },
};
