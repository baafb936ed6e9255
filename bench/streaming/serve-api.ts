/**
 * Child process of bench/streaming/run.ts: the real API (buildApi, embedded mode: local store,
 * PGlite) serving `/media/hls/`, with the HLS tree given as argv[2] stored as `version-1/…` in the
 * `transcodes` bucket. Prints `{"port":…,"dataDir":…}` on one line once listening; stops on SIGTERM.
 * A separate process so that the load generator does not share the API's event loop.
 * HLS_CACHE_BYTES sets the route's in-memory cache (`0`: every request streams from the store);
 * unset, the route is registered by buildApi exactly as in embedded mode.
 */
import { readdir, readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { hlsMediaRoutes } from '../../apps/api/src/routes/hls-media.ts';
import { createTestInfra } from '../../test/support/infra.ts';
import { buildTestApi } from '../../test/support/factories.ts';

const source = process.argv[2];
if (!source) throw new Error('usage: serve-api.ts <hls tree folder>');

async function walk(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const r = path.posix.join(rel, e.name);
    if (e.isDirectory()) out.push(...(await walk(dir, r)));
    else out.push(r);
  }
  return out;
}

const t = await createTestInfra({
  env: { LOG_LEVEL: 'warn', SECURE_LINK_SECRET: process.env.SECURE_LINK_SECRET ?? '' },
});
for (const file of await walk(source)) {
  const body = await readFile(path.join(source, file));
  await t.infra.store.put('transcodes', `version-1/${file}`, body, { contentLength: body.length });
}
const cacheBytes = process.env.HLS_CACHE_BYTES;
const app = await buildTestApi(t, { serveMedia: cacheBytes === undefined });
if (cacheBytes !== undefined) hlsMediaRoutes(app, t, { cacheBytes: Number(cacheBytes) });
await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ port: (app.server.address() as AddressInfo).port, dataDir: t.dataDir })}\n`);

process.once('SIGTERM', () => {
  void (async () => {
    await app.close();
    await t.cleanup();
    process.exit(0);
  })();
});
