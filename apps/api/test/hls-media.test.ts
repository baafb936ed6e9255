import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signHlsPath } from '@earshot/core';
import { createMetricsRegistry } from '@earshot/runtime';
import { contentTypeFor } from '@earshot/storage';
import { hlsMediaRoutes } from '../src/routes/hls-media.ts';
import { buildTestApi } from '../../../test/support/factories.ts';
import { useTestApi } from '../../../test/support/use-test-api.ts';
import { makeHlsTree, type HlsTree } from '../../../test/edge/support/hls-fixture.ts';

const SECRET = 'hls-media-test-secret-0123456789';
const TTL = 600;
const SECRET_FILE = 'must never be served';

let tmp: string;
let tree: HlsTree;
const bytes = new Map<string, Buffer>();

const typeOf = (file: string) => contentTypeFor(file);
const sign = (versionId = '7', ttl = TTL, now: number = Date.now()) => signHlsPath(versionId, ttl, SECRET, now).path;
const prefixOf = (signed: string) => signed.slice(0, signed.indexOf('/version-') + 1);
const get = (url: string, headers: Record<string, string> = {}) => api.app.inject({ method: 'GET', url, headers });
let port: number;
/**
 * The request line written byte for byte on a real socket: `inject` (like any URL parser)
 * would resolve `.`/`..` segments before the route sees them; a client can send them raw.
 */
const raw = (target: string) =>
  new Promise<{ status: number; contentType: string | undefined; text: string }>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () =>
      socket.write(`GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`, 'latin1'),
    );
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('end', () =>
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]),
        contentType: /\r\ncontent-type: ([^\r]+)/i.exec(text)?.[1],
        text,
      }),
    );
    socket.on('error', reject);
  });

const api = useTestApi({ infra: { env: { SECURE_LINK_SECRET: SECRET } }, api: { serveMedia: true } });
beforeAll(async () => {
  expect(api.t.config.media.secureLinkSecret).toBe(SECRET);
  tmp = await mkdtemp(path.join(os.tmpdir(), 'earshot-hls-'));
  tree = await makeHlsTree(path.join(tmp, 'version-7'), {
    seconds: 7,
    segmentSeconds: 2,
    renditions: { '64k': '64k', '128k': '128k' },
  });
  for (const file of tree.files) {
    const body = await readFile(path.join(tree.root, file));
    bytes.set(file, body);
    await api.t.infra.store.put('transcodes', `version-7/${file}`, body, {
      contentType: typeOf(file),
      contentLength: body.length,
    });
    // Version 8 exists too: its files must never be reachable with version 7's signature.
    await api.t.infra.store.put('transcodes', `version-8/${file}`, body, {
      contentType: typeOf(file),
      contentLength: body.length,
    });
  }
  for (const key of ['secret.txt', 'version-7.m3u8', 'version-7/128k/secret.txt'])
    await api.t.infra.store.put('transcodes', key, SECRET_FILE);
  await api.t.infra.store.put('originals', 'version-7/original.flac', SECRET_FILE);
  await api.app.listen({ port: 0, host: '127.0.0.1' });
  port = (api.app.server.address() as AddressInfo).port;
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('signed HLS in embedded mode', () => {
  it('serves the master playlist and every URI in it, resolved relative to it as players do', async () => {
    const master = sign();
    const base = new URL(master, 'http://localhost');
    const res = await get(master);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.apple.mpegurl');
    expect(res.rawPayload.equals(bytes.get('playlist.m3u8')!)).toBe(true);

    const seen = new Set<string>();
    const follow = async (playlistUrl: URL, text: string) => {
      const uris = text.split('\n').flatMap((line) => {
        if (line.startsWith('#EXT-X-MAP:')) return [/URI="([^"]+)"/.exec(line)![1]!];
        return line && !line.startsWith('#') ? [line.trim()] : [];
      });
      expect(uris.length).toBeGreaterThan(0);
      for (const uri of uris) {
        const u = new URL(uri, playlistUrl);
        const r = await get(u.pathname);
        const file = u.pathname.slice(u.pathname.indexOf('/version-7/') + '/version-7/'.length);
        expect(r.statusCode, u.pathname).toBe(200);
        expect(r.headers['content-type']).toBe(typeOf(file));
        expect(r.rawPayload.equals(bytes.get(file)!), file).toBe(true);
        seen.add(file);
        if (file.endsWith('.m3u8')) await follow(u, r.payload);
      }
    };
    await follow(base, res.payload);
    // Every file of the tree was reached from the master playlist: no client-side URL tweaking.
    expect([...seen, 'playlist.m3u8'].sort()).toEqual([...tree.files].sort());
  });

  it('content types: the stored types nginx serves in production, for playlist, init segment and media segments', async () => {
    const prefix = prefixOf(sign());
    expect((await get(`${prefix}version-7/128k/index.m3u8`)).headers['content-type']).toBe(
      'application/vnd.apple.mpegurl',
    );
    expect((await get(`${prefix}version-7/128k/init.mp4`)).headers['content-type']).toBe('audio/mp4');
    expect((await get(`${prefix}version-7/128k/seg_00001.m4s`)).headers['content-type']).toBe('video/iso.segment');
  });

  it('206 for Range requests, 416 for unsatisfiable ones', async () => {
    const url = `${prefixOf(sign())}version-7/128k/seg_00002.m4s`;
    const whole = bytes.get('128k/seg_00002.m4s')!;
    const r = await get(url, { range: 'bytes=100-1099' });
    expect(r.statusCode).toBe(206);
    expect(r.headers['content-range']).toBe(`bytes 100-1099/${whole.length}`);
    expect(r.headers['content-length']).toBe('1000');
    expect(r.rawPayload.equals(whole.subarray(100, 1100))).toBe(true);

    const open = await get(url, { range: `bytes=${whole.length - 10}-` });
    expect(open.statusCode).toBe(206);
    expect(open.rawPayload.equals(whole.subarray(whole.length - 10))).toBe(true);

    expect((await get(url, { range: `bytes=${whole.length + 5}-` })).statusCode).toBe(416);
    expect((await get(url, { range: 'bytes=50-10' })).statusCode).toBe(416);
    expect((await get(url, { range: 'pages=1-2' })).statusCode).toBe(416);
  });

  it('gzips playlists for clients that accept it, never segments', async () => {
    const prefix = prefixOf(sign());
    for (const file of ['playlist.m3u8', '128k/index.m3u8']) {
      const gz = await get(`${prefix}version-7/${file}`, { 'accept-encoding': 'br;q=1.0, gzip;q=0.8' });
      expect(gz.statusCode).toBe(200);
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gz.headers.vary).toMatch(/accept-encoding/i);
      expect(Number(gz.headers['content-length'])).toBe(gz.rawPayload.length);
      expect(gunzipSync(gz.rawPayload).equals(bytes.get(file)!)).toBe(true);
    }
    const refused = await get(`${prefix}version-7/playlist.m3u8`, { 'accept-encoding': 'gzip;q=0, identity' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.rawPayload.equals(bytes.get('playlist.m3u8')!)).toBe(true);
    const seg = await get(`${prefix}version-7/128k/seg_00001.m4s`, { 'accept-encoding': 'gzip' });
    expect(seg.headers['content-encoding']).toBeUndefined();
    expect(seg.rawPayload.equals(bytes.get('128k/seg_00001.m4s')!)).toBe(true);
  });

  it('segments are privately cacheable until the link expires; playlists briefly', async () => {
    const prefix = prefixOf(sign());
    const seg = await get(`${prefix}version-7/128k/seg_00001.m4s`);
    const m = /^private, max-age=(\d+), immutable$/.exec(String(seg.headers['cache-control']));
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(TTL - 5);
    expect(Number(m![1])).toBeLessThanOrEqual(TTL);
    expect((await get(`${prefix}version-7/playlist.m3u8`)).headers['cache-control']).toBe('private, max-age=60');
    // A link about to expire is not cached past its expiry.
    const soon = prefixOf(sign('7', 10));
    expect((await get(`${soon}version-7/128k/init.mp4`)).headers['cache-control']).toMatch(
      /^private, max-age=(10|9), immutable$/,
    );
  });

  it('HEAD answers the headers of GET', async () => {
    const url = `${prefixOf(sign())}version-7/128k/seg_00001.m4s`;
    const r = await api.app.inject({ method: 'HEAD', url });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-length']).toBe(String(bytes.get('128k/seg_00001.m4s')!.length));
    expect(r.rawPayload.length).toBe(0);
  });

  it('403 without a signature or with a wrong one, 410 once expired, 404 for a signed but absent file', async () => {
    const signed = sign();
    const prefix = prefixOf(signed);
    const sig = signed.split('/')[3]!;
    const forbidden = [
      '/media/hls/version-7/playlist.m3u8',
      '/media/hls/',
      signed.replace(sig, `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`),
      signed.replace(/\/(\d+)\/version-7\//, (_m, e: string) => `/${Number(e) + 1}/version-7/`),
      signHlsPath('7', TTL, 'another-secret-entirely', Date.now()).path,
    ];
    for (const url of forbidden) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(403);
      expect(r.json()).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
    }
    const expired = sign('7', 60, Date.now() - 3_600_000);
    const gone = await get(expired);
    expect(gone.statusCode).toBe(410);
    expect(gone.json().error.code).toBe('link_expired');
    expect((await get(`${prefixOf(expired)}version-7/128k/seg_00001.m4s`)).statusCode).toBe(410);
    expect((await get(`${prefix}version-7/128k/seg_00099.m4s`)).statusCode).toBe(404);
    expect((await get(`${prefix}version-7/320k/index.m3u8`)).statusCode).toBe(404);
  });

  it('bad input: 400/403 and never a byte from outside the signed version folder', async () => {
    const signed = sign();
    const prefix = prefixOf(signed);
    const [, , , sig, expires] = signed.split('/') as [string, string, string, string, string];
    const cases: string[] = [
      // signatures of the wrong length or alphabet
      `/media/hls/${sig.slice(0, 21)}/${expires}/version-7/playlist.m3u8`,
      `/media/hls/${sig}A/${expires}/version-7/playlist.m3u8`,
      `/media/hls/${sig.slice(0, 21)}+/${expires}/version-7/playlist.m3u8`,
      `/media/hls/${sig.slice(0, 21)}=/${expires}/version-7/playlist.m3u8`,
      `/media/hls/${sig.slice(0, 20)}%3D%3D/${expires}/version-7/playlist.m3u8`,
      `/media/hls/${'A'.repeat(200)}/${expires}/version-7/playlist.m3u8`,
      // negative, huge, non-numeric expiries
      `/media/hls/${sig}/-${expires}/version-7/playlist.m3u8`,
      `/media/hls/${sig}/-1/version-7/playlist.m3u8`,
      `/media/hls/${sig}/99999999999999999999/version-7/playlist.m3u8`,
      `/media/hls/${sig}/9999999999/version-7/playlist.m3u8`,
      `/media/hls/${sig}/0${expires}/version-7/playlist.m3u8`,
      `/media/hls/${sig}/${expires}.0/version-7/playlist.m3u8`,
      `/media/hls/${sig}/0x10/version-7/playlist.m3u8`,
      // traversal, encodings, backslashes, NUL, double slashes
      `${prefix}version-7/../version-8/playlist.m3u8`,
      `${prefix}version-7/128k/../../version-8/128k/index.m3u8`,
      `${prefix}version-7/%2e%2e/version-8/playlist.m3u8`,
      `${prefix}version-7/%2E%2E/%2E%2E/originals/version-7/original.flac`,
      `${prefix}version-7/..%2fversion-8%2fplaylist.m3u8`,
      `${prefix}version-7/128k%2fseg_00001.m4s`,
      `${prefix}version-7/128k%2Fseg_00001.m4s`,
      `${prefix}version-7/128k%5cseg_00001.m4s`,
      `${prefix}version-7/128k%5Cseg_00001.m4s`,
      `${prefix}version-7/128k/seg_00001.m4s%00`,
      `${prefix}version-7/128k/seg_00001.m4s%00.m3u8`,
      `${prefix}version-7//playlist.m3u8`,
      `${prefix}version-7/128k//index.m3u8`,
      `${prefix}version-7/./playlist.m3u8`,
      `${prefix}version-7%2fplaylist.m3u8`,
      // files outside the allowed list, other folders
      `${prefix}version-7/128k/secret.txt`,
      `${prefix}version-7/secret.txt`,
      `${prefix}secret.txt`,
      `${prefix}version-7.m3u8`,
      `${prefix}version-7/`,
      `${prefix}version-07/playlist.m3u8`,
      // another version's folder with this version's signature
      `${prefix}version-8/playlist.m3u8`,
      `${prefix}version-8/128k/seg_00001.m4s`,
      `${prefix}version-70/playlist.m3u8`,
      `${prefix}version-17/playlist.m3u8`,
    ];
    // backslashes and NUL, raw
    cases.push(
      `${prefix}version-7/128k\\seg_00001.m4s`,
      `${prefix}version-7/..\\version-8/playlist.m3u8`,
      `${prefix}version-7/128k/seg_00001.m4s\0`,
    );
    for (const url of cases) {
      const r = await raw(url);
      expect([400, 403], `${JSON.stringify(url)} → ${r.status}`).toContain(r.status);
      expect(r.contentType).toMatch(/^application\/json/);
      expect(r.text).not.toContain(SECRET_FILE);
      expect(r.text).not.toContain('#EXTM3U');
      expect(r.text).not.toContain('ftyp');
    }
    // The same file names, well formed, are served: the refusals above are not a broken route.
    expect((await raw(signed)).status).toBe(200);
  });

  it('logs nothing per segment below warn', async () => {
    const before = api.t.logLines.length;
    const prefix = prefixOf(sign());
    for (let i = 0; i < 5; i++) await get(`${prefix}version-7/128k/seg_00001.m4s`);
    await get('/media/hls/version-7/playlist.m3u8');
    const lines = api.t.logLines.slice(before).filter((l) => JSON.stringify(l).includes('/media/hls/'));
    expect(lines.filter((l) => Number(l.level) < 40)).toEqual([]);
  });
});

describe('without the file cache', () => {
  it('streams every file from the store with the same answers', async () => {
    const plain = await buildTestApi(api.t, { metrics: createMetricsRegistry('api') });
    hlsMediaRoutes(plain, api.t, { cacheBytes: 0 });
    try {
      const prefix = prefixOf(sign());
      for (const f of ['playlist.m3u8', '128k/init.mp4', '128k/seg_00003.m4s']) {
        const r = await plain.inject(`${prefix}version-7/${f}`);
        expect(r.statusCode).toBe(200);
        expect(r.headers['content-type']).toBe(typeOf(f));
        expect(r.rawPayload.equals(bytes.get(f)!)).toBe(true);
      }
      const gz = await plain.inject({
        url: `${prefix}version-7/playlist.m3u8`,
        headers: { 'accept-encoding': 'gzip' },
      });
      expect(gunzipSync(gz.rawPayload).equals(bytes.get('playlist.m3u8')!)).toBe(true);
      const ranged = await plain.inject({
        url: `${prefix}version-7/128k/seg_00003.m4s`,
        headers: { range: 'bytes=5-14' },
      });
      expect(ranged.statusCode).toBe(206);
      expect(ranged.rawPayload.equals(bytes.get('128k/seg_00003.m4s')!.subarray(5, 15))).toBe(true);
    } finally {
      await plain.close();
    }
  });
});
