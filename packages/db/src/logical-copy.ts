import { Kysely } from 'kysely';
import type { PGlite } from '@electric-sql/pglite';
import { PGliteDialect } from './pglite-dialect.ts';
import { migrateTo } from './migrator.ts';

/**
 * A logical copy of the embedded database: the name of the last applied migration, every
 * table's rows as CSV (Postgres' own COPY) and every sequence's position. The schema itself is not
 * copied: it is what the migrations make, so a copy loads into any Postgres major version — the
 * PGlite upgrade (PostgreSQL 17 → 18) and embedded backups both rely on this.
 */
export interface LogicalCopy {
  /** Last applied migration (schema_migrations), or null for a database never migrated. */
  migration: string | null;
  tables: TableCopy[];
  sequences: SequenceCopy[];
}

export interface TableCopy {
  name: string;
  /** Columns copied, in order (generated columns are left out: Postgres computes them). */
  columns: string[];
  rows: number;
  csv: Uint8Array;
}

export interface SequenceCopy {
  name: string;
  lastValue: string;
  isCalled: boolean;
}

/** What a copy needs of a PGlite instance; PGlite 0.3 (the upgrade's source) and 0.5 both have it. */
export interface PGliteLike {
  query<T>(query: string, params?: unknown[], options?: { blob?: Blob }): Promise<{ rows: T[]; blob?: Blob }>;
  close(): Promise<void>;
}

/** The migrator's own bookkeeping: the target database's migrations write it. */
const MIGRATION_TABLES = new Set(['schema_migrations', 'schema_migrations_lock']);

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function tablesOf(pg: PGliteLike): Promise<Array<{ name: string; columns: string[] }>> {
  const { rows } = await pg.query<{ table_name: string; columns: string[] }>(
    `select c.table_name, array_agg(c.column_name::text order by c.ordinal_position) as columns
       from information_schema.columns c
       join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = 'public' and t.table_type = 'BASE TABLE' and c.is_generated = 'NEVER'
      group by c.table_name order by c.table_name`,
  );
  return rows
    .filter((r) => !MIGRATION_TABLES.has(r.table_name))
    .map((r) => ({ name: r.table_name, columns: r.columns }));
}

async function lastMigration(pg: PGliteLike): Promise<string | null> {
  const exists = await pg.query<{ t: string | null }>(`select to_regclass('public.schema_migrations')::text as t`);
  if (!exists.rows[0]?.t) return null;
  const { rows } = await pg.query<{ name: string }>(`select name from schema_migrations order by name desc limit 1`);
  return rows[0]?.name ?? null;
}

/** Reads the whole database in one repeatable-read transaction (one consistent snapshot). */
export async function exportDatabase(pg: PGliteLike): Promise<LogicalCopy> {
  await pg.query('begin isolation level repeatable read read only');
  try {
    const migration = await lastMigration(pg);
    const tables: TableCopy[] = [];
    for (const t of await tablesOf(pg)) {
      const count = await pg.query<{ n: number }>(`select count(*)::int as n from ${ident(t.name)}`);
      const out = await pg.query(
        `copy ${ident(t.name)} (${t.columns.map(ident).join(', ')}) to '/dev/blob' with (format csv)`,
      );
      const csv = out.blob ? new Uint8Array(await out.blob.arrayBuffer()) : new Uint8Array();
      tables.push({ name: t.name, columns: t.columns, rows: count.rows[0]!.n, csv });
    }
    const seqNames = await pg.query<{ name: string }>(
      `select sequencename as name from pg_sequences where schemaname = 'public' order by 1`,
    );
    const sequences: SequenceCopy[] = [];
    for (const { name } of seqNames.rows) {
      const { rows } = await pg.query<{ last_value: string; is_called: boolean }>(
        `select last_value::text, is_called from ${ident(name)}`,
      );
      sequences.push({ name, lastValue: rows[0]!.last_value, isCalled: rows[0]!.is_called });
    }
    return { migration, tables, sequences };
  } finally {
    await pg.query('rollback');
  }
}

/**
 * Loads a copy into an empty database: applies the migrations up to the copy's, then every
 * table's rows (foreign keys and triggers off while loading, as pg_restore does), then the
 * sequences; checks that each table holds as many rows as were copied. Later migrations are the
 * caller's (the platform applies them at boot).
 */
export async function importDatabase(pg: PGlite, copy: LogicalCopy): Promise<void> {
  if (copy.migration) {
    // Not destroyed: that would close the caller's PGlite.
    const db = new Kysely<any>({ dialect: new PGliteDialect(pg) });
    await migrateTo(db, copy.migration);
  }
  const target = new Map((await tablesOf(pg)).map((t) => [t.name, t.columns]));
  for (const t of copy.tables) {
    const columns = target.get(t.name);
    if (!columns || columns.join(',') !== t.columns.join(',')) {
      throw new Error(
        `table ${t.name}: the copy's columns (${t.columns.join(', ')}) are not the schema's at migration ${copy.migration} (${columns?.join(', ') ?? 'no such table'})`,
      );
    }
  }
  await pg.query('begin');
  try {
    await pg.query(`set local session_replication_role = replica`);
    if (target.size) await pg.query(`truncate ${[...target.keys()].map(ident).join(', ')}`);
    for (const t of copy.tables) {
      if (t.rows === 0) continue;
      await pg.query(
        `copy ${ident(t.name)} (${t.columns.map(ident).join(', ')}) from '/dev/blob' with (format csv)`,
        [],
        { blob: new Blob([t.csv as Uint8Array<ArrayBuffer>]) },
      );
      const { rows } = await pg.query<{ n: number }>(`select count(*)::int as n from ${ident(t.name)}`);
      if (rows[0]!.n !== t.rows) throw new Error(`table ${t.name}: ${rows[0]!.n} rows loaded, ${t.rows} copied`);
    }
    for (const s of copy.sequences) {
      await pg.query(`select setval($1::regclass, $2::bigint, $3)`, [ident(s.name), s.lastValue, s.isCalled]);
    }
    await pg.query('commit');
  } catch (err) {
    await pg.query('rollback');
    throw err;
  }
}
