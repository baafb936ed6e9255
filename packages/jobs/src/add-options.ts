import type { AddOptions } from './queue-port.ts';
import type { QueueOptions } from './registry.ts';

export interface ResolvedAddOptions {
  jobId: string | undefined;
  delayMs: number;
  attempts: number;
  backoffMs: number;
}

/**
 * Validates `add` options against the queue's defaults. Job ids follow BullMQ's rules in both
 * adapters (not all digits, no `:`), so an id that works embedded also works on Redis.
 */
export function resolveAddOptions(options: AddOptions | undefined, defaults: QueueOptions): ResolvedAddOptions {
  const jobId = options?.jobId;
  if (jobId !== undefined) {
    if (typeof jobId !== 'string' || jobId.length === 0) throw new TypeError('jobId must be a non-empty string');
    if (/^-?\d+$/.test(jobId)) throw new TypeError(`jobId "${jobId}" must not be an integer`);
    if (jobId.includes(':')) throw new TypeError(`jobId "${jobId}" must not contain ":"`);
  }
  const attempts = options?.attempts ?? defaults.attempts;
  if (!Number.isInteger(attempts) || attempts < 1) throw new TypeError('attempts must be an integer >= 1');
  const backoffMs = options?.backoffMs ?? defaults.backoffMs;
  if (!Number.isInteger(backoffMs) || backoffMs < 0) throw new TypeError('backoffMs must be an integer >= 0');
  const delayMs = options?.delayMs ?? 0;
  if (!Number.isFinite(delayMs) || delayMs < 0) throw new TypeError('delayMs must be a number >= 0');
  return { jobId, delayMs: Math.round(delayMs), attempts, backoffMs };
}

/** Progress is a percentage: finite, clamped to 0–100. */
export function normaliseProgress(progress: number): number {
  if (typeof progress !== 'number' || !Number.isFinite(progress))
    throw new TypeError('progress must be a finite number');
  return Math.min(100, Math.max(0, progress));
}
