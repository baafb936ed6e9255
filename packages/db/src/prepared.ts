import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';

/**
 * Prepared statements for the hot reads (docs/performance.md, "Planning once"). A query whose text
 * ends with this comment — `.modifyEnd(PREPARED)` on a query builder, `${PREPARED}` last in a raw
 * `sql` template — is sent to PostgreSQL as a named statement: each connection parses and plans it
 * once, then after a few executions runs a cached generic plan where PostgreSQL finds it no worse.
 * For the feed and search queries planning cost as much as running them.
 *
 * The name is a hash of the text, so every distinct text (a query with and without its cursor
 * condition, say) is its own statement and a name never meets another text on a connection. Mark
 * only queries whose text has a bounded number of shapes (no `in (…)` lists of varying length:
 * `= any($1)` instead) and whose plan does not depend on the values sent (no pg_trgm operator on a
 * parameter: the generic estimates for those are wrong). PGlite runs the same text unprepared.
 */
const MARK = ' /* earshot:prepared */';
export const PREPARED = sql.raw(MARK);

const NAMES_KEPT = 500;
const names = new Map<string, string>();

/** The statement name of a marked query text (a hash; the last few hundred are remembered). */
export function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `earshot_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    if (names.size >= NAMES_KEPT) names.delete(names.keys().next().value as string);
    names.set(text, name);
  }
  return name;
}

/** node-postgres' client, sending a marked query as a named (prepared) statement. */
export class PreparingClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's query() has a dozen overloads; this passes them all through.
  override query(...args: any[]): any {
    const [text, values] = args;
    if (typeof text === 'string' && args.length <= 2 && text.endsWith(MARK)) {
      return super.query({ name: statementName(text), text, values });
    }
    // biome-ignore lint/suspicious/noExplicitAny: as above.
    return (super.query as (...a: any[]) => any)(...args);
  }
}
