/**
 * The read benchmarks' harness (docs/performance.md: read endpoints, comments, feed, trending): a
 * route of the real API next to a bare Fastify route running the same core query on the same
 * database, loaded in turn by autocannon on loopback, best of two rounds. Budget: API ≥ 50% of
 * the bare route's requests/s, API p99 < 50 ms.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Fastify, { type FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import { loadConfig, type Config } from '@earshot/config';
import type { Database } from '@earshot/db';
import { createTestPostgresDatabase } from '@earshot/db/testing';
import {
  createInfrastructure,
  createLogger,
  createMediaToolkit,
  createMetricsRegistry,
  type Infrastructure,
} from '@earshot/runtime';
import { buildApi } from '../../apps/api/src/index.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);

/** Warm-up, then the measured run; with `queries`, each connection cycles through them. */
async function load(
  origin: string,
  pathname: string,
  headers: Record<string, string>,
  queries?: string[],
): Promise<{ rps: number; p99: number }> {
  const target = queries
    ? { url: origin, requests: queries.map((q) => ({ method: 'GET' as const, path: `${pathname}${q}` })) }
    : { url: `${origin}${pathname}` };
  await autocannon({ ...target, headers, connections, duration: 2 });
  const r = await autocannon({ ...target, headers, connections, duration: seconds });
  if (r.non2xx) throw new Error(`${origin}${pathname}: ${r.non2xx} non-2xx answers`);
  return { rps: r.requests.average, p99: r.latency.p99 };
}

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
  }>;
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
    } = await scenario.seed(infra.database.db, config, infra);
    console.log(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
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
    bare.get('/bare', async (request, reply) => handler(reply, request.query as Record<string, string>));
    await bare.listen({ port: 0, host: '127.0.0.1' });
    const port = (s: { server: { address(): unknown } }) => (s.server.address() as { port: number }).port;
    const r = { api: [] as number[], bare: [] as number[], apiP99: [] as number[], bareP99: [] as number[] };
    for (let round = 0; round < 2; round++) {
      const b = await load(`http://127.0.0.1:${port(bare)}`, '/bare', {}, queries);
      const a = await load(`http://127.0.0.1:${port(api)}`, apiPath, headers, queries);
      r.bare.push(b.rps);
      r.api.push(a.rps);
      r.bareP99.push(b.p99);
      r.apiP99.push(a.p99);
    }
    const best = (xs: number[]) => Math.max(...xs);
    if (describe) console.log(await describe(`http://127.0.0.1:${port(api)}`));
    console.log(`database: ${infra.database.kind}; ${connections} connections, ${seconds} s per run, best of 2 rounds`);
    console.log('| server | req/s | p99 |\n|---|---|---|');
    console.log(`| bare Fastify, same query | ${best(r.bare).toFixed(0)} | ${Math.min(...r.bareP99)} ms |`);
    console.log(`| API \`${apiPath.split('?')[0]}\` | ${best(r.api).toFixed(0)} | ${Math.min(...r.apiP99)} ms |`);
    console.log(
      `API / bare = ${((best(r.api) / best(r.bare)) * 100).toFixed(0)}% (budget ≥ 50%), API p99 ${Math.min(...r.apiP99)} ms (budget < 50 ms)`,
    );
    await api.close();
    await bare.close();
  } finally {
    await infra.close(1_000);
    await pg?.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
