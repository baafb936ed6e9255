import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_EXTENSIONS } from './pglite-extensions.ts';
import { exportDatabase, importDatabase } from './logical-copy.ts';

/** PostgreSQL major version of the PGlite in use (PGlite 0.5); a test checks it against the server. */
export const PGLITE_PG_MAJOR = 18;
/** The major version the previous PGlite (0.3) wrote, which is upgraded at boot. */
export const PREVIOUS_PG_MAJOR = 17;

export type UpgradeLog = (message: string, fields: Record<string, unknown>) => void;

/** Where the upgrade keeps the PostgreSQL 17 folder (`DATA_DIR/pglite.pg17`). */
export const keptFolderOf = (dir: string) => `${dir.replace(/\/+$/, '')}.pg${PREVIOUS_PG_MAJOR}`;

/** Major version of the database in `dir` (its PG_VERSION file), or undefined for none yet. */
export function dataDirMajor(dir: string): number | undefined {
  const file = `${dir}/PG_VERSION`;
  return existsSync(file) ? Number.parseInt(readFileSync(file, 'utf8').trim(), 10) : undefined;
}

/**
 * PostgreSQL cannot open another major version's files: PGlite 0.3 wrote PostgreSQL 17, 0.5
 * reads 18. A folder still at 17 is copied, before the database is opened, into a new 18 folder
 * (the old PGlite, kept as the `pglite-v03` dependency, reads it; logical-copy.ts moves the
 * rows); the old folder is then kept next to it as `pglite.pg17` and never touched again.
 *
 * Crash-safe: the new folder is built aside (`pglite.upgrading`) and swapped in by two renames;
 * a boot that finds the kept folder but no database folder (stopped between the renames) puts
 * it back and upgrades again. Call with the folder's lock held (pglite-lock.ts).
 */
export async function upgradePgliteDataDir(dir: string, log: UpgradeLog): Promise<void> {
  const kept = keptFolderOf(dir);
  if (dataDirMajor(dir) === undefined && existsSync(kept) && dataDirMajor(kept) === PREVIOUS_PG_MAJOR) {
    rmSync(dir, { recursive: true, force: true });
    renameSync(kept, dir);
  }
  const major = dataDirMajor(dir);
  if (major === undefined || major === PGLITE_PG_MAJOR) return;
  if (major !== PREVIOUS_PG_MAJOR) {
    throw new Error(
      `${dir} holds a PostgreSQL ${major} database; this Earshot runs PostgreSQL ${PGLITE_PG_MAJOR} and upgrades ${PREVIOUS_PG_MAJOR} only`,
    );
  }
  if (existsSync(kept)) {
    throw new Error(
      `${dir} is still PostgreSQL ${PREVIOUS_PG_MAJOR} but ${kept} exists from an earlier upgrade: move one of them away, then start again`,
    );
  }
  const started = Date.now();
  log(
    `upgrading the embedded database from PostgreSQL ${PREVIOUS_PG_MAJOR} (PGlite 0.3) to ${PGLITE_PG_MAJOR} (PGlite 0.5)`,
    { dir },
  );
  const { PGlite: PGliteV03 } = await import('pglite-v03');
  const old = await PGliteV03.create(dir);
  let copy;
  try {
    copy = await exportDatabase(old);
  } finally {
    await old.close();
  }
  const staging = `${dir.replace(/\/+$/, '')}.upgrading`;
  rmSync(staging, { recursive: true, force: true });
  const fresh = await PGlite.create(staging, { extensions: PGLITE_EXTENSIONS });
  try {
    await importDatabase(fresh, copy);
  } catch (err) {
    await fresh.close();
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
  await fresh.close();
  renameSync(dir, kept);
  renameSync(staging, dir);
  const rows = copy.tables.reduce((n, t) => n + t.rows, 0);
  log(
    `embedded database upgraded to PostgreSQL ${PGLITE_PG_MAJOR}; the PostgreSQL ${PREVIOUS_PG_MAJOR} folder is kept at ${kept} (delete it once you are satisfied)`,
    {
      dir,
      kept,
      migration: copy.migration,
      tables: copy.tables.length,
      rows,
      ms: Date.now() - started,
    },
  );
}
