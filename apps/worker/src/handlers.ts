import {
  applyPaymentEvent,
  createNotificationDelivery,
  makeDownloadFormat,
  removeSupersededWaveforms,
  runAnalyticsJob,
  runMediaStep,
  sendNotificationEmail,
  type CoreDeps,
  type MediaStep,
} from '@earshot/core';
import type { JobHandler } from '@earshot/jobs';
import type { AnalyticsMetrics } from '@earshot/runtime';
import type { HandlerMap } from './processing.ts';

/** The ports the job handlers use, from the `CoreDeps` the composition root built once (`createCoreDeps`). */
export type HandlerDeps = Pick<
  CoreDeps,
  | 'db'
  | 'store'
  | 'jobs'
  | 'media'
  | 'progress'
  | 'scratchDir'
  | 'log'
  | 'clock'
  | 'cache'
  | 'playsRetentionDays'
  | 'mailer'
  | 'publicUrl'
  | 'unsubscribeSecret'
  | 'encodeDownload'
>;

/** Wires each queue to its service call. Handlers only wire: the rules live in `@earshot/core`. */
export function createHandlers(
  deps: HandlerDeps,
  options: {
    /** Durations of the rollup and trending steps (`createAnalyticsMetrics`). */
    analyticsMetrics?: AnalyticsMetrics;
  } = {},
): HandlerMap {
  const step =
    <Q extends MediaStep>(name: Q): JobHandler<Q> =>
    (job) =>
      runMediaStep(deps, name, job.data.versionId, job);
  // The artist's sale notification, live over the bus every API process relays (no email job: the
  // sale mail goes from the payment-events handler itself).
  const saleDelivery = createNotificationDelivery({ db: deps.db, live: deps.progress });
  return {
    transcode: step('transcode'),
    waveform: step('waveform'),
    'waveform-cleanup': async (job) => {
      await removeSupersededWaveforms(deps, job.data.versionId);
    },
    'artwork-extract': step('artwork-extract'),
    loudness: step('loudness'),
    'analytics-rollup': (job) => runAnalyticsJob({ ...deps, observe: options.analyticsMetrics?.observe }, job.data),
    'payment-events': async (job) => {
      await applyPaymentEvent({ ...deps, delivery: saleDelivery }, job.data.eventId);
    },
    'download-formats': async (job) => {
      await makeDownloadFormat(deps, job.data, job.signal, { attempt: job.attempt, maxAttempts: job.maxAttempts });
    },
    email: async (job) => {
      await sendNotificationEmail(deps, job.data);
    },
  };
}
