import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ObjectStore } from '@earshot/storage';

/** A private scratch folder for one job run, removed afterwards whatever happens. */
export async function withScratch<T>(tmpDir: string, label: string, fn: (dir: string) => Promise<T>): Promise<T> {
  await mkdir(tmpDir, { recursive: true });
  const dir = await mkdtemp(path.join(tmpDir, `${label}-`));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A seekable local file of the original (ffmpeg needs one for MP4/M4A): the stored file itself
 * when the store keeps files locally, else a copy streamed into the scratch folder.
 */
export async function fetchOriginal(store: ObjectStore, key: string, dir: string, signal: AbortSignal): Promise<string> {
  if (store.localPath) return store.localPath('originals', key);
  const file = path.join(dir, `input${path.extname(key)}`);
  const object = await store.get('originals', key);
  await pipeline(object.body, createWriteStream(file), { signal });
  return file;
}
