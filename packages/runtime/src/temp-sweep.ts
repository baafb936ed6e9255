import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { removeEntries } from '@earshot/core';

/**
 * Removes the regular files in `dir` not written to for `maxAgeMs` (by mtime: an upload still
 * arriving keeps touching its file). Returns the names removed; a missing folder is empty.
 */
export async function sweepStaleFiles(dir: string, maxAgeMs: number, now = Date.now()): Promise<string[]> {
  return removeEntries(dir, async (name) => {
    const info = await stat(path.join(dir, name)).catch(() => null);
    return !!info?.isFile() && now - info.mtimeMs >= maxAgeMs;
  });
}

export interface TempSweepOptions {
  maxAgeMs: number;
  /** Default: hourly. */
  everyMs?: number;
}

/**
 * Sweeps `dir` now and every `everyMs` (the timer does not keep the process alive). Temp files
 * are removed on every refusal path already; this catches what a crash or a kill left behind.
 * Resolves, once the first sweep is done, with the function that stops it.
 */
export async function startTempSweep(
  dir: string,
  options: TempSweepOptions,
  logger: Pick<Logger, 'info' | 'warn'>,
): Promise<() => void> {
  const sweep = async () => {
    try {
      const removed = await sweepStaleFiles(dir, options.maxAgeMs);
      if (removed.length) logger.info({ dir, removed: removed.length }, 'removed stale temp files');
    } catch (err) {
      logger.warn({ err, dir }, 'temp file sweep failed');
    }
  };
  await sweep();
  const timer = setInterval(() => void sweep(), options.everyMs ?? 3_600_000);
  timer.unref();
  return () => clearInterval(timer);
}
