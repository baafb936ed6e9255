import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';

/**
 * PGlite is one Postgres in one process: two processes (or two instances) on one folder corrupt
 * it. Whoever opens the embedded database holds `<folder>.lock` (`DATA_DIR/pglite.lock`), a small
 * JSON file naming its process; anyone else is refused with that name. A lock left by a process
 * that no longer runs (killed, crashed) is taken over.
 */
export class DatabaseInUseError extends Error {
  constructor(
    readonly lockPath: string,
    readonly holder: LockHolder,
  ) {
    super(
      `the embedded database is in use by process ${holder.pid} on ${holder.host} (since ${holder.since}): stop the server first ` +
        `(Ctrl-C in its terminal, or \`kill -TERM ${holder.pid}\`); ${lockPath} names the process holding it`,
    );
    this.name = 'DatabaseInUseError';
  }
}

export interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

export interface PgliteLock {
  release(): void;
}

export const lockPathOf = (pgliteDir: string) => `${pgliteDir.replace(/\/+$/, '')}.lock`;

/** Is process `pid` of this host alive? (EPERM: it is, under another user.) */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(lockPath: string): LockHolder | undefined {
  try {
    const h = JSON.parse(readFileSync(lockPath, 'utf8')) as Partial<LockHolder>;
    return Number.isSafeInteger(h.pid) && typeof h.host === 'string'
      ? { pid: h.pid!, host: h.host, since: String(h.since) }
      : undefined;
  } catch {
    return undefined;
  }
}

/** The process holding the folder, or undefined when nobody (alive) does. */
export function pgliteHolder(pgliteDir: string): LockHolder | undefined {
  const holder = readHolder(lockPathOf(pgliteDir));
  if (!holder) return undefined;
  // Another machine's process cannot be checked: a folder on shared storage counts as held.
  return holder.host !== os.hostname() || processAlive(holder.pid) ? holder : undefined;
}

/** Takes the folder's lock or throws DatabaseInUseError. */
export function lockPglite(pgliteDir: string): PgliteLock {
  const lockPath = lockPathOf(pgliteDir);
  const me: LockHolder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      try {
        writeSync(fd, JSON.stringify(me));
      } finally {
        closeSync(fd);
      }
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = pgliteHolder(pgliteDir);
      if (holder || attempt > 0)
        throw new DatabaseInUseError(lockPath, holder ?? readHolder(lockPath) ?? { pid: 0, host: '?', since: '?' });
      unlinkSync(lockPath); // left by a process that is gone
    }
  }
  const release = () => {
    process.off('exit', release);
    if (readHolder(lockPath)?.pid !== process.pid) return;
    try {
      unlinkSync(lockPath);
    } catch {
      // already gone
    }
  };
  process.on('exit', release);
  return { release };
}
