import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type pg from 'pg';

/**
 * Prepared statements on PostgreSQL for the few hot queries that ask for one (docs/performance.md,
 * "Search"): a query ending in `PREPARED` (`.modifyEnd(PREPARED)`) is sent as a named statement,
 * parsed and planned once per connection and then executed with PostgreSQL's plan cache. Only for
 * statements whose plan does not depend on the values sent (no pg_trgm operator on a parameter: the
 * planner's generic estimates for those are wrong). The mark is a comment: PGlite runs the same
 * statement unprepared.
 */
const MARK = '/* earshot:prepared */';
export const PREPARED = sql.raw(MARK);

const names = new Map<string, string>();
function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `earshot_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/** Each new client of the pool sends a marked query as a named statement (its text names it). */
export function prepareMarkedStatements(pool: pg.Pool): void {
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (config: unknown, ...rest: unknown[]) =>
      typeof config === 'string' && config.endsWith(MARK) && Array.isArray(rest[0])
        ? query({ name: statementName(config), text: config, values: rest[0] }, ...rest.slice(1))
        : query(config, ...rest);
  });
}
