import { ANALYTICS_EVERY_MS, requeueStuckVersions } from '@earshot/core';
import type { Infrastructure, Logger } from '@earshot/runtime';

export interface MaintenanceOptions {
  /** A version with no progress for this long is re-queued. */
  stuckAfterMs: number;
  everyMs: number;
}

export const DEFAULT_MAINTENANCE: MaintenanceOptions = { stuckAfterMs: 30 * 60_000, everyMs: 60_000 };

/** PROCESSING_STUCK_AFTER, checked every minute or every third of it when shorter. */
export function maintenanceOptions(config: { processingStuckAfterSeconds: number }): MaintenanceOptions {
  const stuckAfterMs = config.processingStuckAfterSeconds * 1000;
  return {
    stuckAfterMs,
    everyMs: Math.max(1_000, Math.min(DEFAULT_MAINTENANCE.everyMs, Math.floor(stuckAfterMs / 3))),
  };
}

/**
 * Periodic chores of the worker: re-queue versions stuck in `processing`, and queue the
 * analytics rollup (catch-up, retention, trending) every ANALYTICS_EVERY_MS (job id per slot, so
 * several workers doing the same queue it once).
 */
export function startMaintenance(
  infra: Pick<Infrastructure, 'database' | 'jobs'>,
  logger: Logger,
  options: MaintenanceOptions = DEFAULT_MAINTENANCE,
): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const stuck = await requeueStuckVersions(infra.database.db, infra.jobs, options.stuckAfterMs);
      if (stuck.length) logger.warn({ stuck }, 're-queued versions stuck in processing');
      const slot = Math.floor(Date.now() / ANALYTICS_EVERY_MS);
      await infra.jobs.add('analytics-rollup', {}, { jobId: `rollup-slot-${slot}` });
    } catch (err) {
      logger.error({ err }, 'maintenance tick failed');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), options.everyMs);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
