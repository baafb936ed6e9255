import { Gauge, Histogram, type Registry } from 'prom-client';
import { sql, type Kysely } from 'kysely';
import type { Database } from '@earshot/db';

/**
 * The worker's analytics metrics, behind the "Plays and analytics" row of Grafana's business
 * dashboard (docs/operations.md, "Monitoring"):
 * - `earshot_rollup_lag_seconds`: seconds since the daily rollup last finished a run (its
 *   `rollup_progress` row), read from the database at scrape time, so it keeps growing while no
 *   worker runs it and survives restarts; NaN (no value in Grafana) before the first run;
 * - `earshot_analytics_step_seconds{step="rollup"|"trending"}`: how long each run of the rollup
 *   (catch-up and retention) and of the trending recompute took.
 *
 * Idempotent per registry, like the business counters.
 */
export interface AnalyticsMetrics {
  /** Records one run of a step (seconds). */
  observe(step: AnalyticsStep, seconds: number): void;
}
export type AnalyticsStep = 'rollup' | 'trending';

export const ANALYTICS_METRIC_NAMES = ['earshot_rollup_lag_seconds', 'earshot_analytics_step_seconds'] as const;

export function createAnalyticsMetrics(registry: Registry, db: Kysely<Database>): AnalyticsMetrics {
  const existing = registry.getSingleMetric('earshot_analytics_step_seconds');
  const steps =
    (existing as Histogram<'step'> | undefined) ??
    new Histogram({
      name: 'earshot_analytics_step_seconds',
      help: 'Duration of each analytics step run: the daily rollup, the trending recompute',
      labelNames: ['step'] as const,
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
      registers: [registry],
    });
  if (!registry.getSingleMetric('earshot_rollup_lag_seconds'))
    new Gauge({
      name: 'earshot_rollup_lag_seconds',
      help: 'Seconds since the daily rollup last finished a run (NaN before its first run)',
      registers: [registry],
      async collect() {
        const row = (
          await sql<{ lag: number | string | null }>`
            select extract(epoch from (now() - max(updated_at)))::float8 as lag from rollup_progress`.execute(db)
        ).rows[0];
        this.set(row?.lag === null || row?.lag === undefined ? Number.NaN : Math.max(0, Number(row.lag)));
      },
    });
  // The label values exist before the first run, so a dashboard shows 0 runs, not "no data".
  for (const step of ['rollup', 'trending'] as const) steps.zero({ step });
  return { observe: (step, seconds) => steps.observe({ step }, seconds) };
}
