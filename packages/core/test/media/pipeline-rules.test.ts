import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase, migrateToLatest, type DatabaseHandle } from '@earshot/db';
import { LocalObjectStore } from '@earshot/storage';
import type { AddOptions, JobPayloads, QueueName } from '@earshot/jobs';
import {
  createTrackFromUpload,
  InProcessProgressBus,
  MediaRejectedError,
  removeSupersededWaveforms,
  requeueStuckVersions,
  runMediaStep,
  SUPERSEDED_WAVEFORM_GRACE_MS,
  type MediaDeps,
  type MediaToolkit,
  type ProcessingEvent,
} from '../../src/index.ts';

/** Fake audio tooling: the rules are under test here, not ffmpeg (see packages/media for that). */
function fakeMedia(overrides: Partial<MediaToolkit> = {}): MediaToolkit {
  return {
    async probe(file) {
      const text = (await import('node:fs/promises')).readFile(file, 'utf8');
      if ((await text).startsWith('not audio')) throw new MediaRejectedError('No audio stream found in this file');
      return {
        durationMs: 12_345,
        codec: 'flac',
        sampleRate: 44_100,
        channels: 2,
        bitDepth: 16,
        audioStreamIndex: 0,
        formatName: 'flac',
        cover: null,
      };
    },
    async transcodeHls(_input, outDir, _info, run) {
      run.onProgress(50);
      await mkdir(path.join(outDir, '128k'), { recursive: true });
      await writeFile(path.join(outDir, '128k', 'index.m3u8'), '#EXTM3U\n');
      await writeFile(path.join(outDir, '128k', 'seg_00001.m4s'), 'seg');
      await writeFile(path.join(outDir, 'playlist.m3u8'), '#EXTM3U\n');
      return ['128k/index.m3u8', '128k/seg_00001.m4s', 'playlist.m3u8'];
    },
    async waveform() {
      return {
        json: { version: 2, channels: 1, sample_rate: 44100, samples_per_pixel: 256, bits: 8, length: 1, data: [0, 0] },
        decodedDurationMs: 12_340,
      };
    },
    async loudness() {
      return { integratedLufs: -14, loudnessRange: 6, truePeakDbtp: -1, trackGainDb: -4 };
    },
    async artwork() {
      return null;
    },
    ...overrides,
  };
}

class RecordingQueue {
  added: Array<{ queue: QueueName; data: unknown; options?: AddOptions }> = [];
  async add<Q extends QueueName>(queue: Q, data: JobPayloads[Q], options?: AddOptions) {
    this.added.push({ queue, data, options });
    return { id: options?.jobId ?? String(this.added.length) };
  }
}

let handle: DatabaseHandle;
let dir: string;
let store: LocalObjectStore;
let queue: RecordingQueue;
let events: ProcessingEvent[];
let deps: MediaDeps;
let ownerId: string;

beforeAll(async () => {
  handle = await createDatabase({ pgliteDir: 'memory://' });
  await migrateToLatest(handle.db);
  dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-pipeline-'));
  store = new LocalObjectStore({ root: path.join(dir, 'storage') });
  await store.ensureBuckets();
  const owner = await handle.db
    .insertInto('users')
    .values({
      email: 'artist@example.com',
      handle: 'artist',
      display_name: 'Artist',
      password_hash: 'x',
      role: 'artist',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  ownerId = owner.id;
});
afterAll(async () => {
  await handle.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  queue = new RecordingQueue();
  events = [];
  const progress = new InProcessProgressBus();
  progress.subscribe((e) => (e.type === 'version.step' || e.type === 'version.status') && events.push(e));
  deps = {
    db: handle.db,
    store,
    jobs: queue,
    media: fakeMedia(),
    progress,
    scratchDir: path.join(dir, 'tmp'),
    log: { info() {}, warn() {}, error() {} },
  };
});

async function upload(content = 'fLaC fake audio', title = 'First Light') {
  const file = path.join(dir, `upload-${Math.random()}`);
  await writeFile(file, content);
  const track = await createTrackFromUpload(
    deps,
    { id: ownerId, role: 'artist' },
    { path: file, originalFilename: 'master.flac', sizeBytes: content.length },
    { title },
  );
  return { track, version: track.latestVersion };
}

const job = (attempt = 1, maxAttempts = 4) => ({
  attempt,
  maxAttempts,
  signal: new AbortController().signal,
  updateProgress: async () => {},
});

async function countObjects(bucket: 'originals' | 'transcodes') {
  let n = 0;
  for await (const _ of store.list(bucket)) n++;
  return n;
}

describe('upload', () => {
  it('stores the original under version-<id>/, creates the rows and queues the four steps', async () => {
    const { track, version } = await upload();
    expect(version.status).toBe('processing');
    const { original_key } = await handle.db
      .selectFrom('track_versions')
      .select('original_key')
      .where('id', '=', version.id)
      .executeTakeFirstOrThrow();
    expect(original_key).toBe(`version-${version.id}/original.flac`);
    expect(await store.head('originals', original_key)).not.toBeNull();
    expect(track.slug).toBe('first-light');
    expect(queue.added.map((a) => a.queue).sort()).toEqual(['artwork-extract', 'loudness', 'transcode', 'waveform']);
    expect(new Set(queue.added.map((a) => a.options?.jobId)).size).toBe(4);
  });

  it('gives a second track of the same title its own slug', async () => {
    const { track } = await upload('fLaC', 'Same Name');
    const { track: again } = await upload('fLaC', 'Same Name');
    expect([track.slug, again.slug]).toEqual(['same-name', 'same-name-2']);
  });

  it('rejects a file without audio with a 422 and keeps nothing', async () => {
    const tracksBefore = await handle.db
      .selectFrom('tracks')
      .select(handle.db.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const objectsBefore = await countObjects('originals');
    await expect(upload('not audio at all')).rejects.toMatchObject({
      status: 422,
      code: 'invalid_audio',
      message: 'No audio stream found in this file',
    });
    const tracksAfter = await handle.db
      .selectFrom('tracks')
      .select(handle.db.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(tracksAfter.n).toEqual(tracksBefore.n);
    expect(await countObjects('originals')).toBe(objectsBefore);
    expect(queue.added).toEqual([]);
  });
});

describe('processing steps', () => {
  it("hands the artwork step the cover the upload's probe recorded, and a version without the record nothing", async () => {
    const cover = { index: 1, codec: 'mjpeg', width: 600, height: 600 };
    const probe = fakeMedia().probe;
    const seen: unknown[] = [];
    deps.media = fakeMedia({
      probe: async (file) => ({ ...(await probe(file)), cover }),
      artwork: async (_input, _outDir, info) => {
        seen.push(info.cover);
        return null;
      },
    });
    const { version } = await upload();
    const row = () =>
      handle.db
        .selectFrom('track_versions')
        .select('probed_cover')
        .where('id', '=', version.id)
        .executeTakeFirstOrThrow();
    expect((await row()).probed_cover).toEqual({ cover });
    await runMediaStep(deps, 'artwork-extract', version.id, job());
    // A version from before the record: the step is told nothing, so the toolkit probes the file.
    await handle.db
      .updateTable('track_versions')
      .set({ probed_cover: null, steps: JSON.stringify({}) })
      .where('id', '=', version.id)
      .execute();
    await runMediaStep(deps, 'artwork-extract', version.id, job());
    expect(seen).toEqual([cover, undefined]);
  });

  it('makes the version ready and current when all four succeed, with the decoded duration', async () => {
    const { track, version } = await upload();
    for (const step of ['transcode', 'waveform', 'artwork-extract', 'loudness'] as const)
      await runMediaStep(deps, step, version.id, job());
    const v = await handle.db
      .selectFrom('track_versions')
      .selectAll()
      .where('id', '=', version.id)
      .executeTakeFirstOrThrow();
    expect(v.status).toBe('ready');
    expect(v.duration_ms).toBe(12_340);
    expect(v.hls_key).toBe(`version-${version.id}/playlist.m3u8`);
    // Waveforms sit at an unguessable key (docs/security.md).
    expect(v.waveform_key).toMatch(new RegExp(`^version-${version.id}/[A-Za-z0-9_-]{22}\\.json$`));
    expect(await store.head('waveforms', v.waveform_key!)).not.toBeNull();
    expect(v.track_gain_db).toBe(-4);
    const t = await handle.db
      .selectFrom('tracks')
      .select('current_version_id')
      .where('id', '=', track.id)
      .executeTakeFirstOrThrow();
    expect(t.current_version_id).toBe(version.id);
    expect(events.filter((e) => e.type === 'version.status').map((e) => e.status)).toEqual(['ready']);
    expect(events.some((e) => e.step === 'transcode' && e.progress === 50)).toBe(true);
    expect(await store.head('transcodes', `version-${version.id}/128k/seg_00001.m4s`)).not.toBeNull();
  });

  it('sends live progress every 2 % but stores it at most once a second', async () => {
    deps.media = fakeMedia({
      async loudness(_input, _info, run) {
        for (let p = 1; p <= 100; p++) run.onProgress(p);
        return { integratedLufs: -14, loudnessRange: 6, truePeakDbtp: -1, trackGainDb: -4 };
      },
    });
    const { version } = await upload();
    const stored: number[] = [];
    await runMediaStep(deps, 'loudness', version.id, {
      ...job(),
      updateProgress: async (p: number) => void stored.push(p),
    });
    const live = events.filter((e) => e.step === 'loudness' && e.state === 'active').map((e) => e.progress);
    expect(live).toEqual([0, ...Array.from({ length: 50 }, (_, i) => 2 * i + 1), 100]);
    // The burst took far less than a second since the step started: nothing of it was stored.
    expect(stored).toEqual([]);
    const v = await handle.db
      .selectFrom('track_versions')
      .select('steps')
      .where('id', '=', version.id)
      .executeTakeFirstOrThrow();
    expect((v.steps as Record<string, { state: string; progress: number }>).loudness).toMatchObject({
      state: 'done',
      progress: 100,
    });
  });

  it('is idempotent: rerunning a done step changes nothing and leaves no stray objects', async () => {
    const { version } = await upload();
    await runMediaStep(deps, 'transcode', version.id, job());
    const before = await countObjects('transcodes');
    await runMediaStep(deps, 'transcode', version.id, job());
    expect(await countObjects('transcodes')).toBe(before);
  });

  it('retries a failing step and fails the version with a readable reason on the last attempt', async () => {
    const { version } = await upload();
    deps.media = fakeMedia({
      loudness: async () =>
        Promise.reject(new Error('ffmpeg exited with code 1: Invalid data found when processing input')),
    });
    await expect(runMediaStep(deps, 'loudness', version.id, job(1, 2))).rejects.toThrow();
    let v = await handle.db
      .selectFrom('track_versions')
      .select(['status', 'steps'])
      .where('id', '=', version.id)
      .executeTakeFirstOrThrow();
    expect(v.status).toBe('processing');
    expect((v.steps as any).loudness).toMatchObject({ state: 'pending', error: expect.stringContaining('retrying') });
    await expect(runMediaStep(deps, 'loudness', version.id, job(2, 2))).rejects.toThrow();
    v = await handle.db
      .selectFrom('track_versions')
      .select(['status', 'steps', 'failure_reason'])
      .where('id', '=', version.id)
      .executeTakeFirstOrThrow();
    expect(v.status).toBe('failed');
    expect((v as any).failure_reason).toBe(
      'Measuring loudness failed: ffmpeg exited with code 1: Invalid data found when processing input',
    );

    // An operator's retry (a fresh job) revives it.
    deps.media = fakeMedia();
    for (const step of ['transcode', 'waveform', 'artwork-extract'] as const)
      await runMediaStep(deps, step, version.id, job());
    await runMediaStep(deps, 'loudness', version.id, job(1));
    const after = await handle.db
      .selectFrom('track_versions')
      .select(['status', 'failure_reason'])
      .where('id', '=', version.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ status: 'ready', failure_reason: null });
  });

  it('fails at once on a permanent error', async () => {
    const { version } = await upload();
    deps.media = fakeMedia({ waveform: async () => Promise.reject(new MediaRejectedError('The audio is truncated')) });
    await expect(runMediaStep(deps, 'waveform', version.id, job(1, 4))).rejects.toThrow('truncated');
    const v = await handle.db
      .selectFrom('track_versions')
      .select(['status', 'failure_reason'])
      .where('id', '=', version.id)
      .executeTakeFirstOrThrow();
    expect(v).toEqual({ status: 'failed', failure_reason: 'Drawing the waveform failed: The audio is truncated' });
  });

  it('ignores steps of a version that no longer exists', async () => {
    await expect(runMediaStep(deps, 'transcode', '999999', job())).resolves.toBeUndefined();
  });
});

describe('superseded waveforms', () => {
  const waveformKeys = async (versionId: string) => {
    const found: string[] = [];
    for await (const o of store.list('waveforms', `version-${versionId}/`)) found.push(o.key);
    return found.sort();
  };
  const waveformKeyOf = async (versionId: string) =>
    (
      await handle.db
        .selectFrom('track_versions')
        .select('waveform_key')
        .where('id', '=', versionId)
        .executeTakeFirstOrThrow()
    ).waveform_key;

  it('stay a minute after the finished waveform replaced them, then only the one the version names is left', async () => {
    const seen: Array<string | null> = [];
    deps.media = fakeMedia({
      async waveform(_input, _info, _run, partial) {
        const json = (length: number) => ({
          version: 2,
          channels: 1,
          sample_rate: 44100,
          samples_per_pixel: 256,
          bits: 8,
          length,
          data: Array.from({ length: length * 2 }, () => 0),
        });
        for (const length of [1, 2]) {
          partial?.(json(length));
          // Each partial one is stored and named by the row before the next comes.
          for (let i = 0; i < 200 && seen.length < length; i++) {
            const key = await waveformKeyOf(version.id);
            if (key && !seen.includes(key)) seen.push(key);
            else await new Promise((r) => setTimeout(r, 5));
          }
        }
        return { json: json(3), decodedDurationMs: 12_340 };
      },
    });
    const { version } = await upload();
    await runMediaStep(deps, 'waveform', version.id, job());
    const finished = await waveformKeyOf(version.id);
    expect(seen).toHaveLength(2);
    expect(seen).not.toContain(finished);
    // Every partial one is still there: a page that read its URL a moment ago still fetches it.
    expect(await waveformKeys(version.id)).toEqual([...seen, finished].sort());
    const cleanup = queue.added.filter((a) => a.queue === 'waveform-cleanup');
    expect(cleanup).toEqual([
      {
        queue: 'waveform-cleanup',
        data: { versionId: version.id },
        options: {
          jobId: expect.stringMatching(`^waveform-cleanup-${version.id}-`),
          delayMs: SUPERSEDED_WAVEFORM_GRACE_MS,
        },
      },
    ]);
    expect(SUPERSEDED_WAVEFORM_GRACE_MS).toBe(60_000);

    await removeSupersededWaveforms(deps, version.id);
    expect(await waveformKeys(version.id)).toEqual([finished]);
    // Twice is once.
    await removeSupersededWaveforms(deps, version.id);
    expect(await waveformKeys(version.id)).toEqual([finished]);
  });

  it('of a version that is gone are all deleted', async () => {
    const { version } = await upload();
    await runMediaStep(deps, 'waveform', version.id, job());
    expect(await waveformKeys(version.id)).toHaveLength(1);
    await handle.db.deleteFrom('track_versions').where('id', '=', version.id).execute();
    await removeSupersededWaveforms(deps, version.id);
    expect(await waveformKeys(version.id)).toEqual([]);
  });
});

describe('stuck versions', () => {
  it('re-queues the unfinished steps of a version with no progress past the limit', async () => {
    const { version } = await upload();
    await runMediaStep(deps, 'waveform', version.id, job());
    queue.added = [];
    const later = new Date(Date.now() + 31 * 60_000);
    const stuck = await requeueStuckVersions(handle.db, queue, 30 * 60_000, later);
    const mine = stuck.find((s) => s.versionId === version.id);
    expect(mine?.steps.sort()).toEqual(['artwork-extract', 'loudness', 'transcode']);
    expect(
      queue.added
        .filter((a) => (a.data as { versionId: string }).versionId === version.id)
        .map((a) => a.queue)
        .sort(),
    ).toEqual(['artwork-extract', 'loudness', 'transcode']);
    // Not stuck right now: nothing is queued.
    queue.added = [];
    expect(
      (await requeueStuckVersions(handle.db, queue, 30 * 60_000)).find((s) => s.versionId === version.id),
    ).toBeUndefined();
  });
});
