import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreDeps, HlsPublication, MediaToolkit } from '@earshot/core';
import { computeWaveform, transcodeHls, type AudiowaveformJson } from '@earshot/media';
import { createCoreDeps, createMediaToolkit } from '@earshot/runtime';
import { createHandlers, startProcessing } from '../../worker/src/index.ts';
import { useTestApi } from '../../../test/support/use-test-api.ts';
import { generateTone } from '../../../test/support/audio.ts';
import { runJob } from '../../../test/support/run-job.ts';
import { signIn } from '../../../test/support/users.ts';
import { multipartBody } from './support/multipart.ts';

/**
 * "Playable in seconds" (docs/performance.md): whoever may see the track is handed a signed master
 * while the version is still processing, and every file it leads to is served; the finished version
 * then replaces the provisional playlists. A failed encode withdraws them, and its retry starts clean.
 */
let core: CoreDeps;
let closeCore: (() => Promise<void>) | undefined;
let artist: { token: string; id: string };
let listener: { token: string; id: string };

/**
 * How the encode behaves: `gate` holds the first rendition to finish (the stream is then published
 * but not finished); `crash` fails the first encode once its provisional master is out, and holds
 * its retry until `openRetry`.
 */
let mode: 'gate' | 'crash' = 'gate';
let encodes = 0;

/** A promise and the function that resolves it: a point the test or the pipeline waits for. */
function signal(): [Promise<void>, () => void] {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return [promise, resolve];
}

const [retryOpen, openRetry] = signal();
// The first rendition to finish waits here: the stream is then published but not finished.
const [gateReached, reachGate] = signal();
const [gateOpen, openGate] = signal();

// While set, the waveform step holds its finished waveform back: the partial ones are out.
let holdWaveform = false;
const [waveformHoldReached, reachWaveformHold] = signal();
const [waveformReleased, releaseWaveform] = signal();

const api = useTestApi({ api: { serveMedia: true } });
beforeAll(async () => {
  artist = await signIn(api.app, api.t.infra.database.db, 'artist');
  listener = await signIn(api.app, api.t.infra.database.db, 'listener');
  const real = createMediaToolkit();
  const media: MediaToolkit = {
    ...real,
    transcodeHls: async (input, outDir, info, run, publish) => {
      const encode = ++encodes;
      if (mode === 'crash' && encode > 1) await retryOpen;
      let masterOut = false;
      // Read at 8× real time (as the growing-stream browser test does; the output is the same
      // bytes): the provisional master goes out well before any rendition ends, however busy the
      // machine, so the gate below holds a stream that is published and still growing.
      const source = {
        durationMs: info.durationMs,
        sampleRate: info.sampleRate,
        channels: info.channels,
        audioStreamIndex: info.audioStreamIndex ?? undefined,
      };
      const out = await transcodeHls(input, outDir, source, {
        signal: run.signal,
        onProgress: run.onProgress,
        readRate: 8,
        onPublish: async (p: HlsPublication) => {
          if (mode === 'gate' && p.kind === 'rendition' && p.final) {
            reachGate();
            await gateOpen;
          }
          if (mode === 'crash' && encode === 1 && masterOut) throw new Error('injected encode crash');
          await publish?.(p);
          if (p.kind === 'master') masterOut = true;
        },
      });
      return out.files;
    },
    waveform: async (input, info, run, partial) => {
      const out = await real.waveform(input, info, run, partial);
      if (holdWaveform) {
        reachWaveformHold();
        await waveformReleased;
      }
      return out;
    },
  };
  ({ core, close: closeCore } = createCoreDeps({
    config: api.t.config,
    logger: api.t.logger,
    infra: api.t.infra,
    media,
  }));
  startProcessing(api.t.infra.jobs, createHandlers(core), api.t.logger, 2);
});
afterAll(async () => {
  openGate();
  openRetry();
  releaseWaveform();
  await closeCore?.();
});

const asUser = (token?: string) => (token ? { authorization: `Bearer ${token}` } : {});
const stream = (trackId: string, token?: string) =>
  api.app.inject({ url: `/api/v1/tracks/${trackId}/stream`, headers: asUser(token) });
const media = (url: string) => api.app.inject({ url });
const view = (trackId: string, token?: string) =>
  api.app.inject({ url: `/api/v1/tracks/${trackId}`, headers: asUser(token) });
/** Retries `probe` every 100 ms (at most `attempts` times) until it says yes. */
async function waitFor(probe: () => Promise<boolean>, attempts = 600): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
const uploadedFile = () => path.join(api.t.dataDir, 'forty.flac');
async function upload(title: string, visibility: string) {
  const flac = await readFile(await generateTone(uploadedFile(), { seconds: 40 }));
  const body = multipartBody({ title, visibility }, { name: 'forty.flac', content: flac });
  const res = await api.app.inject({
    method: 'POST',
    url: '/api/v1/tracks',
    payload: body.payload,
    headers: { ...body.headers, ...asUser(artist.token) },
  });
  expect(res.statusCode, res.body).toBe(201);
  return { trackId: res.json().track.id as string, versionId: res.json().track.latestVersion.id as string };
}
async function waitUntilSettled(versionId: string) {
  await waitFor(async () => {
    const s = await api.t.infra.database.db
      .selectFrom('track_versions')
      .select('status')
      .where('id', '=', versionId)
      .executeTakeFirstOrThrow();
    return s.status !== 'processing';
  }, 2400);
}
/** `track.media` events (docs/performance.md, "Playable in seconds") seen on the bus, per track. */
const mediaEvents = new Map<string, number>();

/** The signed folder of a master URL: `/media/hls/<sig>/<expires>/version-<id>/`. */
const folderOf = (master: string) => master.slice(0, master.lastIndexOf('/') + 1);

describe('a track is playable while it is processed', () => {
  it('whoever may see the track gets a signed master whose playlists and segments are served while it grows, with the waveform and gain once measured; lists wait until it is ready', async () => {
    api.t.infra.progress.subscribe((e) => {
      if (e.type === 'track.media') mediaEvents.set(e.trackId, (mediaEvents.get(e.trackId) ?? 0) + 1);
    });
    const { trackId, versionId } = await upload('Growing', 'public');

    await gateReached;
    const v = await api.t.infra.database.db
      .selectFrom('track_versions')
      .select(['status'])
      .where('id', '=', versionId)
      .executeTakeFirstOrThrow();
    expect(v.status).toBe('processing');

    // The gate holds the first rendition that finishes; the provisional master goes out once every
    // rendition has three segments, which on a busy machine can be a moment later: wait for it
    // (bounded by attempts), the renditions keep publishing meanwhile.
    await waitFor(async () => (await stream(trackId, artist.token)).statusCode !== 404, 300);
    const live = await stream(trackId, artist.token);
    expect(live.statusCode, live.body).toBe(200);
    expect(live.json()).toMatchObject({ processing: true });
    const masterUrl: string = live.json().hls;
    expect(masterUrl).toContain(`/version-${versionId}/playlist.m3u8`);
    const page = await view(trackId, artist.token);
    expect(page.json().track).toMatchObject({ playableWhileProcessing: true, currentVersionId: null });
    // Listeners too, signed in or not: the track is public and its provisional stream is out.
    for (const token of [listener.token, undefined]) {
      const s = await stream(trackId, token);
      expect(s.statusCode, s.body).toBe(200);
      expect(s.json()).toMatchObject({ processing: true });
      expect((await view(trackId, token)).json().track).toMatchObject({
        playableWhileProcessing: true,
        currentVersionId: null,
        status: 'processing',
      });
    }
    // The track page was told (the live socket relays this to the pages watching the track).
    expect(mediaEvents.get(trackId) ?? 0).toBeGreaterThan(0);
    // Not listed before it is ready (docs/architecture.md, "What a caller may see").
    const handle: string = page.json().track.artist.handle;
    const listed = await api.app.inject({ url: `/api/v1/users/${handle}/tracks` });
    expect(listed.json().tracks.map((x: { id: string }) => x.id)).not.toContain(trackId);
    // Private: its owner's alone, as before; public again, anyone's.
    const setVisibility = (visibility: string) =>
      api.app.inject({
        method: 'PATCH',
        url: `/api/v1/tracks/${trackId}`,
        headers: asUser(artist.token),
        payload: { visibility },
      });
    expect((await setVisibility('private')).statusCode).toBe(200);
    expect((await stream(trackId, listener.token)).statusCode).toBe(404);
    expect((await stream(trackId)).statusCode).toBe(404);
    expect((await view(trackId, listener.token)).statusCode).toBe(404);
    expect((await stream(trackId, artist.token)).statusCode).toBe(200);
    expect((await setVisibility('unlisted')).statusCode).toBe(200);
    expect((await stream(trackId)).statusCode).toBe(200);
    expect((await setVisibility('public')).statusCode).toBe(200);

    // The waveform and loudness steps run beside the encode: their results reach the track view
    // (and the stream's gain) while the encode is still held.
    await waitFor(async () => {
      const track = (await view(trackId)).json().track;
      return track.loudness !== null && track.waveformUrl !== null;
    });
    const measured = (await view(trackId)).json().track;
    expect(measured).toMatchObject({ playableWhileProcessing: true, status: 'processing' });
    expect(measured.loudness.trackGainDb).toEqual(expect.any(Number));
    expect(measured.waveformUrl).toEqual(expect.any(String));
    expect((await stream(trackId)).json().trackGainDb).toBe(measured.loudness.trackGainDb);

    const master = await media(masterUrl);
    expect(master.statusCode).toBe(200);
    expect(master.headers['cache-control']).toBe('private, no-cache');
    expect(master.body).toContain('# provisional');
    const variants = master.body.split('\n').filter((l) => l.endsWith('.m3u8'));
    expect(variants).toEqual(['64k/index.m3u8', '128k/index.m3u8', '160k/index.m3u8']);
    let growing = 0;
    for (const variant of variants) {
      const playlist = await media(folderOf(masterUrl) + variant);
      expect(playlist.statusCode).toBe(200);
      if (playlist.body.includes('#EXT-X-PLAYLIST-TYPE:EVENT')) {
        growing++;
        expect(playlist.body).not.toContain('#EXT-X-ENDLIST');
        expect(playlist.headers['cache-control']).toBe('private, no-cache');
      }
      const dir = folderOf(folderOf(masterUrl) + variant);
      const files = playlist.body.split('\n').filter((l) => l.endsWith('.m4s'));
      expect(files.length).toBeGreaterThan(0);
      expect((await media(`${dir}init.mp4`)).statusCode).toBe(200);
      for (const f of files) expect((await media(dir + f)).statusCode, f).toBe(200);
    }
    expect(growing).toBeGreaterThan(0);

    openGate();
    await waitUntilSettled(versionId);
    const after = await view(trackId, artist.token);
    expect(after.json().track).toMatchObject({ playableWhileProcessing: false, currentVersionId: versionId });
    const done = await stream(trackId, listener.token);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ processing: false });
    const finalMaster = await media(done.json().hls);
    expect(finalMaster.body).not.toContain('# provisional');
    expect(finalMaster.headers['cache-control']).toMatch(/max-age=/);
    for (const variant of variants) {
      const playlist = await media(folderOf(done.json().hls) + variant);
      expect(playlist.body).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
      expect(playlist.body).toContain('#EXT-X-ENDLIST');
    }
    const listedNow = await api.app.inject({ url: `/api/v1/users/${handle}/tracks` });
    expect(listedNow.json().tracks.map((x: { id: string }) => x.id)).toContain(trackId);
  });

  it('a failed encode withdraws the provisional stream, for the owner and for listeners, and its retry starts clean', async () => {
    mode = 'crash';
    encodes = 0;
    const steps: { step?: string; state?: string; error?: string }[] = [];
    api.t.infra.progress.subscribe((e) => {
      if (e.type === 'version.step' && e.step === 'transcode') steps.push(e);
    });
    const { trackId, versionId } = await upload('Crashing', 'public');

    // The provisional master goes out, then the encode fails: the stream is withdrawn before the
    // step is retried, and the retry (held here) starts from nothing.
    await waitFor(async () => (await stream(trackId)).statusCode === 200, 600);
    const live = await stream(trackId);
    expect(live.statusCode, live.body).toBe(200);
    const masterUrl: string = live.json().hls;
    await waitFor(async () => encodes >= 2, 1200);
    expect(encodes).toBe(2);
    expect(steps.some((s) => s.state === 'pending' && s.error?.includes('injected encode crash'))).toBe(true);

    const row = await api.t.infra.database.db
      .selectFrom('track_versions as v')
      .innerJoin('tracks as tr', 'tr.id', 'v.track_id')
      .select(['v.status', 'v.hls_key', 'tr.provisional_version_id'])
      .where('v.id', '=', versionId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'processing', hls_key: null, provisional_version_id: null });
    // The owner sees it processing, with nothing to play; everyone else does not see it at all.
    expect((await view(trackId, artist.token)).json().track).toMatchObject({
      playableWhileProcessing: false,
      status: 'processing',
    });
    expect((await stream(trackId, artist.token)).statusCode).toBe(404);
    expect((await view(trackId, listener.token)).statusCode).toBe(404);
    expect((await stream(trackId, listener.token)).statusCode).toBe(404);
    expect((await stream(trackId)).statusCode).toBe(404);
    // A player still holding the signed URL finds nothing there: the half-published files are gone.
    expect((await media(masterUrl)).statusCode).toBe(404);
    expect((await media(`${folderOf(masterUrl)}128k/index.m3u8`)).statusCode).toBe(404);

    openRetry();
    await waitUntilSettled(versionId);
    const done = await stream(trackId, listener.token);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ processing: false });
    const finalMaster = await media(done.json().hls);
    expect(finalMaster.body).not.toContain('# provisional');
    for (const variant of finalMaster.body.split('\n').filter((l) => l.endsWith('.m3u8'))) {
      const playlist = await media(folderOf(done.json().hls) + variant);
      expect(playlist.body).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
      expect(playlist.body).toContain('#EXT-X-ENDLIST');
    }
  });

  it('the waveform is served as it grows, before the version is ready, and the finished one is the usual one', async () => {
    mode = 'gate';
    openGate(); // the encode runs through: only the waveform is held here
    holdWaveform = true;
    const told = new Set<string>();
    api.t.infra.progress.subscribe((e) => {
      if (e.type === 'track.media') told.add(e.trackId);
    });
    const cleanupJobs = async () =>
      Object.values(await api.t.infra.jobs.getJobCounts('waveform-cleanup')).reduce((a, b) => a + b, 0);
    const cleanupBefore = await cleanupJobs();
    const { trackId, versionId } = await upload('Drawn as it grows', 'public');
    await waveformHoldReached;
    // The decode is done, its finished waveform held back: the partial ones it handed over are stored.
    await waitFor(async () => (await view(trackId)).json().track?.waveformUrl != null);
    const processing = (await view(trackId)).json().track;
    expect(processing).toMatchObject({ status: 'processing' });
    const steps = await api.t.infra.database.db
      .selectFrom('track_versions')
      .select(['status', 'steps'])
      .where('id', '=', versionId)
      .executeTakeFirstOrThrow();
    expect(steps.status).toBe('processing');
    expect((steps.steps as Record<string, { state: string }>).waveform!.state).toBe('active');

    const normal = (await computeWaveform(uploadedFile())).json;
    const partialUrl: string = processing.waveformUrl;
    const partialRes = await media(partialUrl);
    expect(partialRes.statusCode).toBe(200);
    const partial = partialRes.json() as AudiowaveformJson;
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(normal.length);
    expect(partial.data).toEqual(normal.data.slice(0, partial.length * 2));
    expect(partial).toMatchObject({ sample_rate: normal.sample_rate, samples_per_pixel: normal.samples_per_pixel });
    // Pages watching the track were told (before any step of this version is done).
    expect(told).toContain(trackId);

    releaseWaveform();
    await waitUntilSettled(versionId);
    const ready = (await view(trackId)).json().track;
    expect(ready.status).toBe('ready');
    expect(ready.waveformUrl).not.toBe(partialUrl);
    const finished = await media(ready.waveformUrl);
    expect(finished.statusCode).toBe(200);
    expect(finished.json()).toEqual(normal);
    // A page that read the partial one a moment ago still finds it: it goes a minute later.
    expect((await media(partialUrl)).statusCode).toBe(200);
    // Its waveform-cleanup job is queued (earlier uploads' may be delayed or done meanwhile).
    expect(await cleanupJobs()).toBe(cleanupBefore + 1);
    // Run through the worker's handler, as the queue does a minute later.
    await runJob(api.t, 'waveform-cleanup', { versionId });
    expect((await media(partialUrl)).statusCode).toBe(404);
    expect((await media(ready.waveformUrl)).json()).toEqual(normal);
  });
});
