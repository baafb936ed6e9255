/**
 * Search benchmark (docs/architecture.md, "Performance budgets"): `GET /api/v1/search` of the real
 * API next to a bare Fastify route running the same SQL (core's `search`) on the same PostgreSQL
 * database holding BENCH_TRACKS tracks of BENCH_USERS artists, loaded in turn by autocannon on
 * loopback with queries that carry a typo. Budget: p99 < 50 ms and ≥ 50% of the bare route's req/s.
 *
 *   npm run bench:search      # BENCH_TRACKS=100000 BENCH_USERS=20000 BENCH_SECONDS=10 BENCH_CONNECTIONS=16
 *
 * PostgreSQL: DATABASE_URL if set (its data is left as is, the seed added), else a database of its
 * own on the local server, dropped at the end.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import { loadConfig } from '@earshot/config';
import { search } from '@earshot/core';
import { createTestPostgresDatabase } from '@earshot/db/testing';
import { createInfrastructure, createLogger, createMediaToolkit, createMetricsRegistry } from '@earshot/runtime';
import { buildApi } from '../../apps/api/src/index.ts';
import { ensureBenchPrerequisites } from '../lib/prerequisites.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const trackCount = Number(process.env.BENCH_TRACKS ?? 100_000);
const userCount = Number(process.env.BENCH_USERS ?? 20_000);
/** What people type: one typo per word, accents left out, an artist, a tag. */
const QUERIES = ['harbur lights', 'midnigt garden', 'cafe nocturne', 'velvet riverr', 'ambient sea', 'mara selene'];

async function load(origin: string, pathname: string): Promise<{ rps: number; p99: number }> {
  // Each connection cycles through the queries.
  const requests = QUERIES.map((q) => ({
    method: 'GET' as const,
    path: `${pathname}?q=${encodeURIComponent(q)}&type=track&limit=20`,
  }));
  await autocannon({ url: origin, connections, duration: 2, requests });
  const r = await autocannon({ url: origin, connections, duration: seconds, requests });
  if (r.non2xx) throw new Error(`${origin}${pathname}: ${r.non2xx} non-2xx answers`);
  return { rps: r.requests.average, p99: r.latency.p99 };
}

/**
 * Titles and names of two words from a vocabulary of VOCABULARY words — 30 real ones ("harbour",
 * "lights", …) and made-up ones — so each real word appears in about 2 / VOCABULARY of the titles,
 * as a word does in a varied catalogue; a fifth of the tracks are unlisted or private.
 */
const VOCABULARY = 3_000;
async function seed(db: Kysely<Database>): Promise<void> {
  const words = sql`(select array['harbour','lights','midnight','garden','velvet','river','café','nocturne','echo','drift','salt','static','paper','moon','glass','ember','north','tide','hollow','signal','winter','copper','blue','motel','fever','satellite','orchard','dust','neon','quiet'] a)`;
  const word = (k: ReturnType<typeof sql>) =>
    sql`(case when (${k}) % ${VOCABULARY} < 30 then w.a[1 + (${k}) % ${VOCABULARY}] else substr(md5(((${k}) % ${VOCABULARY})::text), 1, 7) end)`;
  await sql`
    insert into users (email, handle, display_name, password_hash, role)
    select 'bench' || i || '@example.test', 'bench-' || i, initcap(${word(sql`i * 7`)}) || ' ' || initcap(${word(sql`i * 13 + 1`)}), 'x', 'artist'
    from generate_series(1, ${userCount}) i, ${words} w`.execute(db);
  await sql`update users set display_name = 'Mara Sélène' where handle = 'bench-1'`.execute(db);
  await sql`
    insert into tracks (owner_user_id, title, slug, description, genre, tags, visibility)
    select u.lo + (i % ${userCount}),
           initcap(${word(sql`i * 3`)}) || ' ' || initcap(${word(sql`i * 11 + 2`)}),
           'bench-' || i,
           'A piece about ' || ${word(sql`i * 5 + 3`)} || ' and ' || ${word(sql`i * 17 + 4`)},
           (array['ambient','techno','folk','jazz','house'])[1 + i % 5],
           array[${word(sql`i * 19 + 5`)}, (array['sea','night','field recording','live'])[1 + i % 4]],
           (array['public','public','public','unlisted','private'])[1 + i % 5]
    from generate_series(1, ${trackCount}) i, ${words} w, (select min(id) lo from users where handle like 'bench-%') u`.execute(
    db,
  );
  await sql`
    insert into track_versions (track_id, status, original_key, original_filename, original_size_bytes, duration_ms, steps, hls_key, ready_at)
    select id, 'ready', 'version-x/original.wav', 'a.wav', 1, 180000, '{}', 'version-x/playlist.m3u8', now() from tracks where slug like 'bench-%'`.execute(
    db,
  );
  await sql`update tracks t set current_version_id = v.id from track_versions v where v.track_id = t.id and t.slug like 'bench-%'`.execute(
    db,
  );
  await sql`analyze`.execute(db);
}

async function main(): Promise<void> {
  ensureBenchPrerequisites('search');
  const own = process.env.DATABASE_URL ? undefined : await createTestPostgresDatabase('bench_search');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'earshot-bench-search-'));
  const config = loadConfig(
    {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_API_PER_MINUTE: '1000000000',
      DATABASE_URL: process.env.DATABASE_URL ?? own!.url,
    },
    { persistDevSecrets: false },
  );
  const logger = createLogger(config, 'bench');
  const infra = await createInfrastructure(config, logger, { migrate: true });
  const db = infra.database.db;
  try {
    const started = Date.now();
    // BENCH_SEEDED=1: DATABASE_URL already holds the seed of an earlier run (measuring again, EXPLAIN).
    if (process.env.BENCH_SEEDED !== '1') await seed(db);
    console.log(
      `seeded ${trackCount} tracks of ${userCount} artists in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );

    const api = await buildApi({
      config,
      logger,
      infra,
      metrics: createMetricsRegistry('api'),
      media: createMediaToolkit(),
      progress: infra.progress,
    });
    await api.listen({ port: 0, host: '127.0.0.1' });
    const core = { db, clock: () => new Date() };
    const bare = Fastify();
    bare.get('/search', async (req) => search(core, null, req.query as { q: string }));
    await bare.listen({ port: 0, host: '127.0.0.1' });
    const port = (s: { server: { address(): unknown } }) => (s.server.address() as { port: number }).port;

    const results = { api: [] as number[], bare: [] as number[], apiP99: [] as number[], bareP99: [] as number[] };
    for (let round = 0; round < 2; round++) {
      const b = await load(`http://127.0.0.1:${port(bare)}`, '/search');
      const a = await load(`http://127.0.0.1:${port(api)}`, '/api/v1/search');
      results.bare.push(b.rps);
      results.api.push(a.rps);
      results.bareP99.push(b.p99);
      results.apiP99.push(a.p99);
    }
    const best = (xs: number[]) => Math.max(...xs);
    const ratio = best(results.api) / best(results.bare);
    console.log(
      `PostgreSQL, ${trackCount} tracks / ${userCount} users; ${connections} connections, ${seconds} s per run, best of 2 rounds; queries: ${QUERIES.join(', ')}`,
    );
    console.log('| server | req/s | p99 |\n|---|---|---|');
    console.log(`| bare Fastify, same SQL | ${best(results.bare).toFixed(0)} | ${Math.min(...results.bareP99)} ms |`);
    console.log(`| API \`GET /api/v1/search\` | ${best(results.api).toFixed(0)} | ${Math.min(...results.apiP99)} ms |`);
    console.log(
      `API / bare = ${(ratio * 100).toFixed(0)}% (budget ≥ 50%), API p99 ${Math.min(...results.apiP99)} ms (budget < 50 ms)`,
    );
    await api.close();
    await bare.close();
  } finally {
    await infra.close(1_000);
    await own?.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
