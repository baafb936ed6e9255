// scripts/backup-db.sh and scripts/restore-db.sh against the real PostgreSQL: a migrated
// database with a row in every table (read from information_schema, so tables added later are
// covered), backed up, dropped, restored, and compared table by table (row count and checksum),
// with the schema and sequences. Also: failures never leave a backup that looks good, restore
// refuses to drop without confirmation or from a bad file, retention deletes only old backups of
// the script's own pattern, and the compose code path runs through a local stand-in for
// `docker compose exec`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, migrateToLatest } from '@earshot/db';
import { createTestPostgresDatabase, TEST_PG_ADMIN_URL } from '@earshot/db/testing';
import { addFixtureRows, fillEveryTable, ident } from './support/fill-tables.ts';
import { runScript, writeComposeShim } from './support/scripts.ts';

type TestDb = Awaited<ReturnType<typeof createTestPostgresDatabase>>;

interface Snapshot {
  tables: Record<string, { rows: number; md5: string }>;
  schema: string[];
  sequences: Record<string, string | null>;
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Every table's row count and checksum, the schema (columns, constraints, indexes) and sequence positions. */
async function snapshot(url: string): Promise<Snapshot> {
  return withClient(url, async (c) => {
    const names = (
      await c.query<{ t: string }>(
        `select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
      )
    ).rows.map((r) => r.t);
    const tables: Snapshot['tables'] = {};
    for (const t of names) {
      const r = await c.query<{ n: number; md5: string }>(
        `select count(*)::int as n, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as md5 from ${ident(t)} x`,
      );
      tables[t] = { rows: r.rows[0]!.n, md5: r.rows[0]!.md5 };
    }
    const schema = [
      ...(
        await c.query<{ s: string }>(
          `select table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') as s from information_schema.columns where table_schema = 'public'`,
        )
      ).rows.map((r) => `column ${r.s}`),
      ...(
        await c.query<{ s: string }>(
          `select conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) as s from pg_constraint where connamespace = 'public'::regnamespace`,
        )
      ).rows.map((r) => `constraint ${r.s}`),
      ...(await c.query<{ s: string }>(`select indexdef as s from pg_indexes where schemaname = 'public'`)).rows.map(
        (r) => `index ${r.s}`,
      ),
    ].sort();
    const sequences = Object.fromEntries(
      (
        await c.query<{ n: string; v: string | null }>(
          `select sequencename as n, last_value::text as v from pg_sequences where schemaname = 'public'`,
        )
      ).rows.map((r) => [r.n, r.v]),
    );
    return { tables, schema, sequences };
  });
}

function backupsIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql.gz'))
    .sort();
}

const scratch: string[] = [];
function tempDir(label: string): string {
  const d = mkdtempSync(path.join(os.tmpdir(), `earshot-${label}-`));
  scratch.push(d);
  return d;
}
const dbs: TestDb[] = [];
async function freshDb(label: string): Promise<TestDb> {
  const db = await createTestPostgresDatabase(label);
  dbs.push(db);
  return db;
}
afterAll(async () => {
  for (const db of dbs) await db.drop();
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

describe('backup-db.sh → drop → restore-db.sh (native, real PostgreSQL)', () => {
  let db: TestDb;
  let before: Snapshot;
  let backupDir: string;
  let backupFile: string;

  beforeAll(async () => {
    db = await freshDb('backup');
    const handle = await createDatabase({ url: db.url, poolMin: 0, poolMax: 2, pgliteDir: 'unused' });
    try {
      await migrateToLatest(handle.db);
    } finally {
      await handle.close();
    }
    await withClient(db.url, addFixtureRows);
    const result = await withClient(db.url, (c) => fillEveryTable(c));
    expect(result.failed, 'tables the test could not put a row in: give them a fixture row here').toEqual([]);
    before = await snapshot(db.url);
    backupDir = tempDir('backups');
  });

  it('the database has the migrated tables, each with at least one row', () => {
    const tables = Object.keys(before.tables);
    expect(tables).toEqual(expect.arrayContaining(['users', 'tracks', 'track_versions', 'jobs', 'schema_migrations']));
    expect(
      Object.entries(before.tables)
        .filter(([, t]) => t.rows < 1)
        .map(([n]) => n),
    ).toEqual([]);
  });

  it('backs up into BACKUP_DIR as music_db_<date>_<time>.sql.gz, complete and with nothing left over', async () => {
    const r = await runScript('backup-db.sh', ['--native'], { DATABASE_URL: db.url, BACKUP_DIR: backupDir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Backup completed: music_db_\d{8}_\d{6}\.sql\.gz/);
    const files = backupsIn(backupDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^music_db_\d{8}_\d{6}\.sql\.gz$/);
    expect(readdirSync(backupDir).filter((f) => f.includes('partial'))).toEqual([]);
    backupFile = path.join(backupDir, files[0]!);
    execFileSync('gzip', ['-t', backupFile]);
    expect(statSync(backupFile).mode & 0o077, 'backups are readable by their owner only').toBe(0);
    // The password in DATABASE_URL is never printed.
    expect(r.stdout + r.stderr).not.toContain(db.url);
  });

  it('restores into a dropped database: every table, row and checksum, the schema and the sequences come back', async () => {
    await withClient(TEST_PG_ADMIN_URL, (c) => c.query(`drop database ${ident(db.name)} with (force)`));
    await expect(withClient(db.url, async () => undefined)).rejects.toThrow(/does not exist/);

    const r = await runScript('restore-db.sh', ['--native', '--yes', backupFile], { DATABASE_URL: db.url });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Restore completed');
    const after = await snapshot(db.url);
    expect(after.tables).toEqual(before.tables);
    expect(after.schema).toEqual(before.schema);
    expect(after.sequences).toEqual(before.sequences);
  });

  it('restore refuses to drop without --yes or RESTORE_CONFIRM=1 when nobody can answer, and changes nothing', async () => {
    await withClient(db.url, (c) => c.query('create table restore_guard (id int)'));
    try {
      const r = await runScript('restore-db.sh', ['--native', backupFile], { DATABASE_URL: db.url });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /refusing to drop database .* without confirmation: pass --yes or set RESTORE_CONFIRM=1/,
      );
      expect(r.stdout).toMatch(/this will: DROP DATABASE/);
      expect(
        await withClient(db.url, async (c) => (await c.query(`select to_regclass('restore_guard') as t`)).rows[0].t),
      ).toBe('restore_guard');

      const confirmed = await runScript('restore-db.sh', ['--native', backupFile], {
        DATABASE_URL: db.url,
        RESTORE_CONFIRM: '1',
      });
      expect(confirmed.code, confirmed.stderr).toBe(0);
      expect(
        await withClient(db.url, async (c) => (await c.query(`select to_regclass('restore_guard') as t`)).rows[0].t),
      ).toBeNull();
      expect((await snapshot(db.url)).tables).toEqual(before.tables);
    } finally {
      await withClient(db.url, (c) => c.query('drop table if exists restore_guard'));
    }
  });

  it('restore checks the file before touching anything: a truncated backup is refused', async () => {
    const truncated = path.join(backupDir, 'truncated.sql.gz');
    const bytes = readFileSync(backupFile);
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const r = await runScript('restore-db.sh', ['--native', '--yes', truncated], { DATABASE_URL: db.url });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/not a complete backup .* nothing was changed/);
    expect((await snapshot(db.url)).tables).toEqual(before.tables);
  });

  it('restore explains its usage', async () => {
    const none = await runScript('restore-db.sh', [], { DATABASE_URL: db.url });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: ./restore-db.sh <backup-file.sql.gz>');
    const missing = await runScript('restore-db.sh', ['--native', '--yes', path.join(backupDir, 'nope.sql.gz')], {
      DATABASE_URL: db.url,
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no such file');
  });
});

describe('backup-db.sh failures and usage', () => {
  it('a failing pg_dump leaves no backup, not even a partial one', async () => {
    const dir = tempDir('backup-fail');
    const url = new URL(TEST_PG_ADMIN_URL);
    url.pathname = '/earshot_database_that_does_not_exist';
    const r = await runScript('backup-db.sh', ['--native'], { DATABASE_URL: url.toString(), BACKUP_DIR: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/pg_dump failed; no backup written/);
    expect(readdirSync(dir).filter((f) => !f.endsWith('.lock'))).toEqual([]);
  });

  it('says what is missing: no compose stack and no DATABASE_URL, bad flags, bad RETENTION_DAYS', async () => {
    const nothing = await runScript('backup-db.sh', [], { COMPOSE: 'false', BACKUP_DIR: tempDir('backup-usage') });
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toMatch(/no running compose stack .* DATABASE_URL is not set/);
    const flag = await runScript('backup-db.sh', ['--bogus'], {});
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/unknown argument: --bogus[\s\S]*usage: scripts\/backup-db.sh/);
    const retention = await runScript('backup-db.sh', ['--native'], {
      DATABASE_URL: TEST_PG_ADMIN_URL,
      RETENTION_DAYS: 'thirty',
    });
    expect(retention.code).toBe(1);
    expect(retention.stderr).toMatch(/RETENTION_DAYS must be a whole number/);
  });
});

describe('backup-db.sh retention', () => {
  it('deletes its own backups older than RETENTION_DAYS, keeps newer ones and every other file', async () => {
    const db = await freshDb('retention');
    const dir = tempDir('retention');
    const touch = (name: string, daysAgo: number) => {
      writeFileSync(path.join(dir, name), 'x');
      execFileSync('touch', ['-d', `${daysAgo} days ago`, path.join(dir, name)]);
    };
    touch('music_db_20200101_020000.sql.gz', 45);
    touch('music_db_20200102_020000.sql.gz', 31);
    touch('music_db_20200103_020000.sql.gz', 29);
    touch('music_db_20200104_020000.sql.gz', 1);
    touch('other_20200101.sql.gz', 100); // not this script's pattern
    touch('notes.txt', 100);
    touch('music_db_20200101_020000.sql', 100); // not gzip

    const r = await runScript('backup-db.sh', ['--native'], {
      DATABASE_URL: db.url,
      BACKUP_DIR: dir,
      RETENTION_DAYS: '30',
    });
    expect(r.code, r.stderr).toBe(0);
    const left = readdirSync(dir)
      .filter((f) => !f.startsWith('.'))
      .sort();
    expect(left).not.toContain('music_db_20200101_020000.sql.gz');
    expect(left).not.toContain('music_db_20200102_020000.sql.gz');
    expect(left).toEqual(
      expect.arrayContaining([
        'music_db_20200103_020000.sql.gz',
        'music_db_20200104_020000.sql.gz',
        'other_20200101.sql.gz',
        'notes.txt',
        'music_db_20200101_020000.sql',
      ]),
    );
    expect(left.filter((f) => /^music_db_\d{8}_\d{6}\.sql\.gz$/.test(f))).toHaveLength(3); // two kept + today's
    expect(r.stdout).toContain('removed old backup music_db_20200101_020000.sql.gz');

    // The default is 30 days (docs/operations.md, "Backups").
    touch('music_db_20200105_020000.sql.gz', 31);
    touch('music_db_20200106_020000.sql.gz', 29);
    const d = await runScript('backup-db.sh', ['--native'], { DATABASE_URL: db.url, BACKUP_DIR: dir });
    expect(d.code, d.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'music_db_20200105_020000.sql.gz'))).toBe(false);
    expect(existsSync(path.join(dir, 'music_db_20200106_020000.sql.gz'))).toBe(true);
  });
});

describe('compose mode (docker compose exec -T postgres …), through a local stand-in for docker compose', () => {
  it('backs up with pg_dump in the postgres service, and restore stops api and worker, replays, starts them', async () => {
    const db = await freshDb('compose');
    await withClient(db.url, async (c) => {
      await c.query(`create table sample (id int primary key, body text not null)`);
      await c.query(`insert into sample values (1, 'one'), (2, E'two\\nlines')`);
    });
    const original = await snapshot(db.url);
    const dir = tempDir('compose');
    const log = path.join(dir, 'compose.log');
    const admin = new URL(TEST_PG_ADMIN_URL);
    const shim = writeComposeShim(path.join(dir, 'compose-shim'), log, {
      host: admin.hostname,
      port: admin.port || '5432',
    });
    const env = {
      COMPOSE: shim,
      POSTGRES_DB: db.name,
      POSTGRES_USER: decodeURIComponent(admin.username) || 'postgres',
      BACKUP_DIR: path.join(dir, 'backups'),
    };

    const b = await runScript('backup-db.sh', [], env);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toContain(`dumping compose service postgres, database ${db.name}`);
    const [file] = backupsIn(env.BACKUP_DIR);
    expect(file).toBeDefined();
    expect(readFileSync(log, 'utf8')).toContain(
      `exec -T postgres pg_dump -U ${env.POSTGRES_USER} --no-owner --no-privileges ${db.name}`,
    );

    await withClient(db.url, (c) => c.query(`delete from sample`));
    writeFileSync(log, '');
    const r = await runScript('restore-db.sh', ['--yes', path.join(env.BACKUP_DIR, file!)], env);
    expect(r.code, r.stderr).toBe(0);
    const calls = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('ps '));
    expect(calls[0]).toBe('stop api worker');
    expect(calls[1]).toContain(
      `exec -T postgres psql -U ${env.POSTGRES_USER} -d postgres -v ON_ERROR_STOP=1 -q -c DROP DATABASE IF EXISTS "${db.name}" WITH (FORCE);`,
    );
    expect(calls[2]).toContain(`CREATE DATABASE "${db.name}";`);
    expect(calls[3]).toContain(
      `exec -T postgres psql -U ${env.POSTGRES_USER} -d ${db.name} -v ON_ERROR_STOP=1 -q --single-transaction`,
    );
    expect(calls.at(-1)).toBe('start api worker');
    expect(await snapshot(db.url)).toEqual(original);
  });
});
