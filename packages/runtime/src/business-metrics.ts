import { Counter, type Registry } from 'prom-client';

/**
 * Business counters behind Grafana's "Business metrics" dashboard (docs/operations.md, "Monitoring": uploads/day,
 * plays/day, new users/day). The dashboard shows `increase(<name>[1d])` summed over every
 * process, so each counter only ever goes up, has no labels (bounded cardinality), and is
 * incremented once per event where it happens: an accepted upload, a sign-up, a counted play.
 *
 * Idempotent per registry: a second call returns the counters already registered, so the
 * composition root and `buildApi` may both ask for them.
 */
export function createBusinessMetrics(registry: Registry): BusinessMetrics {
  return {
    uploads: counter(
      registry,
      'earshot_uploads_total',
      'Masters accepted for processing (new tracks and new versions)',
    ),
    signups: counter(registry, 'earshot_signups_total', 'Accounts registered'),
    plays: counter(
      registry,
      'earshot_plays_total',
      'Plays counted (once per listener per track per 30 minutes, after 30 s listened)',
    ),
  };
}

export interface BusinessMetrics {
  uploads: Counter;
  signups: Counter;
  plays: Counter;
}

/** Metric names, for the dashboards and their test. */
export const BUSINESS_METRIC_NAMES = ['earshot_uploads_total', 'earshot_signups_total', 'earshot_plays_total'] as const;

function counter(registry: Registry, name: string, help: string): Counter {
  const existing = registry.getSingleMetric(name);
  if (existing) {
    if (!(existing instanceof Counter)) throw new Error(`metric ${name} is already registered and is not a counter`);
    return existing as Counter;
  }
  return new Counter({ name, help, registers: [registry] });
}
