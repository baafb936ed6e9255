/**
 * Where a search's time goes: EXPLAIN (ANALYZE, BUFFERS) of the statements core's `search` runs,
 * for the bench's queries (or QUERIES=a,b,…), on DATABASE_URL (the bench's seed, kept with
 * BENCH_SEEDED=1). Prints the best planning and execution times of EXPLAIN_ROUNDS runs (a busy
 * machine adds its own waits to any single run); `--plans` prints the last plan of each. A track
 * search is one statement around `earshot_search_tracks(q)`: the function's own plan (kept per
 * connection) is inside its execution time; auto_explain with `log_nested_statements` shows it.
 *
 *   DATABASE_URL=… npx tsx bench/search/explain.ts [track|user|release|playlist] [--plans]
 */
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely';
import pg from 'pg';
import type { Database } from '@earshot/db';
import { MemoryListCache, search } from '@earshot/core';
import { QUERIES as BENCH_QUERIES } from './queries.ts';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL: the seeded bench database');
const queries = process.env.QUERIES ? process.env.QUERIES.split(',') : BENCH_QUERIES;
const rounds = Number(process.env.EXPLAIN_ROUNDS ?? 7);
const type = process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : 'track';
const showPlans = process.argv.includes('--plans');
const pool = new pg.Pool({ connectionString: url, max: 1 });
const seen: CompiledQuery[] = [];
const db = new Kysely<Database>({
  dialect: new PostgresDialect({ pool }),
  log: (event) => {
    if (event.level === 'query') seen.push(event.query);
  },
});

const time = (lines: string[], what: string) =>
  Number(lines.find((l) => l.startsWith(`${what} Time: `))?.replace(/[^\d.]/g, '') ?? Number.NaN);

for (const q of queries) {
  seen.length = 0;
  const { items } = await search({ db, clock: () => new Date(), searchCache: new MemoryListCache() }, null, {
    q,
    type,
    limit: 20,
  });
  const statements = seen.filter((s) => !/^(begin|commit|rollback)/i.test(s.sql));
  const client = await pool.connect();
  try {
    // The statements in one transaction, as `search` runs them (its settings are local to it).
    const best = statements.map(() => ({ planning: Number.POSITIVE_INFINITY, execution: Number.POSITIVE_INFINITY }));
    let plans: string[] = [];
    for (let round = 0; round < rounds; round++) {
      await client.query('begin');
      plans = [];
      for (const [i, s] of statements.entries()) {
        const explained = await client.query(`explain (analyze, buffers) ${s.sql}`, s.parameters as unknown[]);
        const lines = explained.rows.map((r) => r['QUERY PLAN'] as string);
        const b = best[i] as { planning: number; execution: number };
        b.planning = Math.min(b.planning, time(lines, 'Planning'));
        b.execution = Math.min(b.execution, time(lines, 'Execution'));
        plans.push(lines.join('\n'));
      }
      await client.query('rollback');
    }
    if (showPlans) console.log(`-- ${q}\n${plans.join('\n\n')}\n`);
    const main = best[best.length - 1] as { planning: number; execution: number };
    console.log(
      `| ${type} | ${q} | ${items.length} | ${main.planning.toFixed(2)} ms | ${main.execution.toFixed(2)} ms |`,
    );
  } finally {
    client.release();
  }
}
await db.destroy();
