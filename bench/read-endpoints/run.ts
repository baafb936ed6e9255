/**
 * Hot read endpoint benchmark (docs/architecture.md, "Performance budgets"): `GET /api/v1/tracks/:id` of the real API next to
 * a bare Fastify route running the same SQL on the same database, loaded in turn by autocannon on
 * loopback. Budget: the API reaches ≥ 50% of the bare route's requests/s, with p99 < 50 ms.
 *
 *   npm run bench:read-endpoints          # BENCH_SECONDS=10 BENCH_CONNECTIONS=16
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { loadConfig } from '@earshot/config';
import { getTrackView } from '@earshot/core';
import { createInfrastructure, createLogger, createMediaToolkit, createMetricsRegistry } from '@earshot/runtime';
import { buildApi } from '../../apps/api/src/index.ts';
import { ensureBenchPrerequisites } from '../lib/prerequisites.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);

/** Loads `url`, or cycles over `paths` on its origin when given. */
async function load(url: string, paths?: string[]): Promise<Run> {
  const requests = paths?.map((p) => ({ method: 'GET' as const, path: p }));
  // The client runs in a worker thread: the servers' thread (and PGlite's) is theirs alone.
  const common = { url, connections, workers: 1, ...(requests ? { requests } : {}) };
  // Warm-up, then the measured run.
  await autocannon({ ...common, duration: 2 });
  const elu = performance.eventLoopUtilization();
  const r = await autocannon({ ...common, duration: seconds });
  const busy = performance.eventLoopUtilization(elu);
  if (r.non2xx) throw new Error(`${url}: ${r.non2xx} non-2xx answers`);
  const total = r.requests.total ?? r.requests.sent;
  // Time the servers' thread was busy per request: less sensitive to the machine's load than requests/s.
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, busyUs: (busy.active * 1000) / total };
}

interface Run {
  rps: number;
  p50: number;
  p99: number;
  busyUs: number;
}

const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  ensureBenchPrerequisites('read-endpoints');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'earshot-bench-read-'));
  // The load comes from one address: the `api` zone still counts every request (its cost is
  // measured) but its limit is lifted.
  const config = loadConfig(
    {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_API_PER_MINUTE: '1000000000',
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    },
    { persistDevSecrets: false },
  );
  const logger = createLogger(config, 'bench');
  const infra = await createInfrastructure(config, logger, { migrate: true });
  const db = infra.database.db;
  try {
    // A ready public track with a current version, as the track page asks for it.
    const user = await db
      .insertInto('users')
      .values({ email: 'r@example.com', handle: 'reader', display_name: 'Reader', password_hash: 'x', role: 'artist' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const track = await db
      .insertInto('tracks')
      .values({ owner_user_id: user.id, title: 'Bench', slug: 'bench' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const version = await db
      .insertInto('track_versions')
      .values({
        track_id: track.id,
        status: 'ready',
        original_key: 'k',
        original_filename: 'a.flac',
        original_size_bytes: 1,
        duration_ms: 180_000,
        hls_key: 'version-1/playlist.m3u8',
        waveform_key: 'version-1.json',
        integrated_lufs: -14,
        loudness_range: 6,
        true_peak_dbtp: -1,
        track_gain_db: -4,
        steps: '{}',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.updateTable('tracks').set({ current_version_id: version.id }).where('id', '=', track.id).execute();
    // As many other tracks as connections: loaded in turn, no two waiting requests ask for the same
    // row, so the PGlite dialect cannot share reads (docs/performance.md, "Hot read endpoints").
    const others: string[] = [];
    for (let i = 0; i < connections; i++) {
      const t = await db
        .insertInto('tracks')
        .values({ owner_user_id: user.id, title: `Bench ${i}`, slug: `bench-${i}` })
        .returning('id')
        .executeTakeFirstOrThrow();
      const v = await db
        .insertInto('track_versions')
        .values({
          track_id: t.id,
          status: 'ready',
          original_key: `k${i}`,
          original_filename: 'a.flac',
          original_size_bytes: 1,
          duration_ms: 180_000,
          hls_key: `version-${i}/playlist.m3u8`,
          steps: '{}',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.updateTable('tracks').set({ current_version_id: v.id }).where('id', '=', t.id).execute();
      others.push(t.id);
    }

    const api = await buildApi({
      config,
      logger,
      infra,
      metrics: createMetricsRegistry('api'),
      media: createMediaToolkit(),
      progress: infra.progress,
    });
    await api.listen({ port: 0, host: '127.0.0.1' });
    const bare = Fastify();
    bare.get('/tracks/:id', async (req) => ({
      track: await getTrackView({ db }, null, (req.params as { id: string }).id),
    }));
    await bare.listen({ port: 0, host: '127.0.0.1' });
    const port = (s: { server: { address(): unknown } }) => (s.server.address() as { port: number }).port;

    console.log(`load average before: ${loadAverage()}`);
    const results = { api: [] as Run[], bare: [] as Run[], apiMany: [] as Run[] };
    for (let round = 0; round < 2; round++) {
      results.bare.push(await load(`http://127.0.0.1:${port(bare)}/tracks/${track.id}`));
      results.api.push(await load(`http://127.0.0.1:${port(api)}/api/v1/tracks/${track.id}`));
      results.apiMany.push(
        await load(
          `http://127.0.0.1:${port(api)}`,
          others.map((id) => `/api/v1/tracks/${id}`),
        ),
      );
      console.log(`load average after round ${round + 1}: ${loadAverage()}`);
    }
    const best = (xs: Run[]) => ({
      rps: Math.max(...xs.map((x) => x.rps)),
      p50: Math.min(...xs.map((x) => x.p50)),
      p99: Math.min(...xs.map((x) => x.p99)),
      busyUs: Math.min(...xs.map((x) => x.busyUs)),
    });
    const b = best(results.bare);
    const a = best(results.api);
    const m = best(results.apiMany);
    const ratio = a.rps / b.rps;
    console.log(`database: ${infra.database.kind}; ${connections} connections, ${seconds} s per run, best of 2 rounds`);
    console.log('| server | req/s | p50 | p99 | busy µs/request |\n|---|---|---|---|---|');
    console.log(
      `| bare Fastify, same SQL, one track | ${b.rps.toFixed(0)} | ${b.p50} ms | ${b.p99} ms | ${b.busyUs.toFixed(0)} |`,
    );
    console.log(
      `| API \`GET /api/v1/tracks/:id\`, one track | ${a.rps.toFixed(0)} | ${a.p50} ms | ${a.p99} ms | ${a.busyUs.toFixed(0)} |`,
    );
    console.log(
      `| API \`GET /api/v1/tracks/:id\`, ${others.length} tracks in turn | ${m.rps.toFixed(0)} | ${m.p50} ms | ${m.p99} ms | ${m.busyUs.toFixed(0)} |`,
    );
    console.log(
      `API / bare = ${(ratio * 100).toFixed(0)}% (budget ≥ 50%), API p99 ${a.p99} ms, ${m.p99} ms over ${others.length} tracks (budget < 50 ms)`,
    );
    await api.close();
    await bare.close();
  } finally {
    await infra.close(1_000);
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
