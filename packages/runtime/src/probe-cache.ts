import { stat } from 'node:fs/promises';

/**
 * One probe per file version, shared: the media steps of a version start together and, on local
 * storage, read the same original in place. Most take what they need from the version row; those
 * that must probe (artwork, versions stored before the row kept the audio stream) would otherwise
 * run identical ffprobes (~130 ms of CPU each) just when the cores are busiest. The key is the path with its size, mtime
 * and inode, so a replaced file is probed again; a failed probe is not kept. The shared probe runs
 * without any one caller's signal (one step being cancelled must not fail the others); each caller
 * still stops waiting when its own signal fires.
 */
export function sharedProbe<T>(
  probe: (file: string) => Promise<T>,
  maxEntries = 16,
): (file: string, signal?: AbortSignal) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return async (file, signal) => {
    signal?.throwIfAborted();
    const s = await stat(file);
    const key = `${file}\0${s.size}\0${s.mtimeMs}\0${s.ino}`;
    let pending = cache.get(key);
    if (!pending) {
      pending = probe(file);
      cache.set(key, pending);
      pending.catch(() => cache.delete(key));
      while (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
    }
    if (!signal) return pending;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      pending.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  };
}
