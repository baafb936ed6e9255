/**
 * Marked queries run as named prepared statements on PostgreSQL (src/prepared.ts): read back from
 * the server's own `pg_prepared_statements` of the connection that ran them.
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepare, PreparingClient, statementName } from '../src/prepared.ts';
import { TEST_PG_ADMIN_URL } from '../src/testing.ts';

let db: Kysely<unknown>;

beforeAll(() => {
  // One connection: what one query prepares, the next sees.
  const pool = new pg.Pool({ connectionString: TEST_PG_ADMIN_URL, max: 1, Client: PreparingClient });
  db = new Kysely({ dialect: new PostgresDialect({ pool }) });
});
afterAll(() => db.destroy());

const prepared = async () =>
  (
    await sql<{
      name: string;
      statement: string;
    }>`select name, statement from pg_prepared_statements order by name`.execute(db)
  ).rows;

describe('prepared statements', () => {
  it('prepares a marked query once per text, and runs it with its parameters each time', async () => {
    const marked = (n: number) => sql<{ n: number }>`${prepare}select ${n}::int + 1 as n`;
    expect((await marked(1).execute(db)).rows).toEqual([{ n: 2 }]);
    expect((await marked(41).execute(db)).rows).toEqual([{ n: 42 }]);
    const text = marked(0).compile(db).sql;
    const statements = await prepared();
    expect(statements).toEqual([{ name: statementName(text), statement: text }]);
  });

  it('gives another text its own statement, and leaves unmarked queries unprepared', async () => {
    const before = (await prepared()).length;
    await sql`select ${1}::int as plain`.execute(db);
    expect(await prepared()).toHaveLength(before);
    await sql`${prepare}select ${'x'}::text as other`.execute(db);
    expect(await prepared()).toHaveLength(before + 1);
  });

  it('names a text by its content alone', () => {
    expect(statementName('/*prepared*/ select 1')).toBe(statementName('/*prepared*/ select 1'));
    expect(statementName('/*prepared*/ select 1')).not.toBe(statementName('/*prepared*/ select 2'));
  });

  it('passes an error of a prepared statement back to the caller, and the connection goes on', async () => {
    await expect(sql`${prepare}select 1 / ${0}::int`.execute(db)).rejects.toThrow(/division by zero/);
    expect((await sql<{ n: number }>`${prepare}select ${5}::int as n`.execute(db)).rows).toEqual([{ n: 5 }]);
  });
});
