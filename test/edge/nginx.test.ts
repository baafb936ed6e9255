/**
 * Edge test: the production nginx template (nginx/templates/), rendered for loopback by
 * scripts/render-nginx.ts, run by the real nginx in front of the real API (buildApi) and an
 * S3-compatible store (s3rver) holding HLS files made by ffmpeg. Everything listens on loopback
 * and is stopped and removed afterwards.
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signHlsPath, verifyHlsRequest } from '@earshot/core';
import { keys, unguessableToken } from '@earshot/storage';
import type { Api } from '../../apps/api/src/index.ts';
import { SECURITY_HEADER_NAMES, securityHeaders } from '@earshot/security-headers';
import { envsubst, renderNginx, TEMPLATES_DIR, TEMPLATE_VARIABLES } from '../../scripts/render-nginx.ts';
import { staleSecurityTemplates } from '../../scripts/nginx-security-headers.ts';
import { createTestInfra, type TestInfra } from '../support/infra.ts';
import { buildTestApi } from '../support/factories.ts';
import { freePort } from '../support/process.ts';
import { makeHlsTree, type HlsTree } from './support/hls-fixture.ts';
import { request, rawTlsRequest, type EdgeResponse, type RequestOptions } from './support/https-client.ts';
import { startNginx, type NginxProcess } from './support/nginx-process.ts';
import { selfSignedCert } from '../support/certs.ts';

const SECRET = 'edge-test-secure-link-secret-0123456789';
const DOMAIN = 'localhost';
const VERSION = '41';
const OTHER = '42';
// Waveforms and version artwork live at keys holding an unguessable token (packages/storage/src/keys.ts).
const MEDIA_TOKEN = unguessableToken();
const ART_KEY = keys.versionArtwork(VERSION, MEDIA_TOKEN, 300, 'jpg');
const WAVE_KEY = keys.waveform(VERSION, MEDIA_TOKEN);
const CONTENT_TYPES: Record<string, string> = {
  m3u8: 'application/vnd.apple.mpegurl',
  m4s: 'video/iso.segment',
  mp4: 'audio/mp4',
};
const typeOf = (file: string) => CONTENT_TYPES[file.slice(file.lastIndexOf('.') + 1)]!;

let tmp: string;
let s3: S3rver;
let t: TestInfra;
let api: Api;
let apiPort: number;
let web: http.Server;
let nginx: NginxProcess;
let httpsPort: number;
let httpPort: number;
let cert: string;
let tree: HlsTree;
const files = new Map<string, Buffer>();
let image: Buffer;
const waveform = Buffer.from(
  JSON.stringify({
    version: 2,
    channels: 1,
    sample_rate: 44100,
    samples_per_pixel: 512,
    bits: 8,
    length: 3,
    data: [0, 0, 12, -9, 30, -31],
  }),
);

/** Every response nginx gave, to check the security headers on all of them at the end. */
const seen: EdgeResponse[] = [];
/** The ones answered on the plain-HTTP port (no HSTS there). */
const plainHttp = new Set<EdgeResponse>();
const edge = async (p: string, options?: RequestOptions) => {
  const res = await request({ port: httpsPort, tls: { ca: cert, servername: DOMAIN } }, p, options);
  seen.push(res);
  return res;
};
/** A JSON POST through nginx from `client`'s address. */
const postJson = (p: string, client: { localAddress: string }, body: unknown) =>
  edge(p, { ...client, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const direct = (p: string) => request({ port: apiPort }, p);
const sign = (versionId = VERSION, ttl = 600, now = Date.now()) => signHlsPath(versionId, ttl, SECRET, now).path;
const prefixOf = (signed: string) => signed.slice(0, signed.indexOf('/version-') + 1);

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'earshot-edge-'));

  // Object storage: s3rver on loopback, path-style like MinIO.
  s3 = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: path.join(tmp, 's3'),
    vhostBuckets: false,
  });
  const s3Port = (await s3.run()).port;

  // The real API, its store being that S3 server.
  t = await createTestInfra({
    env: {
      LOG_LEVEL: 'warn',
      SECURE_LINK_SECRET: SECRET,
      MINIO_ENDPOINT: `http://127.0.0.1:${s3Port}`,
      MINIO_ROOT_USER: 'S3RVER',
      MINIO_ROOT_PASSWORD: 'S3RVER',
    },
  });
  // serveMedia: the embedded /media/hls/ route, asked directly (never through nginx) to compare answers.
  api = await buildTestApi(t, { serveMedia: true });
  await api.listen({ port: 0, host: '127.0.0.1' });
  apiPort = (api.server.address() as AddressInfo).port;

  // HLS made by ffmpeg, one rendition, stored as the worker stores it; version 42 too.
  tree = await makeHlsTree(path.join(tmp, 'hls', `version-${VERSION}`), { seconds: 8, segmentSeconds: 2 });
  for (const file of tree.files) {
    const body = await readFile(path.join(tree.root, file));
    files.set(file, body);
    for (const v of [VERSION, OTHER])
      await t.infra.store.put('transcodes', `version-${v}/${file}`, body, {
        contentType: typeOf(file),
        contentLength: body.length,
      });
  }
  await t.infra.store.put('transcodes', 'secret.txt', 'never served');
  const jpg = path.join(tmp, 'cover.jpg');
  expect(
    spawnSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=red:s=32x32', '-frames:v', '1', jpg])
      .status,
  ).toBe(0);
  image = await readFile(jpg);
  await t.infra.store.put('images', ART_KEY, image, { contentType: 'image/jpeg', contentLength: image.length });
  await t.infra.store.put('waveforms', WAVE_KEY, waveform, {
    contentType: 'application/json',
    contentLength: waveform.length,
  });
  // The same files at keys guessable from the version id (the layout before tokens): never served.
  await t.infra.store.put('images', `artwork/version-${VERSION}/300.jpg`, image, {
    contentType: 'image/jpeg',
    contentLength: image.length,
  });
  await t.infra.store.put('waveforms', `version-${VERSION}.json`, waveform, {
    contentType: 'application/json',
    contentLength: waveform.length,
  });
  await t.infra.store.put('waveforms', `version-${VERSION}/${'a'.repeat(21)}.json`, waveform, {
    contentType: 'application/json',
    contentLength: waveform.length,
  });

  // Stand-in for the Next.js app (not under test here): answers every page with 200.
  web = http.createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>web</title>'),
  );
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  const webPort = (web.address() as AddressInfo).port;

  // TLS certificate for localhost, made here.
  const { certPath, keyPath } = await selfSignedCert(tmp, {
    cn: 'localhost',
    days: 1,
    altNames: 'DNS:localhost,IP:127.0.0.1',
  });
  cert = await readFile(certPath, 'utf8');

  httpsPort = await freePort();
  httpPort = await freePort();
  const prefix = path.join(tmp, 'nginx');
  const { confPath } = await renderNginx({
    outDir: path.join(tmp, 'conf'),
    env: { DOMAIN, SECURE_LINK_SECRET: SECRET },
    local: {
      prefix,
      listenHttp: `127.0.0.1:${httpPort}`,
      listenHttps: `127.0.0.1:${httpsPort}`,
      upstreams: { api: `127.0.0.1:${apiPort}`, web: `127.0.0.1:${webPort}`, minio: `127.0.0.1:${s3Port}` },
      certificate: { cert: certPath, key: keyPath },
    },
  });
  nginx = await startNginx({ confPath, prefix, readyPort: httpsPort });
});

afterAll(async () => {
  await nginx?.stop();
  await api?.close();
  await t?.cleanup();
  await new Promise<void>((resolve) => (web ? web.close(() => resolve()) : resolve()));
  await s3?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('rendering', () => {
  it('substitutes exactly what GNU envsubst substitutes with the two template variables, nothing else', async () => {
    const env = { DOMAIN: 'yoursite.com', SECURE_LINK_SECRET: 'abcdef0123456789abcdef0123456789' };
    const out = await mkdtemp(path.join(tmp, 'render-'));
    await renderNginx({ outDir: out, env });
    const list = async (dir: string, rel = ''): Promise<string[]> =>
      (await readdir(path.join(dir, rel), { withFileTypes: true }))
        .flatMap((e) => (e.isDirectory() ? [] : [path.join(rel, e.name)]))
        .concat(
          ...(await Promise.all(
            (
              await readdir(path.join(dir, rel), { withFileTypes: true })
            )
              .filter((e) => e.isDirectory())
              .map((e) => list(dir, path.join(rel, e.name))),
          )),
        );
    const templates = await list(TEMPLATES_DIR);
    expect(templates.sort()).toEqual([
      'nginx.conf.template',
      'snippets/proxy-app.conf.template',
      'snippets/proxy-storage.conf.template',
      'snippets/security-headers-maps.conf.template',
      'snippets/security-headers.conf.template',
    ]);
    for (const rel of templates) {
      const source = await readFile(path.join(TEMPLATES_DIR, rel), 'utf8');
      // What the nginx image's entrypoint runs with NGINX_ENVSUBST_FILTER set to the two names.
      const gnu = spawnSync('envsubst', [TEMPLATE_VARIABLES.map((v) => `$${v}`).join(' ')], {
        input: source,
        env: { ...process.env, ...env },
      });
      expect(gnu.status).toBe(0);
      const ours = await readFile(path.join(out, rel.replace(/\.template$/, '')), 'utf8');
      expect(ours).toBe(gnu.stdout.toString());
      expect(ours).toBe(envsubst(source, env));
    }
    const conf = await readFile(path.join(out, 'nginx.conf'), 'utf8');
    expect(conf).toContain('default "abcdef0123456789abcdef0123456789";');
    expect(conf).toContain('server_name yoursite.com www.yoursite.com;');
    expect(conf).toContain('$secure_link_expires/version-$hls_version $secure_link_secret');
    expect(conf).not.toMatch(/\$\{/);
    await expect(
      renderNginx({ outDir: out, env: { ...env, SECURE_LINK_SECRET: 'has"quote-and-$dollar' } }),
    ).rejects.toThrow(/SECURE_LINK_SECRET/);
  });

  it('the security-header snippets are the ones generated from packages/security-headers; a drifted one is refused', async () => {
    expect(await staleSecurityTemplates()).toEqual([]);
    const drifted = await mkdtemp(path.join(tmp, 'drifted-'));
    await cp(TEMPLATES_DIR, drifted, { recursive: true });
    const snippet = path.join(drifted, 'snippets/security-headers.conf.template');
    await writeFile(snippet, (await readFile(snippet, 'utf8')).replace('"nosniff"', '"sniff-away"'));
    expect(await staleSecurityTemplates(drifted)).toEqual(['snippets/security-headers.conf.template']);
    await expect(
      renderNginx({
        outDir: await mkdtemp(path.join(tmp, 'render-')),
        templatesDir: drifted,
        env: { DOMAIN: 'yoursite.com', SECURE_LINK_SECRET: 'abcdef0123456789abcdef0123456789' },
      }),
    ).rejects.toThrow(/security-headers\.conf\.template differ from packages\/security-headers/);
  });
});

describe('signed HLS through nginx', () => {
  it('serves the master playlist and every URI in it, resolved relative to it, with the right types', async () => {
    const master = sign();
    const res = await edge(master);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.apple.mpegurl');
    expect(res.body.equals(files.get('playlist.m3u8')!)).toBe(true);
    const reached = new Set<string>(['playlist.m3u8']);
    const follow = async (base: URL, text: string) => {
      for (const line of text.split('\n')) {
        const uri = line.startsWith('#EXT-X-MAP:')
          ? /URI="([^"]+)"/.exec(line)![1]!
          : line && !line.startsWith('#')
            ? line.trim()
            : undefined;
        if (!uri) continue;
        const u = new URL(uri, base);
        const file = u.pathname.split(`/version-${VERSION}/`)[1]!;
        const r = await edge(u.pathname);
        expect(r.status, u.pathname).toBe(200);
        expect(r.headers['content-type']).toBe(typeOf(file));
        expect(r.body.equals(files.get(file)!), file).toBe(true);
        reached.add(file);
        if (file.endsWith('.m3u8')) await follow(u, r.body.toString());
      }
    };
    await follow(new URL(master, `https://${DOMAIN}`), res.body.toString());
    expect([...reached].sort()).toEqual([...tree.files].sort());
  });

  it('206 for a Range request', async () => {
    const seg = files.get('128k/seg_00002.m4s')!;
    const r = await edge(`${prefixOf(sign())}version-${VERSION}/128k/seg_00002.m4s`, {
      headers: { range: 'bytes=10-209' },
    });
    expect(r.status).toBe(206);
    expect(r.headers['content-range']).toBe(`bytes 10-209/${seg.length}`);
    expect(r.body.equals(seg.subarray(10, 210))).toBe(true);
  });

  it('403 without or with a bad signature and for another version; 410 once expired; 404 for an absent file', async () => {
    const signed = sign();
    const prefix = prefixOf(signed);
    const sig = signed.split('/')[3]!;
    for (const p of [
      `/media/hls/version-${VERSION}/playlist.m3u8`,
      signed.replace(sig, `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`),
      signed.replace(sig, sig.slice(0, 20)),
      signHlsPath(VERSION, 600, 'not-the-secret-at-all', Date.now()).path,
      `${prefix}version-${OTHER}/playlist.m3u8`,
      `${prefix}version-${OTHER}/128k/seg_00001.m4s`,
    ]) {
      const r = await edge(p);
      expect(r.status, p).toBe(403);
      expect(JSON.parse(r.body.toString())).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
    }
    const expired = await edge(sign(VERSION, 60, Date.now() - 7_200_000));
    expect(expired.status).toBe(410);
    expect(JSON.parse(expired.body.toString()).error.code).toBe('link_expired');
    const absent = await edge(`${prefix}version-${VERSION}/128k/seg_00077.m4s`);
    expect(absent.status).toBe(404);
    expect(JSON.parse(absent.body.toString()).error.code).toBe('not_found');
  });

  it('raw NUL and backslashes never reach a file', async () => {
    const prefix = prefixOf(sign());
    for (const target of [
      `${prefix}version-${VERSION}/128k\\seg_00001.m4s`,
      `${prefix}version-${VERSION}/..\\..\\secret.txt`,
      `${prefix}version-${VERSION}/128k/seg_00001.m4s\0`,
    ]) {
      const r = await rawTlsRequest(httpsPort, cert, target);
      expect([400, 403], `${JSON.stringify(target)} → ${r.status}`).toContain(r.status);
      expect(r.text).not.toContain('never served');
    }
  });

  it('the API-side verifier, the embedded route and nginx give the same answer for the same URL', async () => {
    const signed = sign();
    const prefix = prefixOf(signed);
    const [, , , sig, expires] = signed.split('/') as [string, string, string, string, string];
    const expiredPrefix = prefixOf(sign(VERSION, 60, Date.now() - 7_200_000));
    const paths = [
      signed,
      `${prefix}version-${VERSION}/128k/index.m3u8`,
      `${prefix}version-${VERSION}/128k/init.mp4`,
      `${prefix}version-${VERSION}/128k/seg_00001.m4s`,
      `${prefix}version-${VERSION}/128k/seg_00099.m4s`,
      `${prefix}version-${VERSION}/320k/index.m3u8`,
      `${expiredPrefix}version-${VERSION}/playlist.m3u8`,
      `${expiredPrefix}version-${OTHER}/playlist.m3u8`,
      `${prefix}version-${OTHER}/playlist.m3u8`,
      `${prefix}version-4/playlist.m3u8`,
      `/media/hls/version-${VERSION}/playlist.m3u8`,
      `/media/hls/${expires}/version-${VERSION}/playlist.m3u8`,
      `/media/hls/${sig.slice(0, 21)}/${expires}/version-${VERSION}/playlist.m3u8`,
      `/media/hls/${sig}A/${expires}/version-${VERSION}/playlist.m3u8`,
      `/media/hls/${'A'.repeat(40)}/${expires}/version-${VERSION}/playlist.m3u8`,
      `/media/hls/${sig}/-1/version-${VERSION}/playlist.m3u8`,
      `/media/hls/${sig}/0/version-${VERSION}/playlist.m3u8`,
      `/media/hls/${sig}/abc/version-${VERSION}/playlist.m3u8`,
      `/media/hls/${sig}/99999999999999999999/version-${VERSION}/playlist.m3u8`,
      `/media/hls/${sig}/${Number(expires) + 1}/version-${VERSION}/playlist.m3u8`,
      `/media/hls/${sig.slice(0, 21)}+/${expires}/version-${VERSION}/playlist.m3u8`,
      `${prefix}version-${VERSION}/../version-${OTHER}/playlist.m3u8`,
      `${prefix}version-${VERSION}/128k/../../version-${OTHER}/playlist.m3u8`,
      `${prefix}version-${VERSION}/%2e%2e/version-${OTHER}/playlist.m3u8`,
      `${prefix}version-${VERSION}/128k%2fseg_00001.m4s`,
      `${prefix}version-${VERSION}/128k%5cseg_00001.m4s`,
      `${prefix}version-${VERSION}/128k/seg_00001.m4s%00`,
      `${prefix}version-${VERSION}//playlist.m3u8`,
      `${prefix}version-${VERSION}/./playlist.m3u8`,
      `${prefix}version-${VERSION}/secret.txt`,
      `${prefix}secret.txt`,
      `${prefix}version-${VERSION}/128k/seg_00001.m4s.bak`,
      `${prefix}version-0${VERSION}/playlist.m3u8`,
      `/media/hls/`,
    ];
    const expected = (check: ReturnType<typeof verifyHlsRequest>, p: string) =>
      check.ok ? (/seg_00099|320k/.test(p) ? 404 : 200) : check.status;
    const table = [];
    for (const p of paths) {
      const verdict = expected(verifyHlsRequest(p.split('?')[0]!, SECRET, Date.now()), p);
      const viaNginx = (await edge(p)).status;
      const viaApi = (await direct(p)).status;
      table.push({ path: p, verifier: verdict, nginx: viaNginx, api: viaApi });
    }
    expect(table.filter((row) => row.nginx !== row.verifier || row.api !== row.verifier)).toEqual([]);
    expect(table.filter((row) => row.nginx === 200).length).toBe(4);
  });

  it('gzips playlists, not segments', async () => {
    const prefix = prefixOf(sign());
    for (const file of ['playlist.m3u8', '128k/index.m3u8']) {
      const r = await edge(`${prefix}version-${VERSION}/${file}`, { headers: { 'accept-encoding': 'gzip' } });
      expect(r.status).toBe(200);
      expect(r.headers['content-encoding']).toBe('gzip');
      expect(r.headers.vary).toMatch(/Accept-Encoding/i);
      expect(gunzipSync(r.body).equals(files.get(file)!)).toBe(true);
    }
    const seg = await edge(`${prefix}version-${VERSION}/128k/seg_00001.m4s`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(seg.headers['content-encoding']).toBeUndefined();
  });

  it('serves segments from its cache the second time, whoever signed the URL', async () => {
    // Version 42's files have not been fetched through nginx yet.
    const file = `version-${OTHER}/128k/seg_00003.m4s`;
    const first = await edge(`${prefixOf(sign(OTHER, 600))}${file}`);
    expect(first.status).toBe(200);
    expect(first.headers['x-cache-status']).toBe('MISS');
    const again = await edge(`${prefixOf(sign(OTHER, 600))}${file}`);
    expect(again.headers['x-cache-status']).toBe('HIT');
    // Another listener's URL (another expiry, so another signature) hits the same cached file.
    const other = await edge(`${prefixOf(sign(OTHER, 900))}${file}`, { headers: { range: 'bytes=0-99' } });
    expect(other.status).toBe(206);
    expect(other.headers['x-cache-status']).toBe('HIT');
    expect(other.body.equals(files.get('128k/seg_00003.m4s')!.subarray(0, 100))).toBe(true);
    expect(again.headers['cache-control']).toBe('private, max-age=3600, immutable');
    // Playlists grow while a version is processed: never kept by nginx, revalidated by browsers.
    const playlist = await edge(`${prefixOf(sign(OTHER, 600))}version-${OTHER}/playlist.m3u8`);
    expect(playlist.headers['cache-control']).toBe('private, no-cache');
    const playlistAgain = await edge(`${prefixOf(sign(OTHER, 600))}version-${OTHER}/playlist.m3u8`);
    expect(playlistAgain.headers['x-cache-status']).toBe('BYPASS');
  });
});

describe('trending', () => {
  it('is cached by nginx (proxy_cache): the app answers the first request, nginx the next ones', async () => {
    const url = '/api/v1/trending?period=week&limit=7';
    const first = await edge(url, { headers: { cookie: 'earshot_session=whatever' } });
    expect(first.status).toBe(200);
    expect(first.headers['x-cache-status']).toBe('MISS');
    expect(first.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
    const again = await edge(url);
    expect(again.headers['x-cache-status']).toBe('HIT');
    expect(again.body.equals(first.body)).toBe(true);
    expect(JSON.parse(again.body.toString('utf8'))).toMatchObject({ period: 'week', tracks: [] });
    // Another query is another entry.
    expect((await edge('/api/v1/trending?period=day&limit=7')).headers['x-cache-status']).toBe('MISS');
  });
});

describe('public images and waveforms', () => {
  it('are served with a 7-day public immutable cache', async () => {
    for (const [p, body, type] of [
      [`/images/${ART_KEY}`, image, 'image/jpeg'],
      [`/waveforms/${WAVE_KEY}`, waveform, 'application/json'],
    ] as const) {
      const r = await edge(p);
      expect(r.status, p).toBe(200);
      expect(r.headers['content-type']).toBe(type);
      expect(r.body.equals(body)).toBe(true);
      // Exactly one Cache-Control header (Node would join two into one value), and no Expires:
      // max-age is the one rule.
      const cacheControl = r.rawHeaders.filter(
        (_, i) => i % 2 === 0 && r.rawHeaders[i]!.toLowerCase() === 'cache-control',
      );
      expect(cacheControl, p).toHaveLength(1);
      expect(r.headers['cache-control']).toBe('public, max-age=604800, immutable');
      expect(r.headers.expires).toBeUndefined();
    }
    const missing = await edge('/images/artwork/nope.jpg');
    expect(missing.status).toBe(404);
    expect(missing.headers['cache-control'] ?? '').not.toContain('immutable');
    const ranged = await edge(`/images/${ART_KEY}`, { headers: { range: 'bytes=0-9' } });
    expect(ranged.status).toBe(206);
  });

  it('serve waveforms and version artwork only at their unguessable keys, as the embedded API does', async () => {
    const guessable = [
      `/images/artwork/version-${VERSION}/300.jpg`,
      `/waveforms/version-${VERSION}.json`,
      `/waveforms/version-${VERSION}/${'a'.repeat(21)}.json`,
    ];
    for (const p of guessable) {
      const [viaEdge, viaApi] = [await edge(p), await direct(p)];
      expect([p, viaEdge.status, viaApi.status]).toEqual([p, 404, 404]);
      expect(JSON.parse(viaEdge.body.toString()).error.code).toBe('not_found');
      expect(viaEdge.body.equals(image) || viaEdge.body.equals(waveform)).toBe(false);
    }
    for (const p of [`/images/${ART_KEY}`, `/waveforms/${WAVE_KEY}`]) {
      const [viaEdge, viaApi] = [await edge(p), await direct(p)];
      expect([p, viaEdge.status, viaApi.status]).toEqual([p, 200, 200]);
      expect(viaEdge.body.equals(viaApi.body)).toBe(true);
    }
  });

  it('never list a bucket, never write, and answer JSON 404 for a missing file', async () => {
    for (const p of ['/images/', '/waveforms/', '/images/?list-type=2', '/images/?prefix=artwork']) {
      const r = await edge(p);
      expect(r.status, p).toBe(404);
      expect(r.body.toString()).not.toContain('ListBucketResult');
    }
    const listed = await edge(`/images/${ART_KEY}?list-type=2`);
    expect(listed.body.equals(image)).toBe(true);
    const missing = await edge('/images/avatars/user-1/nope-128.webp');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toBe('application/json');
    expect(JSON.parse(missing.body.toString()).error.code).toBe('not_found');
    for (const method of ['PUT', 'DELETE', 'POST']) {
      expect((await edge(`/images/${ART_KEY}`, { method, body: 'x' })).status).toBe(405);
    }
    expect((await edge(`/images/${ART_KEY}`)).body.equals(image)).toBe(true);
  });
});

describe('rate limits', () => {
  it('the auth zone throttles login attempts, not GET /auth/me', async () => {
    const client = { localAddress: '127.0.0.2' };
    const logins: number[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await postJson('/api/v1/auth/login', client, {
        email: 'nobody@example.com',
        password: 'wrong-password',
      });
      logins.push(r.status);
    }
    // 5r/m with burst 3: four attempts, then 429.
    expect(logins.slice(0, 4)).not.toContain(429);
    expect(logins.slice(4)).toEqual([429, 429, 429, 429]);
    for (let i = 0; i < 8; i++) expect((await edge('/api/v1/auth/me', client)).status).not.toBe(429);
  });

  it('the comment zone throttles comment writes, not reads', async () => {
    const client = { localAddress: '127.0.0.3' };
    const writes: number[] = [];
    for (let i = 0; i < 9; i++) {
      const r = await postJson('/api/v1/comments', client, { trackId: '1', body: 'nice', positionMs: 1000 });
      writes.push(r.status);
    }
    // burst 5: six writes, then 429.
    expect(writes.slice(0, 6)).not.toContain(429);
    expect(writes.slice(6)).toEqual([429, 429, 429]);
    for (let i = 0; i < 6; i++) expect((await edge('/api/v1/tracks/1/comments', client)).status).not.toBe(429);
    for (let i = 0; i < 3; i++) expect((await edge('/api/v1/comments?trackId=1', client)).status).not.toBe(429);
  });

  it('the API zone answers 429 past its burst', async () => {
    // 26 at once: the zone lets 1 + a burst of 20 through and refills one every 600 ms (100 per
    // minute), so requests sent one after another on a busy machine would earn refills between them.
    const statuses = await Promise.all(
      Array.from({ length: 26 }, async () => (await edge('/api/v1/health', { localAddress: '127.0.0.4' })).status),
    );
    const limited = statuses.filter((s) => s === 429).length;
    // 5 refused, or 4 if the batch took longer than one refill to arrive.
    expect(limited).toBeGreaterThanOrEqual(4);
    expect(limited).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s !== 429)).toEqual(Array(26 - limited).fill(200));
  });
});

describe('routing', () => {
  it('proxies the API and the web app; /metrics is not exposed', async () => {
    const health = await edge('/api/v1/health');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body.toString()).status).toBe('healthy');
    expect((await edge('/')).status).toBe(200);
    const metrics = await edge('/metrics');
    expect(metrics.status).toBe(404);
    expect(metrics.body.toString()).not.toContain('# HELP');
  });

  it('redirects HTTP to HTTPS', async () => {
    const r = await request({ port: httpPort }, '/some/page?x=1');
    seen.push(r);
    plainHttp.add(r);
    expect(r.status).toBe(301);
    expect(r.headers.location).toBe(`https://${DOMAIN}/some/page?x=1`);
  });

  it('lets third-party sites frame /embed/ only', async () => {
    const embed = await edge('/embed/track/1');
    expect(embed.status).toBe(200);
    expect(embed.headers['x-frame-options']).toBeUndefined();
    expect(embed.headers['content-security-policy']).toMatch(/frame-ancestors \*$/);
    const page = await edge('/some-artist/some-track');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'$/);
  });
});

describe('security headers', () => {
  it('are on every response, once: pages, API, media, images, waveforms, errors, 429s, redirects', () => {
    const statuses = new Set(seen.map((r) => r.status));
    for (const s of [200, 206, 301, 403, 404, 405, 410, 429])
      expect(statuses, `no ${s} response was checked`).toContain(s);
    const expectedOnce: Record<string, string | RegExp> = {
      'x-content-type-options': 'nosniff',
      'x-xss-protection': '0',
      'referrer-policy': 'strict-origin-when-cross-origin',
      'content-security-policy':
        /^default-src 'self'; .*connect-src 'self' wss:\/\/localhost; frame-ancestors ('none'|\*)$/,
    };
    const problems: string[] = [];
    for (const res of seen) {
      const count = (name: string) => res.rawHeaders.filter((h, i) => i % 2 === 0 && h.toLowerCase() === name).length;
      for (const [name, value] of Object.entries(expectedOnce)) {
        const got = res.headers[name];
        const ok = count(name) === 1 && (typeof value === 'string' ? got === value : value.test(String(got)));
        if (!ok) problems.push(`${res.status} ${res.path}: ${name}=${JSON.stringify(got)} ×${count(name)}`);
      }
      // HSTS on HTTPS only.
      const https = !plainHttp.has(res);
      if (
        count('strict-transport-security') !== (https ? 1 : 0) ||
        (https && res.headers['strict-transport-security'] !== 'max-age=31536000; includeSubDomains')
      ) {
        problems.push(
          `${res.status} ${res.path}: strict-transport-security=${JSON.stringify(res.headers['strict-transport-security'])}`,
        );
      }
      const embed = res.path.startsWith('/embed/');
      if (count('x-frame-options') !== (embed ? 0 : 1) || (!embed && res.headers['x-frame-options'] !== 'DENY'))
        problems.push(`${res.status} ${res.path}: x-frame-options=${JSON.stringify(res.headers['x-frame-options'])}`);
      // Exactly what embedded mode sends for the same request (the one definition).
      const wanted = securityHeaders({ path: res.path, https, websocketOrigin: `wss://${DOMAIN}` });
      for (const name of SECURITY_HEADER_NAMES) {
        const got = res.headers[name.toLowerCase()];
        if (got !== wanted[name])
          problems.push(
            `${res.status} ${res.path}: ${name}=${JSON.stringify(got)}, the module says ${JSON.stringify(wanted[name])}`,
          );
      }
    }
    expect(problems).toEqual([]);
    expect(seen.length).toBeGreaterThan(60);
  });
});
