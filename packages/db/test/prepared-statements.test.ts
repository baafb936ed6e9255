/**
 * Marked queries as named statements (prepared-statements.ts): on PostgreSQL a query ending in
 * `PREPARED` is prepared once per connection and answers each call with its own values; an
 * unmarked one is not; on PGlite the same marked query runs unprepared.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, PREPARED, type DatabaseHandle } from '../src/index.ts';
import { createTestPostgresDatabase } from '../src/testing.ts';

const unmarked = () => sql`select ${sql.lit(1)}::int as one`;
const rowsOf = (h: DatabaseHandle, n: number) =>
  h.db
    .selectFrom(sql<{ s: number }>`generate_series(1, ${n}::int)`.as('s'))
    .select(sql<number>`s.s`.as('n'))
    .orderBy('n')
    .modifyEnd(PREPARED)
    .execute();

describe('prepared statements on PostgreSQL', () => {
  let pg: Awaited<ReturnType<typeof createTestPostgresDatabase>>;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    pg = await createTestPostgresDatabase('prepared');
    // One connection: the statements prepared are this connection's.
    handle = await createDatabase({ url: pg.url, poolMin: 0, poolMax: 1, pgliteDir: 'memory://' });
  });
  afterAll(async () => {
    await handle?.close();
    await pg?.drop();
  });

  it('prepares a marked query once and runs it with each call’s values', async () => {
    expect((await rowsOf(handle, 2)).map((r) => r.n)).toEqual([1, 2]);
    expect((await rowsOf(handle, 3)).map((r) => r.n)).toEqual([1, 2, 3]);
    await unmarked().execute(handle.db);
    const statements = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(
      handle.db,
    );
    expect(statements.rows).toHaveLength(1);
    expect(statements.rows[0]?.statement).toContain('generate_series');
  });
});

describe('prepared statements on PGlite', () => {
  it('runs a marked query as any other', async () => {
    const handle = await createDatabase({ pgliteDir: 'memory://' });
    try {
      expect((await rowsOf(handle, 2)).map((r) => r.n)).toEqual([1, 2]);
      expect((await rowsOf(handle, 1)).map((r) => r.n)).toEqual([1]);
    } finally {
      await handle.close();
    }
  });
});
