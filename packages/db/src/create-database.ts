import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect.ts';
import { openPglite } from './open-pglite.ts';
import { prepareMarkedStatements } from './prepared-statements.ts';
import type { UpgradeLog } from './pglite-upgrade.ts';
import type { Database } from './schema.ts';

export interface DatabaseOptions {
  /** PostgreSQL URL; when absent the embedded PGlite in `pgliteDir` is used. */
  url?: string;
  poolMin?: number;
  poolMax?: number;
  /** Folder of the embedded database; `memory://` keeps it in memory (tests). */
  pgliteDir: string;
  /** Where the PGlite folder upgrade (pglite-upgrade.ts) reports; stderr when absent. */
  log?: UpgradeLog;
  /**
   * A PGlite data folder dump (`dumpDataDir`) to start from instead of an empty database: tests start
   * from the migrated template of `migratedPgliteTemplate()` (testing.ts). Only with `memory://`.
   */
  pgliteTemplate?: Blob;
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: 'postgres' | 'pglite';
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

// int8 and numeric as strings (ids are strings; money never becomes a float).
pg.types.setTypeParser(20, (v) => v);

export async function createDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  let db: Kysely<Database>;
  let kind: DatabaseHandle['kind'];
  let release: (() => void) | undefined;
  if (options.url) {
    const pool = new pg.Pool({
      connectionString: options.url,
      min: options.poolMin ?? 5,
      max: options.poolMax ?? 20,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 5_000,
      application_name: 'earshot',
    });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    prepareMarkedStatements(pool);
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    kind = 'postgres';
  } else {
    const opened = await openPglite(options.pgliteDir, options.log, options.pgliteTemplate);
    const pglite = opened.pglite;
    release = opened.release;
    db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
    kind = 'pglite';
  }
  let closed = false;
  return {
    db,
    kind,
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await db.destroy();
      } finally {
        release?.();
      }
    },
  };
}
