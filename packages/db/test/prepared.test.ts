/**
 * Marked queries run as named prepared statements on PostgreSQL (src/prepared.ts): read back from
 * the server's own `pg_prepared_statements` of the connection that ran them.
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../src/index.ts';
import { PREPARED, PreparingClient, statementName } from '../src/prepared.ts';
import { createTestPostgresDatabase, TEST_PG_ADMIN_URL } from '../src/testing.ts';

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
    const marked = (n: number) => sql<{ n: number }>`select ${n}::int + 1 as n${PREPARED}`;
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
    await sql`select ${'x'}::text as other${PREPARED}`.execute(db);
    expect(await prepared()).toHaveLength(before + 1);
  });

  it('names a text by its content alone', () => {
    expect(statementName('select 1 /* earshot:prepared */')).toBe(statementName('select 1 /* earshot:prepared */'));
    expect(statementName('select 1 /* earshot:prepared */')).not.toBe(statementName('select 2 /* earshot:prepared */'));
  });

  it('passes an error of a prepared statement back to the caller, and the connection goes on', async () => {
    await expect(sql`select 1 / ${0}::int${PREPARED}`.execute(db)).rejects.toThrow(/division by zero/);
    expect((await sql<{ n: number }>`select ${5}::int as n${PREPARED}`.execute(db)).rows).toEqual([{ n: 5 }]);
  });
});

// A query builder marked with `.modifyEnd(PREPARED)`, through createDatabase's own pool and on PGlite.
const series = (h: DatabaseHandle, n: number) =>
  h.db
    .selectFrom(sql<{ s: number }>`generate_series(1, ${n}::int)`.as('s'))
    .select(sql<number>`s.s`.as('n'))
    .orderBy('n')
    .modifyEnd(PREPARED)
    .execute();

describe('createDatabase', () => {
  it('prepares a marked query builder on PostgreSQL', async () => {
    const pgDb = await createTestPostgresDatabase('prepared');
    const handle = await createDatabase({ url: pgDb.url, poolMin: 0, poolMax: 1, pgliteDir: 'memory://' });
    try {
      expect((await series(handle, 2)).map((r) => r.n)).toEqual([1, 2]);
      expect((await series(handle, 3)).map((r) => r.n)).toEqual([1, 2, 3]);
      const statements = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(
        handle.db,
      );
      expect(statements.rows).toHaveLength(1);
      expect(statements.rows[0]?.statement).toContain('generate_series');
    } finally {
      await handle.close();
      await pgDb.drop();
    }
  });

  it('runs the same marked query on PGlite, unprepared', async () => {
    const handle = await createDatabase({ pgliteDir: 'memory://' });
    try {
      expect((await series(handle, 2)).map((r) => r.n)).toEqual([1, 2]);
      expect((await series(handle, 1)).map((r) => r.n)).toEqual([1]);
    } finally {
      await handle.close();
    }
  });
});
