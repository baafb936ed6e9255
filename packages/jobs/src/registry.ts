/**
 * The typed job registry: every queue name, its payload and its options, in one place.
 * Names are exactly those of the worker health check (docs/architecture.md, "Media pipeline").
 */
export const QUEUE_NAMES = [
  'transcode',
  'waveform',
  'waveform-cleanup',
  'artwork-extract',
  'loudness',
  'analytics-rollup',
  'payment-events',
  'download-formats',
  'email',
] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export interface JobPayloads {
  transcode: { versionId: string };
  waveform: { versionId: string };
  /** The waveforms a finished one superseded, deleted once pages that read them had time to fetch them. */
  'waveform-cleanup': { versionId: string };
  'artwork-extract': { versionId: string };
  loudness: { versionId: string };
  'analytics-rollup': { day?: string };
  /** A verified Stripe webhook event, stored in `stripe_events` by the webhook route (docs/payments.md). */
  'payment-events': { eventId: string };
  /** One download file of one version (docs/payments.md, "Downloads"). */
  'download-formats': { versionId: string; format: string };
  /** Notification email (docs/architecture.md, "Community"): one per user, kind and track per hour. */
  email: { userId: string; type: 'follow' | 'comment' | 'reply' | 'like' | 'repost'; trackId?: string };
}

export interface QueueOptions {
  /** Attempts including the first run. */
  attempts: number;
  /** First retry delay; doubles each attempt (exponential backoff). */
  backoffMs: number;
  /** A job running longer than this is considered stuck and is failed/retried. */
  timeoutMs: number;
}

export const QUEUE_OPTIONS: Record<QueueName, QueueOptions> = {
  // Media steps: 8 attempts, 5 s doubling (5 s … 320 s, about 10.5 min in all), so an object store
  // or database down for several minutes delays processing without failing it. Bad audio is a
  // permanent error and fails at once (packages/core/src/media/errors.ts), not after 8 tries.
  transcode: { attempts: 8, backoffMs: 5_000, timeoutMs: 30 * 60_000 },
  waveform: { attempts: 8, backoffMs: 5_000, timeoutMs: 15 * 60_000 },
  'waveform-cleanup': { attempts: 8, backoffMs: 5_000, timeoutMs: 60_000 },
  'artwork-extract': { attempts: 8, backoffMs: 5_000, timeoutMs: 5 * 60_000 },
  loudness: { attempts: 8, backoffMs: 5_000, timeoutMs: 15 * 60_000 },
  'analytics-rollup': { attempts: 3, backoffMs: 30_000, timeoutMs: 10 * 60_000 },
  // Stripe retries a webhook for days, but the effect must not wait on a slow mail server: many quick retries.
  'payment-events': { attempts: 8, backoffMs: 5_000, timeoutMs: 2 * 60_000 },
  'download-formats': { attempts: 4, backoffMs: 5_000, timeoutMs: 30 * 60_000 },
  email: { attempts: 5, backoffMs: 30_000, timeoutMs: 60_000 },
};

/** docs/architecture.md, "Media pipeline": transcode uses all cores but one, the rest one job per core. */
export function defaultConcurrency(queue: QueueName, cpuCount: number): number {
  if (queue === 'transcode') return Math.max(1, cpuCount - 1);
  if (queue === 'analytics-rollup') return 1;
  if (queue === 'download-formats') return Math.max(1, cpuCount - 1);
  if (queue === 'email') return 2;
  if (queue === 'waveform-cleanup') return 1;
  return Math.max(1, cpuCount);
}
