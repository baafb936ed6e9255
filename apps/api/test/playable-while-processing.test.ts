import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreDeps, HlsPublication, MediaToolkit } from '@earshot/core';
import { createCoreDeps, createMediaToolkit } from '@earshot/runtime';
import { createHandlers, startProcessing } from '../../worker/src/index.ts';
import type { Api } from '../src/index.ts';
import type { TestInfra } from '../../../test/support/infra.ts';
import { createTestApi, type TestApi } from '../../../test/support/factories.ts';
import { generateTone } from '../../../test/support/audio.ts';
import { signIn } from '../../../test/support/users.ts';
import { multipartBody } from './support/multipart.ts';

/**
 * "Playable in seconds" (docs/performance.md): the owner is handed a signed master while the
 * version is still processing, and every file it leads to is served; the finished version then
 * replaces the provisional playlists.
 */
let t: TestInfra;
let app: Api;
let testApi: TestApi | undefined;
let core: CoreDeps;
let closeCore: (() => Promise<void>) | undefined;
let artist: { token: string; id: string };
let listener: { token: string; id: string };

// The first rendition to finish waits here: the stream is then published but not finished.
let reachGate!: () => void;
const gateReached = new Promise<void>((r) => {
  reachGate = r;
});
let openGate!: () => void;
const gateOpen = new Promise<void>((r) => {
  openGate = r;
});

beforeAll(async () => {
  testApi = await createTestApi({ api: { serveMedia: true } });
  ({ t, app } = testApi);
  artist = await signIn(app, t.infra.database.db, 'artist');
  listener = await signIn(app, t.infra.database.db, 'listener');
  const real = createMediaToolkit();
  const media: MediaToolkit = {
    ...real,
    transcodeHls: (input, outDir, info, run, publish) =>
      real.transcodeHls(input, outDir, info, run, async (p: HlsPublication) => {
        if (p.kind === 'rendition' && p.final) {
          reachGate();
          await gateOpen;
        }
        await publish?.(p);
      }),
  };
  ({ core, close: closeCore } = createCoreDeps({ config: t.config, logger: t.logger, infra: t.infra, media }));
  startProcessing(t.infra.jobs, createHandlers(core), t.logger, 2);
});
afterAll(async () => {
  openGate();
  await closeCore?.();
  await testApi?.close();
});

const asUser = (token?: string) => (token ? { authorization: `Bearer ${token}` } : {});
const stream = (trackId: string, token?: string) =>
  app.inject({ url: `/api/v1/tracks/${trackId}/stream`, headers: asUser(token) });
const media = (url: string) => app.inject({ url });
/** The signed folder of a master URL: `/media/hls/<sig>/<expires>/version-<id>/`. */
const folderOf = (master: string) => master.slice(0, master.lastIndexOf('/') + 1);

describe('a track is playable while it is processed', () => {
  it('the owner gets a signed master whose playlists and segments are served while it grows; others get 404 until it is ready', async () => {
    const flac = await readFile(await generateTone(path.join(t.dataDir, 'forty.flac'), { seconds: 40 }));
    const body = multipartBody({ title: 'Growing', visibility: 'public' }, { name: 'forty.flac', content: flac });
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/tracks',
      payload: body.payload,
      headers: { ...body.headers, ...asUser(artist.token) },
    });
    expect(res.statusCode, res.body).toBe(201);
    const trackId: string = res.json().track.id;
    const versionId: string = res.json().track.latestVersion.id;

    await gateReached;
    const v = await t.infra.database.db
      .selectFrom('track_versions')
      .select(['status'])
      .where('id', '=', versionId)
      .executeTakeFirstOrThrow();
    expect(v.status).toBe('processing');

    // The gate holds the first rendition that finishes; the provisional master goes out once every
    // rendition has three segments, which on a busy machine can be a moment later: wait for it
    // (bounded by attempts), the renditions keep publishing meanwhile.
    let live = await stream(trackId, artist.token);
    for (let attempt = 0; live.statusCode === 404 && attempt < 300; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      live = await stream(trackId, artist.token);
    }
    expect(live.statusCode, live.body).toBe(200);
    expect(live.json()).toMatchObject({ processing: true });
    const masterUrl: string = live.json().hls;
    expect(masterUrl).toContain(`/version-${versionId}/playlist.m3u8`);
    const page = await app.inject({ url: `/api/v1/tracks/${trackId}`, headers: asUser(artist.token) });
    expect(page.json().track).toMatchObject({ playableWhileProcessing: true, currentVersionId: null });
    // Not the owner: nothing to play yet (the track is not visible to others before it is ready).
    expect((await stream(trackId, listener.token)).statusCode).toBe(404);
    expect((await stream(trackId)).statusCode).toBe(404);

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
    for (let i = 0; i < 2400; i++) {
      const s = await t.infra.database.db
        .selectFrom('track_versions')
        .select('status')
        .where('id', '=', versionId)
        .executeTakeFirstOrThrow();
      if (s.status !== 'processing') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const after = await app.inject({ url: `/api/v1/tracks/${trackId}`, headers: asUser(artist.token) });
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
  });
});
