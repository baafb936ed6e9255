import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '@earshot/config';
import { importDatabase, lockPglite, openPglite, type LogicalCopy } from '@earshot/db';
import { InvalidBackupError, readArchive } from './archive.ts';
import { assertEmbedded, BACKUP_FORMAT, BACKUP_KIND, DATA_FILES, type BackupManifest } from './backup.ts';

export interface RestoreOptions {
  /** Replace an existing database and storage (otherwise refused when DATA_DIR holds any). */
  replace?: boolean;
}

export interface RestoreResult {
  migration: string | null;
  tables: number;
  rows: number;
  files: number;
}

function checkManifest(
  m: Record<string, unknown>,
  entries: Array<{ path: string; size: number; sha256: string }>,
): BackupManifest {
  if (m.kind !== BACKUP_KIND) throw new InvalidBackupError(`kind ${JSON.stringify(m.kind)}`);
  if (m.format !== BACKUP_FORMAT)
    throw new InvalidBackupError(`format ${JSON.stringify(m.format)}; this Earshot reads format ${BACKUP_FORMAT}`);
  const manifest = m as unknown as BackupManifest;
  if (!Array.isArray(manifest.tables) || !Array.isArray(manifest.sequences) || !Array.isArray(manifest.entries))
    throw new InvalidBackupError('incomplete manifest');
  const listed = JSON.stringify([...manifest.entries].map((e) => [e.path, e.size, e.sha256]).sort());
  const found = JSON.stringify([...entries].map((e) => [e.path, e.size, e.sha256]).sort());
  if (listed !== found) throw new InvalidBackupError('the entries do not match the manifest');
  for (const e of entries) {
    if (
      !(e.path.startsWith('db/') || e.path.startsWith('storage/') || (DATA_FILES as readonly string[]).includes(e.path))
    )
      throw new InvalidBackupError(`unexpected entry ${e.path}`);
  }
  for (const t of manifest.tables) {
    if (
      typeof t.name !== 'string' ||
      !Array.isArray(t.columns) ||
      !Number.isSafeInteger(t.rows) ||
      !entries.some((e) => e.path === t.path)
    )
      throw new InvalidBackupError(`bad table ${JSON.stringify(t.name)}`);
  }
  return manifest;
}

async function holdsData(config: Config & { storage: { root: string } }): Promise<boolean> {
  if (existsSync(path.join(config.database.pgliteDir, 'PG_VERSION'))) return true;
  const storage = await readdir(config.storage.root).catch(() => [] as string[]);
  for (const bucket of storage)
    if ((await readdir(path.join(config.storage.root, bucket)).catch(() => [] as string[])).length) return true;
  return false;
}

/**
 * Restores an archive made by createBackup into DATA_DIR. Refused while a server (or any other
 * command) holds the database, and for a file that is not a valid Earshot backup. Everything is
 * unpacked, checked and loaded into a new database next to the live data first; the old
 * database, storage and secrets are swapped out only then, so a bad file changes nothing.
 * Migrations newer than the backup are applied by the next `npm start`.
 */
export async function restoreBackup(
  config: Config,
  file: string,
  options: RestoreOptions = {},
): Promise<RestoreResult> {
  assertEmbedded(config);
  const source = path.resolve(file);
  if (!existsSync(source)) throw new Error(`${file}: no such file`);
  await mkdir(config.dataDir, { recursive: true });
  const lock = lockPglite(config.database.pgliteDir);
  const staging = path.join(config.dataDir, `.restore-${randomBytes(4).toString('hex')}`);
  let keepStaging = false;
  try {
    if (!options.replace && (await holdsData(config))) {
      throw new Error(
        `${config.dataDir} already holds a database or files: pass --yes to replace them with the backup`,
      );
    }
    const { manifest: raw, entries } = await readArchive(source, staging);
    const manifest = checkManifest(raw, entries);

    const copy: LogicalCopy = { migration: manifest.migration, tables: [], sequences: manifest.sequences };
    for (const t of manifest.tables)
      copy.tables.push({
        name: t.name,
        columns: t.columns,
        rows: t.rows,
        csv: await readFile(path.join(staging, t.path)),
      });
    const { pglite, release } = await openPglite(path.join(staging, 'pglite'));
    try {
      await importDatabase(pglite, copy);
    } catch (err) {
      if (/migration .* doesn't exist|does not exist/i.test((err as Error).message) && manifest.migration) {
        throw new Error(
          `the backup was made by a newer Earshot (migration ${manifest.migration} is unknown here): update the code first`,
        );
      }
      throw err;
    } finally {
      await pglite.close();
      release();
    }

    // Swap: the live data moves aside, the restored data takes its place, the old data goes.
    const aside = path.join(staging, 'replaced');
    await mkdir(aside);
    const moves: Array<[string, string]> = [
      [path.join(staging, 'pglite'), config.database.pgliteDir],
      [path.join(staging, 'storage'), config.storage.root],
      ...DATA_FILES.map((n) => [path.join(staging, n), path.join(config.dataDir, n)] as [string, string]),
    ];
    try {
      for (const [, live] of moves) if (existsSync(live)) await rename(live, path.join(aside, path.basename(live)));
      for (const [restored, live] of moves) if (existsSync(restored)) await rename(restored, live);
    } catch (err) {
      keepStaging = true;
      throw new Error(
        `restore stopped while swapping folders (${(err as Error).message}): the previous data is in ${aside}, the restored data in ${staging}; move them back by hand`,
      );
    }
    await mkdir(config.storage.root, { recursive: true });
    return {
      migration: manifest.migration,
      tables: manifest.tables.length,
      rows: manifest.tables.reduce((n, t) => n + t.rows, 0),
      files: entries.filter((e) => e.path.startsWith('storage/')).length,
    };
  } finally {
    if (!keepStaging) await rm(staging, { recursive: true, force: true });
    lock.release();
  }
}
