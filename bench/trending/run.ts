/**
 * Trending read benchmark (docs/architecture.md, "Performance budgets"; docs/performance.md):
 * `GET /api/v1/trending` of the real API next to a bare Fastify route sending the same cached list
 * (the same cache, the same key), loaded in turn by autocannon on loopback. Budget: the API reaches
 * ≥ 50% of the bare route's requests/s, with p99 < 50 ms.
 *
 *   npm run bench:trending          # BENCH_SECONDS=10 BENCH_CONNECTIONS=16 (DATABASE_URL: PostgreSQL)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { loadConfig } from '@earshot/config';
import { getTrendingJson, recomputeTrending } from '@earshot/core';
import { createInfrastructure, createLogger, createMediaToolkit, createMetricsRegistry } from '@earshot/runtime';
import { buildApi } from '../../apps/api/src/index.ts';
import { ensureBenchPrerequisites } from '../lib/prerequisites.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const TRACKS = 500;

async function load(url: string): Promise<{ rps: number; p99: number }> {
  await autocannon({ url, connections, duration: 2 });
  const r = await autocannon({ url, connections, duration: seconds });
  if (r.non2xx) throw new Error(`${url}: ${r.non2xx} non-2xx answers`);
  return { rps: r.requests.average, p99: r.latency.p99 };
}

async function main(): Promise<void> {
  ensureBenchPrerequisites('trending');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'earshot-bench-trending-'));
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
    // 500 listed tracks with plays over the last day: a full list of 50.
    const user = await db
      .insertInto('users')
      .values({
        email: 't@example.com',
        handle: 'trender',
        display_name: 'Trender',
        password_hash: 'x',
        role: 'artist',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await sql`insert into tracks (owner_user_id, title, slug, genre) select ${user.id}, 'Track ' || i, 't' || i, case when i % 2 = 0 then 'ambient' else 'techno' end from generate_series(1, ${TRACKS}::int) i`.execute(
      db,
    );
    await sql`insert into track_versions (track_id, status, original_key, original_filename, original_size_bytes, duration_ms, hls_key, steps)
      select id, 'ready', 'k' || id, 'a.flac', 1, 180000, 'version-' || id || '/playlist.m3u8', '{}' from tracks`.execute(
      db,
    );
    await sql`update tracks t set current_version_id = v.id from track_versions v where v.track_id = t.id`.execute(db);
    await sql`insert into plays (track_id, version_id, ip_hash, seconds_listened, created_at)
      select v.track_id, v.id, md5(g::text) || md5((g + 1)::text), 60, now() - (g % 1440) * interval '1 minute'
      from track_versions v cross join generate_series(1, 20) g where (v.track_id + g) % 3 <> 0`.execute(db);
    await recomputeTrending({ db, cache: infra.cache, clock: () => new Date() });

    const api = await buildApi({
      config,
      logger,
      infra,
      metrics: createMetricsRegistry('api'),
      media: createMediaToolkit(),
      progress: infra.progress,
    });
    await api.listen({ port: 0, host: '127.0.0.1' });
    // The baseline: the same cached text, the same cache, no plugins, no schema, no access check.
    const bare = Fastify();
    bare.get('/trending', async (_req, reply) =>
      reply.type('application/json; charset=utf-8').send(await getTrendingJson({ db, cache: infra.cache }, {})),
    );
    await bare.listen({ port: 0, host: '127.0.0.1' });
    const port = (s: { server: { address(): unknown } }) => (s.server.address() as { port: number }).port;

    const results = { api: [] as number[], bare: [] as number[], apiP99: [] as number[], bareP99: [] as number[] };
    for (let round = 0; round < 2; round++) {
      const b = await load(`http://127.0.0.1:${port(bare)}/trending`);
      const a = await load(`http://127.0.0.1:${port(api)}/api/v1/trending`);
      results.bare.push(b.rps);
      results.api.push(a.rps);
      results.bareP99.push(b.p99);
      results.apiP99.push(a.p99);
    }
    const best = (xs: number[]) => Math.max(...xs);
    const ratio = best(results.api) / best(results.bare);
    const body = await (await fetch(`http://127.0.0.1:${port(api)}/api/v1/trending`)).text();
    console.log(
      `database: ${infra.database.kind}; cache: ${config.redis.url ? 'Redis' : 'memory'}; list of ${JSON.parse(body).tracks.length} tracks (${body.length} bytes); ${connections} connections, ${seconds} s per run, best of 2 rounds`,
    );
    console.log('| server | req/s | p99 |\n|---|---|---|');
    console.log(
      `| bare Fastify, same cached list | ${best(results.bare).toFixed(0)} | ${Math.min(...results.bareP99)} ms |`,
    );
    console.log(
      `| API \`GET /api/v1/trending\` | ${best(results.api).toFixed(0)} | ${Math.min(...results.apiP99)} ms |`,
    );
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
