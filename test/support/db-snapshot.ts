import { ident } from '../ops/support/fill-tables.ts';

/** Anything with `query(sql) → { rows }`: a pg.Client or a PGlite instance (0.3 or 0.5). */
export interface Queryable {
  query<T>(sql: string): Promise<{ rows: T[] }>;
}

export interface DbSnapshot {
  tables: Record<string, { rows: number; md5: string }>;
  sequences: Record<string, string | null>;
}

/** Every public table's row count and checksum (all columns, as text) and every sequence's position. */
export async function snapshotDb(c: Queryable, skip: string[] = []): Promise<DbSnapshot> {
  const names = (
    await c.query<{ t: string }>(
      `select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
    )
  ).rows.map((r) => r.t);
  const tables: DbSnapshot['tables'] = {};
  for (const t of names.filter((n) => !skip.includes(n))) {
    const r = await c.query<{ n: number; md5: string }>(
      `select count(*)::int as n, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as md5 from ${ident(t)} x`,
    );
    tables[t] = { rows: r.rows[0]!.n, md5: r.rows[0]!.md5 };
  }
  const sequences = Object.fromEntries(
    (
      await c.query<{ n: string; v: string | null }>(
        `select sequencename as n, last_value::text as v from pg_sequences where schemaname = 'public'`,
      )
    ).rows.map((r) => [r.n, r.v]),
  );
  return { tables, sequences };
}
