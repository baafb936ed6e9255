/**
 * The read benchmarks' harness (docs/performance.md: read endpoints, comments, feed, trending): a
 * route of the real API next to a bare Fastify route running the same core query on the same
 * database, loaded in turn by autocannon on loopback, best of two rounds. Budget: API ≥ 50% of
 * the bare route's requests/s, API p99 < 50 ms.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import Fastify, { type FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import { loadConfig, type Config } from '@earshot/config';
import type { Database } from '@earshot/db';
import { createTestPostgresDatabase } from '@earshot/db/testing';
import { createInfrastructure, createLogger, type Infrastructure } from '@earshot/runtime';
import { addCurrentVersion, addTrack } from '../../test/support/rows.ts';
import { listenApi } from './api.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);

interface Run {
  rps: number;
  p50: number;
  p99: number;
  /** Time the servers' thread was busy per request (µs): steadier under machine load than req/s. */
  busyUs: number;
}

/**
 * Warm-up, then the measured run; with `queries`, each connection cycles through them. The client
 * runs in a worker thread: the servers' thread (and PGlite, which runs on it) is theirs alone.
 */
async function load(
  origin: string,
  pathname: string,
  headers: Record<string, string>,
  queries?: string[],
): Promise<Run> {
  const target = queries
    ? { url: origin, requests: queries.map((q) => ({ method: 'GET' as const, path: `${pathname}${q}` })) }
    : { url: `${origin}${pathname}` };
  const common = { ...target, headers, connections, workers: 1 };
  await autocannon({ ...common, duration: 2 });
  const elu = performance.eventLoopUtilization();
  const r = await autocannon({ ...common, duration: seconds });
  const busy = performance.eventLoopUtilization(elu);
  if (r.non2xx) throw new Error(`${origin}${pathname}: ${r.non2xx} non-2xx answers`);
  const total = r.requests.total ?? r.requests.sent;
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, busyUs: (busy.active * 1000) / total };
}

const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

export interface Scenario {
  name: string;
  /**
   * `postgres` (the default): `DATABASE_URL`, else a fresh PostgreSQL database made for the run;
   * `configured`: `DATABASE_URL` when set, else embedded PGlite.
   */
  database?: 'postgres' | 'configured';
  /** Fills the database; returns the API path to load, its headers, and the bare route's handler. */
  seed(
    db: Kysely<Database>,
    config: Config,
    infra: Infrastructure,
  ): Promise<{
    apiPath: string;
    headers?: Record<string, string>;
    /** Query strings (`?q=…`) each connection cycles through, on both routes. */
    queries?: string[];
    bare: (reply: FastifyReply, query: Record<string, string>) => Promise<unknown>;
    /** A line printed above the table (what was served). */
    describe?: (apiOrigin: string) => Promise<string>;
    /** A third run: the API over these paths in turn (e.g. as many different rows as connections). */
    also?: { label: string; paths: string[] };
  }>;
}

/**
 * The track a read benchmark asks for: `bench`, titled Bench, of `ownerId`, with a ready
 * current version of `a.flac` lasting `durationMs` and its HLS at `version-1/playlist.m3u8`;
 * `fields` add to or override the version's.
 */
export async function addBenchTrack(
  db: Kysely<Database>,
  ownerId: string,
  durationMs: number,
  fields: Parameters<typeof addCurrentVersion>[2] = {},
): Promise<{ id: string }> {
  const track = await addTrack(db, ownerId, 'bench', { title: 'Bench' });
  await addCurrentVersion(db, track.id, {
    original_key: 'k',
    original_filename: 'a.flac',
    duration_ms: durationMs,
    hls_key: 'version-1/playlist.m3u8',
    ...fields,
  });
  return track;
}

export async function runApiVsBare(scenario: Scenario): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `earshot-bench-${scenario.name}-`));
  const pg =
    process.env.DATABASE_URL || scenario.database === 'configured'
      ? undefined
      : await createTestPostgresDatabase(`bench_${scenario.name}`);
  const databaseUrl = process.env.DATABASE_URL ?? pg?.url;
  // The load comes from one address: the `api` zone still counts every request (its cost is
  // measured) but its limit is lifted.
  const config = loadConfig(
    {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_API_PER_MINUTE: '1000000000',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    },
    { persistDevSecrets: false },
  );
  const logger = createLogger(config, 'bench');
  const infra = await createInfrastructure(config, logger, { migrate: true });
  try {
    const started = Date.now();
    const {
      apiPath,
      headers = {},
      queries,
      bare: handler,
      describe,
      also,
    } = await scenario.seed(infra.database.db, config, infra);
    console.log(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const { api, port: apiPort } = await listenApi(config, logger, infra);
    const bare = Fastify();
    bare.get('/bare', async (request, reply) => handler(reply, request.query as Record<string, string>));
    await bare.listen({ port: 0, host: '127.0.0.1' });
    const port = (s: { server: { address(): unknown } }) => (s.server.address() as { port: number }).port;
    const r = { api: [] as Run[], bare: [] as Run[], also: [] as Run[] };
    console.log(`load average before: ${loadAverage()}`);
    const apiOrigin = `http://127.0.0.1:${apiPort}`;
    for (let round = 0; round < 2; round++) {
      r.bare.push(await load(`http://127.0.0.1:${port(bare)}`, '/bare', {}, queries));
      r.api.push(await load(apiOrigin, apiPath, headers, queries));
      if (also) r.also.push(await load(apiOrigin, '', headers, also.paths));
      console.log(`load average after round ${round + 1}: ${loadAverage()}`);
    }
    const best = (xs: Run[]): Run => ({
      rps: Math.max(...xs.map((x) => x.rps)),
      p50: Math.min(...xs.map((x) => x.p50)),
      p99: Math.min(...xs.map((x) => x.p99)),
      busyUs: Math.min(...xs.map((x) => x.busyUs)),
    });
    const row = (label: string, x: Run) =>
      `| ${label} | ${x.rps.toFixed(0)} | ${x.p50} ms | ${x.p99} ms | ${x.busyUs.toFixed(0)} |`;
    const b = best(r.bare);
    const a = best(r.api);
    if (describe) console.log(await describe(apiOrigin));
    console.log(`database: ${infra.database.kind}; ${connections} connections, ${seconds} s per run, best of 2 rounds`);
    console.log('| server | req/s | p50 | p99 | busy µs/request |\n|---|---|---|---|---|');
    console.log(row('bare Fastify, same query', b));
    console.log(row(`API \`${apiPath.split('?')[0]}\``, a));
    if (also) console.log(row(`API, ${also.label}`, best(r.also)));
    console.log(
      `API / bare = ${((a.rps / b.rps) * 100).toFixed(0)}% (budget ≥ 50%), API p99 ${a.p99} ms${also ? `, ${best(r.also).p99} ms ${also.label}` : ''} (budget < 50 ms)`,
    );
    await api.close();
    await bare.close();
  } finally {
    await infra.close(1_000);
    await pg?.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
