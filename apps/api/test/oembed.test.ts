/** oEmbed 1.0 (docs/architecture.md, "Embeds and sharing"): what is answered, at what size, and what is a 404. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEmbeddableUrl } from '@earshot/core';
import { createReadyTrack, createTestApi, type TestApi } from '../../../test/support/factories.ts';
import { createUser, type TestUser } from './support/accounts.ts';

describe('oEmbed', () => {
  let api: TestApi;
  let artist: TestUser;
  let pub: string;
  let priv: string;
  let base: string;
  const get = async (params: Record<string, string>) => {
    const res = await api.app.inject({ method: 'GET', url: `/api/oembed?${new URLSearchParams(params)}` });
    return { status: res.statusCode, body: JSON.parse(res.body) as Record<string, any>, headers: res.headers };
  };

  beforeAll(async () => {
    api = await createTestApi();
    artist = await createUser(api.db, 'artist');
    pub = (await createReadyTrack(api.db, artist.id, 'night-drive')).id;
    priv = (await createReadyTrack(api.db, artist.id, 'hidden', { visibility: 'private' })).id;
    base = api.t.config.publicUrl.replace(/\/$/, '');
  });
  afterAll(async () => api?.close());

  it('answers a rich iframe for a track page or embed URL', async () => {
    for (const url of [
      `${base}/embed/track/${pub}`,
      `${base}/${artist.handle}/night-drive`,
      `${base}/${artist.handle}/night-drive?t=1m2s`,
    ]) {
      const res = await get({ url, format: 'json' });
      expect(res.status, url).toBe(200);
      expect(res.body).toMatchObject({
        version: '1.0',
        type: 'rich',
        provider_name: 'Earshot',
        title: 'night-drive',
        author_name: 'Test artist',
        width: 600,
        height: 166,
      });
      expect(res.body.html).toBe(
        `<iframe src="${new URL(base).origin}/embed/track/${pub}" width="600" height="166" style="border:0" allow="autoplay; encrypted-media" loading="lazy" title="night-drive by Test artist"></iframe>`,
      );
      expect(res.headers['cache-control']).toMatch(/public/);
    }
  });

  it('honours maxwidth and maxheight, and says 404 when the player cannot fit', async () => {
    expect((await get({ url: `${base}/embed/track/${pub}`, maxwidth: '400', maxheight: '150' })).body).toMatchObject({
      width: 400,
      height: 150,
    });
    expect((await get({ url: `${base}/embed/track/${pub}`, maxwidth: '1000' })).body).toMatchObject({
      width: 600,
      height: 166,
    });
    expect((await get({ url: `${base}/embed/track/${pub}`, maxwidth: '100' })).status).toBe(404);
  });

  it('unknown, foreign, private or malformed URLs are a 404; other formats 501; bad sizes 400', async () => {
    for (const url of [
      `https://evil.example/embed/track/${pub}`,
      `${base}/embed/track/${priv}`,
      `${base}/embed/track/999999`,
      `${base}/${artist.handle}/hidden`,
      `${base}/settings`,
      `${base}/embed/playlist/1`,
      'not a url',
      `javascript:alert(1)`,
    ]) {
      const res = await get({ url });
      expect(res.status, url).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await get({ url: `${base}/embed/track/${pub}`, format: 'xml' })).status).toBe(501);
    expect((await get({ url: `${base}/embed/track/${pub}`, maxwidth: '-5' })).status).toBe(400);
    expect((await get({ url: 'x'.repeat(3000) })).status).toBe(400);
    expect((await api.app.inject({ method: 'GET', url: '/api/oembed' })).statusCode).toBe(400);
  });

  it('parses only URLs of this platform', () => {
    expect(parseEmbeddableUrl('https://music.example/embed/release/12', 'https://music.example')).toEqual({
      kind: 'release',
      id: '12',
    });
    expect(parseEmbeddableUrl('https://user:pw@music.example/embed/track/1', 'https://music.example')).toBeNull();
    expect(parseEmbeddableUrl('http://music.example/embed/track/1', 'https://music.example')).toBeNull();
    expect(parseEmbeddableUrl('https://music.example/embed/track/01', 'https://music.example')).toBeNull();
  });
});
