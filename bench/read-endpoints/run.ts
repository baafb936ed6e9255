/**
 * Hot read endpoint benchmark (docs/architecture.md, "Performance budgets"): `GET /api/v1/tracks/:id` of the real API next to
 * a bare Fastify route running the same SQL on the same database, loaded in turn by autocannon on
 * loopback. Budget: the API reaches ≥ 50% of the bare route's requests/s, with p99 < 50 ms.
 *
 *   npm run bench:read-endpoints          # BENCH_SECONDS=10 BENCH_CONNECTIONS=16
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
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

async function load(url: string): Promise<{ rps: number; p99: number }> {
  // Warm-up, then the measured run.
  await autocannon({ url, connections, duration: 2 });
  const r = await autocannon({ url, connections, duration: seconds });
  if (r.non2xx) throw new Error(`${url}: ${r.non2xx} non-2xx answers`);
  return { rps: r.requests.average, p99: r.latency.p99 };
}

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

    const rows: string[] = [];
    const results = { api: [] as number[], bare: [] as number[], apiP99: [] as number[], bareP99: [] as number[] };
    for (let round = 0; round < 2; round++) {
      const b = await load(`http://127.0.0.1:${port(bare)}/tracks/${track.id}`);
      const a = await load(`http://127.0.0.1:${port(api)}/api/v1/tracks/${track.id}`);
      results.bare.push(b.rps);
      results.api.push(a.rps);
      results.bareP99.push(b.p99);
      results.apiP99.push(a.p99);
    }
    const best = (xs: number[]) => Math.max(...xs);
    const ratio = best(results.api) / best(results.bare);
    rows.push(`| bare Fastify, same SQL | ${best(results.bare).toFixed(0)} | ${Math.min(...results.bareP99)} ms |`);
    rows.push(
      `| API \`GET /api/v1/tracks/:id\` | ${best(results.api).toFixed(0)} | ${Math.min(...results.apiP99)} ms |`,
    );
    console.log(`database: ${infra.database.kind}; ${connections} connections, ${seconds} s per run, best of 2 rounds`);
    console.log('| server | req/s | p99 |\n|---|---|---|');
    for (const r of rows) console.log(r);
    console.log(
      `API / bare = ${(ratio * 100).toFixed(0)}% (budget ≥ 50%), API p99 ${Math.min(...results.apiP99)} ms (budget < 50 ms)`,
    );
    await api.close();
    await bare.close();
  } finally {
    await infra.close(1_000);
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
