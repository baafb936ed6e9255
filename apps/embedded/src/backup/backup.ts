import { existsSync } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '@earshot/config';
import { exportDatabase, openPglite, PGLITE_PG_MAJOR, type SequenceCopy } from '@earshot/db';
import { ArchiveWriter } from './archive.ts';

/** Version of the backup layout; restore refuses any other. */
export const BACKUP_FORMAT = 1;
export const BACKUP_KIND = 'earshot-embedded-backup';
/** Folders of the local object store that hold no object: uploads being written. */
const STORAGE_SKIP = new Set(['.earshot-tmp']);
/** Files of DATA_DIR that belong to a backup besides the database and storage. */
export const DATA_FILES = ['secrets.json'] as const;

export interface BackupManifest {
  kind: typeof BACKUP_KIND;
  format: number;
  createdAt: string;
  /** PostgreSQL major of the PGlite that made it (information: the copy is logical, any major loads it). */
  postgresMajor: number;
  migration: string | null;
  tables: Array<{ name: string; columns: string[]; rows: number; path: string }>;
  sequences: SequenceCopy[];
  /** Every entry of the archive but the manifest. */
  entries: Array<{ path: string; size: number; sha256: string }>;
}

export interface BackupResult {
  file: string;
  bytes: number;
  tables: number;
  rows: number;
  files: number;
}

/** Embedded mode only: DATABASE_URL unset and local storage. */
export function assertEmbedded(
  config: Config,
): asserts config is Config & { storage: { kind: 'local'; root: string } } {
  if (config.database.url)
    throw new Error(
      'DATABASE_URL is set: this is the embedded backup; production uses scripts/backup-db.sh and scripts/backup-minio.sh (docs/operations.md)',
    );
  if (config.storage.kind !== 'local')
    throw new Error(
      'MINIO_ENDPOINT is set: the embedded backup covers local storage only; use scripts/backup-minio.sh for S3 (docs/operations.md)',
    );
}

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
export const defaultBackupFile = (dataDir: string, now = new Date()) =>
  path.join(dataDir, 'backups', `earshot-${stamp(now)}.earshot-backup`);

async function* walk(root: string, rel = ''): AsyncGenerator<string> {
  const entries = await readdir(path.join(root, rel), { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (!STORAGE_SKIP.has(e.name)) yield* walk(root, r);
    } else if (e.isFile()) yield r;
  }
}

/**
 * Writes one archive of the embedded data: the database (a logical copy, logical-copy.ts, made
 * in one snapshot), every file of the local storage and DATA_DIR/secrets.json. The server must be
 * stopped: the database's lock is taken for the whole backup, so nothing writes meanwhile and
 * database and files match; a running server makes this fail with "stop the server first".
 */
export async function createBackup(config: Config, file = defaultBackupFile(config.dataDir)): Promise<BackupResult> {
  assertEmbedded(config);
  if (!existsSync(path.join(config.database.pgliteDir, 'PG_VERSION')))
    throw new Error(`no embedded database in ${config.database.pgliteDir}: nothing to back up`);
  const target = path.resolve(file);
  if (target.startsWith(path.resolve(config.storage.root) + path.sep))
    throw new Error('the backup file cannot be inside the storage folder it backs up');
  await mkdir(path.dirname(target), { recursive: true });
  const { pglite, release } = await openPglite(config.database.pgliteDir);
  let writer: ArchiveWriter | undefined;
  try {
    const copy = await exportDatabase(pglite);
    writer = await ArchiveWriter.create(target);
    const tables: BackupManifest['tables'] = [];
    for (const t of copy.tables) {
      const p = `db/${t.name}.csv`;
      await writer.addBytes(p, t.csv);
      tables.push({ name: t.name, columns: t.columns, rows: t.rows, path: p });
    }
    let files = 0;
    for await (const rel of walk(config.storage.root)) {
      await writer.addFile(`storage/${rel}`, path.join(config.storage.root, rel));
      files++;
    }
    for (const name of DATA_FILES) {
      const f = path.join(config.dataDir, name);
      if (existsSync(f)) await writer.addFile(name, f);
    }
    const manifest: BackupManifest = {
      kind: BACKUP_KIND,
      format: BACKUP_FORMAT,
      createdAt: new Date().toISOString(),
      postgresMajor: PGLITE_PG_MAJOR,
      migration: copy.migration,
      tables,
      sequences: copy.sequences,
      entries: [...writer.entries],
    };
    await writer.finish(manifest);
    return {
      file: target,
      bytes: (await stat(target)).size,
      tables: tables.length,
      rows: copy.tables.reduce((n, t) => n + t.rows, 0),
      files,
    };
  } catch (err) {
    await writer?.abort();
    throw err;
  } finally {
    await pglite.close();
    release();
  }
}
