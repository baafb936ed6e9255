import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { createDatabase, type DatabaseHandle } from './create-database.ts';
import { migrateToLatest } from './migrator.ts';
import { openPglite } from './open-pglite.ts';
import { PGlite } from '@electric-sql/pglite';
import { PGliteDialect } from './pglite-dialect.ts';
import { PGLITE_EXTENSIONS } from './pglite-extensions.ts';
import type { Database } from './schema.ts';

/** Admin URL of the local PostgreSQL the integration tests use (`TEST_DATABASE_ADMIN_URL`). */
export const TEST_PG_ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/**
 * A fresh, uniquely named PostgreSQL database for one test file; `drop()` removes it.
 * Every integration test file gets its own so files can run in parallel.
 */
export async function createTestPostgresDatabase(
  label = 'test',
  template?: string,
): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `earshot_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"${template ? ` template "${template}"` : ''}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * Like createTestPostgresDatabase, but already migrated to the latest schema: copied
 * (`create database … template`) from a migrated database made once per schema on the test server
 * (named after a hash of this package's sources, like the PGlite template), instead of running every
 * migration again (about 5 s at a load average of 14; the copy takes about 1 s).
 */
export async function createMigratedTestPostgresDatabase(
  label = 'test',
): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const template = await migratedPostgresTemplate();
  return createTestPostgresDatabase(label, template);
}

let postgresTemplate: Promise<string> | undefined;

/** The migrated template database's name; made (under a temporary name, then renamed) when missing. */
function migratedPostgresTemplate(): Promise<string> {
  postgresTemplate ??= (async () => {
    const name = `earshot_template_${templateKey()}`;
    const exists = async () => {
      const admin = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
      await admin.connect();
      try {
        return ((await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount ?? 0) > 0;
      } finally {
        await admin.end();
      }
    };
    if (await exists()) return name;
    const building = await createTestPostgresDatabase('template');
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: building.url, max: 1 }) }),
    });
    try {
      await migrateToLatest(db);
    } finally {
      await db.destroy();
    }
    const admin = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`alter database "${building.name}" rename to "${name}"`);
    } catch (err) {
      // Another test file made it first: use theirs.
      await building.drop();
      if (!(await exists())) throw err;
    } finally {
      await admin.end();
    }
    return name;
  })();
  postgresTemplate.catch(() => {
    postgresTemplate = undefined;
  });
  return postgresTemplate;
}

const DB_SRC = path.dirname(fileURLToPath(import.meta.url));

/** What the migrated schema depends on: every file of this package's sources and PGlite's version. */
function templateKey(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else hash.update(`${path.relative(DB_SRC, file)}\0`).update(readFileSync(file));
    }
  };
  walk(DB_SRC);
  let dir = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  hash.update(readFileSync(path.join(dir, 'package.json')));
  return hash.digest('hex').slice(0, 16);
}

let template: Promise<Blob> | undefined;

/**
 * An in-memory PGlite migrated to the latest schema, dumped (`dumpDataDir`): starting a test's
 * database from it (`createDatabase({pgliteDir: 'memory://', pgliteTemplate})`) skips PGlite's
 * initdb and the migrations, several seconds per database on a busy machine (docs/testing.md,
 * "Suite time"). Kept in the OS temp folder under a hash of this package's sources and PGlite's
 * version, so a changed migration makes a new template; written atomically, shared by test files.
 */
export function migratedPgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    const file = path.join(os.tmpdir(), `earshot-pglite-template-${templateKey()}.tar`);
    const cached = await readFile(file).catch(() => undefined);
    if (cached) return new Blob([cached]);
    const { pglite } = await openPglite('memory://');
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
    let dump: Blob;
    try {
      await migrateToLatest(db);
      dump = await pglite.dumpDataDir('none');
    } finally {
      await db.destroy();
    }
    const partial = `${file}.${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
      await rename(partial, file);
    } catch {
      await rm(partial, { force: true });
    }
    return dump;
  })();
  return template;
}

/** One database backend of an integration test: its name and how to open a migrated database on it. */
export type MigratedBackend = [string, () => Promise<{ handle: DatabaseHandle; drop?: () => Promise<void> }>];

/**
 * Both backends, each from its migrated template (no initdb, no migrations run again): rows for
 * `describe.each`, so the same SQL is tested on PGlite and on PostgreSQL (a database named after
 * `name`, dropped by `drop`; a pool of `poolMax`).
 */
export function migratedBackends(name: string, poolMax = 4): MigratedBackend[] {
  return [
    [
      'PGlite',
      async () => ({
        handle: await createDatabase({ pgliteDir: 'memory://', pgliteTemplate: await migratedPgliteTemplate() }),
      }),
    ],
    [
      'PostgreSQL',
      async () => {
        const pgDb = await createMigratedTestPostgresDatabase(name);
        return { handle: await createDatabase({ url: pgDb.url, poolMin: 0, poolMax, pgliteDir: '' }), drop: pgDb.drop };
      },
    ],
  ];
}

/** A PGlite folder (that does not exist yet) made from the migrated template: a database as a migrated platform leaves it. */
export async function seedMigratedPgliteFolder(dir: string): Promise<void> {
  const pglite = await PGlite.create(dir, {
    extensions: PGLITE_EXTENSIONS,
    loadDataDir: await migratedPgliteTemplate(),
  });
  await pglite.close();
}
