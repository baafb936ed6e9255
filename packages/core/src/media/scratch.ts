import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { processAlive } from '@earshot/db';
import type { ObjectStore } from '@earshot/storage';

/**
 * Scratch space of job runs lives under `<tmpDir>/<host>.<pid>/`: a folder per worker process, so
 * the folders of a process that died (SIGKILL, OOM, power loss) can be told from those of a live
 * one and removed at the next start (`reclaimScratch`). The host name keeps processes of several
 * containers sharing one volume apart.
 */
export function processScratchDir(tmpDir: string, pid = process.pid, host = os.hostname()): string {
  return path.join(tmpDir, `${host}.${pid}`);
}

/** A private scratch folder for one job run, removed afterwards whatever happens. */
export async function withScratch<T>(tmpDir: string, label: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const own = processScratchDir(tmpDir);
  await mkdir(own, { recursive: true });
  const dir = await mkdtemp(path.join(own, `${label}-`));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Removes the scratch folders of dead processes of this host (and folders of the layout before
 * per-process folders, which no live process uses). Returns the folders it removed. Call it at
 * start, after the orphaned tools that wrote into them were killed.
 */
export async function reclaimScratch(tmpDir: string, host = os.hostname()): Promise<string[]> {
  return removeEntries(tmpDir, (name) => {
    const own = /^(.+)\.(\d+)$/.exec(name);
    return own
      ? own[1] === host && Number(own[2]) !== process.pid && !processAlive(Number(own[2]))
      : /^[a-z-]+-\d+-[A-Za-z0-9]{6}$/.test(name);
  });
}

/**
 * Removes the entries of `dir` that `pick` chooses, folders with what they hold, one after the
 * other; returns their names. A missing folder has none.
 */
export async function removeEntries(
  dir: string,
  pick: (name: string) => boolean | Promise<boolean>,
): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!(await pick(name))) continue;
    await rm(path.join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/**
 * A seekable local file of the original (ffmpeg needs one for MP4/M4A): the stored file itself
 * when the store keeps files locally, else a copy streamed into the scratch folder.
 */
export async function fetchOriginal(
  store: ObjectStore,
  key: string,
  dir: string,
  signal: AbortSignal,
): Promise<string> {
  if (store.localPath) return store.localPath('originals', key);
  const file = path.join(dir, `input${path.extname(key)}`);
  const object = await store.get('originals', key);
  await pipeline(object.body, createWriteStream(file), { signal });
  return file;
}
