import type { ListCache } from './cache.ts';
import { rollupDay as rollupPlatformDay } from '../analytics/daily-rollup.ts';
import { rollupInsightsDay, runRollup, type RollupDeps } from './rollup.ts';
import { recomputeTrending } from './trending.ts';

/** How often the worker queues the rollup and trending recompute (docs/architecture.md, "Insights and trending"). */
export const ANALYTICS_EVERY_MS = 5 * 60_000;

/**
 * One `analytics-rollup` job. With a day: recompute that day's figures (platform, tracks,
 * artists). Without: catch up every day since the last run (backfill on the first), apply the
 * retention of raw plays, recompute trending and clear the cached lists.
 */
export async function runAnalyticsJob(
  deps: RollupDeps & {
    cache: ListCache;
    /** How long each step of a scheduled run took, in seconds (the worker's metrics). */
    observe?: (step: 'rollup' | 'trending', seconds: number) => void;
  },
  payload: { day?: string },
): Promise<void> {
  if (payload.day !== undefined) {
    await rollupInsightsDay(deps, payload.day);
    await rollupPlatformDay(deps.db, payload.day);
    return;
  }
  let t0 = performance.now();
  await runRollup(deps);
  deps.observe?.('rollup', (performance.now() - t0) / 1000);
  t0 = performance.now();
  await recomputeTrending(deps);
  deps.observe?.('trending', (performance.now() - t0) / 1000);
}
