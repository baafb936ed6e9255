// PGlite 0.3 (PostgreSQL 17) → 0.5 (PostgreSQL 18): a data folder written by the old PGlite (kept
// as the `pglite-v03` dependency), migrated and with a row in every table, opened by the current
// code. The database layer upgrades it at open (same rows, same sequences, old folder kept), and
// the embedded server booted on such a folder logs the upgrade and signs its user in.
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Kysely, sql } from 'kysely';
import { PGlite as PGliteV03 } from 'pglite-v03';
import { pg_trgm as pgTrgmV03 } from 'pglite-v03/contrib/pg_trgm';
import { unaccent as unaccentV03 } from 'pglite-v03/contrib/unaccent';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDatabase,
  keptFolderOf,
  migrateToLatest,
  PGliteDialect,
  PGLITE_PG_MAJOR,
  type DatabaseHandle,
} from '@earshot/db';
import { hashPassword } from '@earshot/passwords';
import { addFixtureRows, fillEveryTable } from '../ops/support/fill-tables.ts';
import { snapshotDb, type DbSnapshot } from '../support/db-snapshot.ts';
import { freePort, spawnTs, waitForHttp } from '../support/process.ts';

const EMAIL = 'old-timer@example.com';
const PASSWORD = 'Tr0ub4dor&3-from-postgres-17';

let tmp: string;
let oldFolder: string;
let before: DbSnapshot;
let migrations: string[];

const queryable = (handle: DatabaseHandle) => ({
  query: async <T>(q: string) => ({ rows: (await sql.raw<T>(q).execute(handle.db)).rows }),
});

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'earshot-pglite-upgrade-'));
  oldFolder = path.join(tmp, 'v03', 'pglite');
  await mkdir(path.dirname(oldFolder));
  // With the contrib extensions the migrations create (search), as the old release would have had them.
  const old = await PGliteV03.create(oldFolder, { extensions: { pg_trgm: pgTrgmV03, unaccent: unaccentV03 } });
  const db = new Kysely<any>({ dialect: new PGliteDialect(old as never) });
  await migrateToLatest(db);
  await addFixtureRows(old as unknown as pg.Client);
  const filled = await fillEveryTable(old as unknown as pg.Client);
  expect(filled.failed).toEqual([]);
  // After the fill, whose second pass sets nullable columns (disabled_at too) on existing rows.
  await old.query(
    `insert into users (email, handle, display_name, password_hash, email_verified_at) values ($1, 'old-timer', 'Old Timer', $2, now())`,
    [EMAIL, await hashPassword(PASSWORD)],
  );
  before = await snapshotDb(old, ['schema_migrations']);
  migrations = (await old.query<{ name: string }>('select name from schema_migrations order by name')).rows.map(
    (r) => r.name,
  );
  expect((await old.query<{ v: string }>("select current_setting('server_version_num') as v")).rows[0]!.v).toMatch(
    /^17/,
  );
  await db.destroy();
  expect(readFileSync(path.join(oldFolder, 'PG_VERSION'), 'utf8').trim()).toBe('17');
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('a PGlite 0.3 (PostgreSQL 17) data folder', () => {
  it('is upgraded when opened: every row and sequence kept, the old folder kept aside, a log line', async () => {
    const dir = path.join(tmp, 'db', 'pglite');
    await cp(oldFolder, dir, { recursive: true });
    const logs: string[] = [];
    const handle = await createDatabase({ pgliteDir: dir, log: (message) => logs.push(message) });
    try {
      expect(logs.at(-1)).toMatch(
        /embedded database upgraded to PostgreSQL 18; the PostgreSQL 17 folder is kept at .*pglite\.pg17/,
      );
      const server = await sql<{ v: string }>`select current_setting('server_version_num') as v`.execute(handle.db);
      expect(server.rows[0]!.v.slice(0, 2)).toBe(String(PGLITE_PG_MAJOR));
      expect(await snapshotDb(queryable(handle), ['schema_migrations'])).toEqual(before);
      expect(
        (await sql<{ name: string }>`select name from schema_migrations order by name`.execute(handle.db)).rows.map(
          (r) => r.name,
        ),
      ).toEqual(migrations);
      // Identity sequences carry on after the copied ids.
      const next = await handle.db
        .insertInto('users')
        .values({ email: 'new@example.com', handle: 'newcomer', display_name: 'New', password_hash: 'x' })
        .returning('id')
        .executeTakeFirstOrThrow();
      expect(Number(next.id)).toBeGreaterThan(Number(before.sequences.users_id_seq));
      // One process at a time.
      await expect(createDatabase({ pgliteDir: dir })).rejects.toThrow(/in use by process \d+ .*stop the server first/);
    } finally {
      await handle.close();
    }
    expect(readFileSync(path.join(dir, 'PG_VERSION'), 'utf8').trim()).toBe(String(PGLITE_PG_MAJOR));
    expect(readFileSync(path.join(keptFolderOf(dir), 'PG_VERSION'), 'utf8').trim()).toBe('17');
    expect(existsSync(`${dir}.upgrading`)).toBe(false);
    expect(existsSync(`${dir}.lock`)).toBe(false);

    // Opened again: already PostgreSQL 18, nothing to do.
    const again = await createDatabase({ pgliteDir: dir, log: (message) => logs.push(message) });
    const count = logs.length;
    expect(
      (await again.db.selectFrom('users').select('email').where('email', '=', 'new@example.com').execute()).length,
    ).toBe(1);
    await again.close();
    expect(logs.length).toBe(count);
  });

  it('is upgraded by `npm start`, which then signs the old user in', async () => {
    const dataDir = path.join(tmp, 'server');
    await cp(oldFolder, path.join(dataDir, 'pglite'), { recursive: true });
    const port = await freePort();
    const proc = spawnTs('test/fixtures/serve-embedded.ts', {
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      NODE_ENV: 'development',
    });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/api/v1/health`, proc);
      expect(proc.output()).toMatch(/embedded database upgraded to PostgreSQL 18/);
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
      });
      expect(res.status, await res.clone().text()).toBe(200);
      expect(((await res.json()) as { user: { handle: string } }).user.handle).toBe('old-timer');
    } finally {
      proc.child.kill('SIGTERM');
      expect((await proc.exited).code, proc.output()).toBe(0);
    }
    // A boot that also upgrades is slow on a busy machine: no wall-clock budget here.
  }, 900_000);
});
