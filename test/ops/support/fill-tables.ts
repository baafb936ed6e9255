import { randomUUID } from 'node:crypto';
import type pg from 'pg';

/**
 * The rows the generic filler cannot make, put in before it runs: a follow needs two different
 * accounts, and a track by the followed account makes the feed's trigger write the follower's feed row.
 */
export async function addFixtureRows(client: Pick<pg.Client, 'query'>): Promise<void> {
  const ids = await client.query<{ id: string }>(
    `insert into users (email, handle, display_name, password_hash) values ('a@example.test', 'fixture_a', 'A', 'x'), ('b@example.test', 'fixture_b', 'B', 'x') returning id`,
  );
  await client.query('insert into follows (follower_id, followee_id) values ($1, $2)', [
    ids.rows[0]!.id,
    ids.rows[1]!.id,
  ]);
  await client.query(`insert into tracks (owner_user_id, title, slug) values ($1, 'Fixture', 'fixture-feed')`, [
    ids.rows[1]!.id,
  ]);
}

/**
 * Puts at least one row in every table of the `public` schema, whatever the migrations created:
 * tables are read from information_schema, filled in foreign-key order, and each column gets a
 * value of its type. When an insert breaks a constraint, the columns of that constraint (from
 * pg_constraint) move to their next candidate value — literals of the column's own CHECK
 * constraints come first, so `role in ('listener', …)` gets 'listener'. A second pass sets the
 * nullable columns too (one by one; a value a constraint refuses is left NULL), so the backup
 * carries every type the schema uses. Returns the tables it could not fill, with the reason.
 */
export async function fillEveryTable(
  client: pg.Client,
  schema = 'public',
): Promise<{ filled: string[]; failed: Array<{ table: string; error: string }> }> {
  const tables = (
    await client.query<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE' order by table_name`,
      [schema],
    )
  ).rows.map((r) => r.table_name);
  const columns = await readColumns(client, schema);
  const fks = await readForeignKeys(client, schema);
  const checks = await readCheckLiterals(client, schema);
  const constraintColumns = await readConstraintColumns(client, schema);

  const filled: string[] = [];
  const failed: Array<{ table: string; error: string }> = [];
  await client.query('begin');
  for (const table of orderByForeignKeys(tables, columns, fks)) {
    if (await hasRows(client, table)) {
      filled.push(table);
      continue;
    }
    const required = (columns.get(table) ?? []).filter((c) => c.insertable && !c.nullable && !c.hasDefault);
    const candidates = new Map<string, unknown[]>();
    for (const c of required) candidates.set(c.name, await candidatesFor(client, table, c, fks, checks));
    const choice = new Map(required.map((c) => [c.name, 0]));
    let lastError = '';
    let ok = false;
    for (let attempt = 0; attempt < 200 && !ok; attempt++) {
      const names = required.map((c) => c.name);
      const values = required.map((c) => {
        const list = candidates.get(c.name)!;
        return list[Math.min(choice.get(c.name)!, list.length - 1)];
      });
      const sql = names.length
        ? `insert into ${ident(table)} (${names.map(ident).join(', ')}) values (${names.map((_, i) => `$${i + 1}`).join(', ')})`
        : `insert into ${ident(table)} default values`;
      try {
        await savepoint(client, () => client.query(sql, values));
        ok = true;
      } catch (err) {
        const e = err as { message: string; constraint?: string; column?: string };
        lastError = e.message;
        const involved = e.constraint
          ? (constraintColumns.get(`${table}.${e.constraint}`) ?? [])
          : e.column
            ? [e.column]
            : [];
        const bump = involved.find((col) => choice.has(col) && choice.get(col)! < candidates.get(col)!.length - 1);
        if (!bump) break;
        choice.set(bump, choice.get(bump)! + 1);
      }
    }
    if (ok) filled.push(table);
    else failed.push({ table, error: lastError });
  }

  // Second pass: nullable columns, one at a time.
  for (const table of filled) {
    for (const c of (columns.get(table) ?? []).filter((col) => col.insertable && col.nullable)) {
      for (const value of await candidatesFor(client, table, c, fks, checks)) {
        try {
          await savepoint(client, () =>
            client.query(
              `update ${ident(table)} set ${ident(c.name)} = $1 where ctid = (select ctid from ${ident(table)} where ${ident(c.name)} is null limit 1)`,
              [value],
            ),
          );
          break;
        } catch {
          // refused by a constraint: try the next candidate, else leave it NULL
        }
      }
    }
  }
  await client.query('commit');
  return { filled, failed };
}

interface Column {
  name: string;
  dataType: string;
  udtName: string;
  nullable: boolean;
  hasDefault: boolean;
  /** Not GENERATED ALWAYS (identity or computed). */
  insertable: boolean;
}

async function readColumns(client: pg.Client, schema: string): Promise<Map<string, Column[]>> {
  const { rows } = await client.query<{
    table_name: string;
    column_name: string;
    data_type: string;
    udt_name: string;
    is_nullable: string;
    column_default: string | null;
    is_identity: string;
    identity_generation: string | null;
    is_generated: string;
  }>(
    `select table_name, column_name, data_type, udt_name, is_nullable, column_default, is_identity, identity_generation, is_generated
       from information_schema.columns where table_schema = $1 order by table_name, ordinal_position`,
    [schema],
  );
  const map = new Map<string, Column[]>();
  for (const r of rows) {
    const list = map.get(r.table_name) ?? [];
    list.push({
      name: r.column_name,
      dataType: r.data_type,
      udtName: r.udt_name,
      nullable: r.is_nullable === 'YES',
      hasDefault: r.column_default !== null || r.is_identity === 'YES',
      insertable: !(r.is_identity === 'YES' && r.identity_generation === 'ALWAYS') && r.is_generated !== 'ALWAYS',
    });
    map.set(r.table_name, list);
  }
  return map;
}

/** `table.column` → referenced `table.column`. */
async function readForeignKeys(
  client: pg.Client,
  schema: string,
): Promise<Map<string, { table: string; column: string }>> {
  const { rows } = await client.query<{ tbl: string; col: string; ref_tbl: string; ref_col: string }>(
    `select c.conrelid::regclass::text as tbl, a.attname as col, c.confrelid::regclass::text as ref_tbl, ra.attname as ref_col
       from pg_constraint c
       join pg_namespace n on n.oid = c.connamespace
       cross join lateral unnest(c.conkey, c.confkey) as k(attnum, refnum)
       join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum
       join pg_attribute ra on ra.attrelid = c.confrelid and ra.attnum = k.refnum
      where c.contype = 'f' and n.nspname = $1`,
    [schema],
  );
  return new Map(rows.map((r) => [`${unquote(r.tbl)}.${r.col}`, { table: unquote(r.ref_tbl), column: r.ref_col }]));
}

/** String literals of the CHECK constraints on a single column: `table.column` → literals. */
async function readCheckLiterals(client: pg.Client, schema: string): Promise<Map<string, string[]>> {
  const { rows } = await client.query<{ tbl: string; col: string; def: string }>(
    `select c.conrelid::regclass::text as tbl, a.attname as col, pg_get_constraintdef(c.oid) as def
       from pg_constraint c
       join pg_namespace n on n.oid = c.connamespace
       join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
      where c.contype = 'c' and n.nspname = $1 and array_length(c.conkey, 1) = 1`,
    [schema],
  );
  const map = new Map<string, string[]>();
  for (const r of rows) {
    // Regular-expression checks (~) are patterns, not values.
    if (/~/.test(r.def)) continue;
    const literals = [...r.def.matchAll(/'((?:[^']|'')*)'::/g)].map((m) => m[1]!.replace(/''/g, "'"));
    const key = `${unquote(r.tbl)}.${r.col}`;
    map.set(key, [...(map.get(key) ?? []), ...literals]);
  }
  return map;
}

/** `table.constraint` → its columns. */
async function readConstraintColumns(client: pg.Client, schema: string): Promise<Map<string, string[]>> {
  const { rows } = await client.query<{ tbl: string; conname: string; cols: string[] }>(
    `select c.conrelid::regclass::text as tbl, c.conname,
            array(select a.attname::text from unnest(c.conkey) k join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k) as cols
       from pg_constraint c join pg_namespace n on n.oid = c.connamespace
      where n.nspname = $1 and c.conkey is not null
     union all
     select t.relname::text, i.relname::text,
            array(select a.attname::text from unnest(x.indkey::int2[]) k join pg_attribute a on a.attrelid = x.indrelid and a.attnum = k)
       from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid join pg_namespace n on n.oid = t.relnamespace
      where n.nspname = $1 and x.indisunique`,
    [schema],
  );
  return new Map(rows.map((r) => [`${unquote(r.tbl)}.${r.conname}`, r.cols]));
}

function orderByForeignKeys(
  tables: string[],
  columns: Map<string, Column[]>,
  fks: Map<string, { table: string }>,
): string[] {
  const deps = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const [key, ref] of fks) {
    const [table, column] = key.split('.') as [string, string];
    const col = columns.get(table)?.find((c) => c.name === column);
    // Only NOT NULL references order the inserts; nullable ones are set in the second pass.
    if (col && !col.nullable && ref.table !== table) deps.get(table)?.add(ref.table);
  }
  const ordered: string[] = [];
  const visit = (t: string, path: Set<string>) => {
    if (ordered.includes(t) || path.has(t)) return;
    path.add(t);
    for (const d of deps.get(t) ?? []) visit(d, path);
    ordered.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return ordered;
}

const TRICKY_TEXT = 'Backup “ünïcödé” \'quote\' "double" back\\slash\ttab\nnew line 🎵';

async function candidatesFor(
  client: pg.Client,
  table: string,
  c: Column,
  fks: Map<string, { table: string; column: string }>,
  checks: Map<string, string[]>,
): Promise<unknown[]> {
  const fk = fks.get(`${table}.${c.name}`);
  if (fk) {
    const { rows } = await client.query(
      `select ${ident(fk.column)} as v from ${ident(fk.table)} where ${ident(fk.column)} is not null limit 1`,
    );
    return rows.length ? [rows[0].v] : [null];
  }
  const literals = checks.get(`${table}.${c.name}`) ?? [];
  if (c.dataType === 'USER-DEFINED') {
    const { rows } = await client.query<{ label: string }>(
      `select e.enumlabel as label from pg_enum e join pg_type t on t.oid = e.enumtypid where t.typname = $1 order by e.enumsortorder`,
      [c.udtName],
    );
    if (rows.length) return rows.map((r) => r.label);
  }
  switch (c.udtName) {
    case 'text':
    case 'varchar':
    case 'bpchar':
    case 'citext':
    case 'name':
      return [
        ...literals,
        TRICKY_TEXT,
        'backup-row-1',
        'backup-row-1@example.com',
        '0123456789abcdef'.repeat(4),
        'USD',
        'x',
      ];
    case 'int2':
    case 'int4':
    case 'int8':
    case 'numeric':
    case 'float4':
    case 'float8':
      return [...literals, 42, 1, 0];
    case 'bool':
      return [true, false];
    case 'timestamptz':
    case 'timestamp':
      return ['2026-01-02T03:04:05.678Z', new Date().toISOString()];
    case 'date':
      return ['2026-01-02'];
    case 'time':
    case 'timetz':
      return ['03:04:05'];
    case 'interval':
      return ['1 hour'];
    case 'json':
    case 'jsonb':
      return [JSON.stringify({ backup: TRICKY_TEXT, n: [1, 2.5, null] }), '{}', '0'];
    case 'uuid':
      return [randomUUID()];
    case 'bytea':
      return [Buffer.from([0, 1, 2, 255])];
    case 'inet':
    case 'cidr':
      return ['127.0.0.1'];
    case '_text':
    case '_varchar':
      return [['a', 'b,c', 'd "e"'], []];
    case '_int2':
    case '_int4':
    case '_int8':
      return [[1, 2, 3], []];
    default:
      return [...literals, 'backup-row-1', 1];
  }
}

async function hasRows(client: pg.Client, table: string): Promise<boolean> {
  return (await client.query(`select 1 from ${ident(table)} limit 1`)).rows.length > 0;
}

async function savepoint<T>(client: pg.Client, fn: () => Promise<T>): Promise<T> {
  await client.query('savepoint fill');
  try {
    const r = await fn();
    await client.query('release savepoint fill');
    return r;
  } catch (err) {
    await client.query('rollback to savepoint fill');
    throw err;
  }
}

export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function unquote(regclass: string): string {
  return regclass.replace(/^"(.*)"$/, '$1').replace(/""/g, '"');
}
