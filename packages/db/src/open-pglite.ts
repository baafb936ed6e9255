import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_EXTENSIONS } from './pglite-extensions.ts';
import { lockPglite, type PgliteLock } from './pglite-lock.ts';
import { upgradePgliteDataDir, type UpgradeLog } from './pglite-upgrade.ts';

export interface OpenedPglite {
  pglite: PGlite;
  /** Releases the folder's lock; call after `pglite.close()`. */
  release(): void;
}

const toStderr: UpgradeLog = (message, fields) => process.stderr.write(`${message} ${JSON.stringify(fields)}\n`);

/**
 * Opens the embedded database in `dir` for this process alone: takes the folder's lock (refused
 * while a server or another command holds it), upgrades a PostgreSQL 17 folder first, then
 * starts PGlite. `memory://…` needs neither lock nor upgrade.
 */
export async function openPglite(dir: string, log: UpgradeLog = toStderr, template?: Blob): Promise<OpenedPglite> {
  if (template && !dir.startsWith('memory://')) throw new Error('a PGlite template is for in-memory databases only');
  let lock: PgliteLock | undefined;
  try {
    if (!dir.startsWith('memory://')) {
      mkdirSync(path.dirname(dir), { recursive: true });
      lock = lockPglite(dir);
      await upgradePgliteDataDir(dir, log);
      mkdirSync(dir, { recursive: true });
    }
    const pglite = await PGlite.create(dir, {
      extensions: PGLITE_EXTENSIONS,
      ...(template ? { loadDataDir: template } : {}),
      parsers: { 20: (v: string) => v, 1700: (v: string) => v },
    });
    return { pglite, release: () => lock?.release() };
  } catch (err) {
    lock?.release();
    throw err;
  }
}
