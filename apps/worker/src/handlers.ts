import path from 'node:path';
import {
  applyPaymentEvent,
  makeDownloadFormat,
  MemoryListCache,
  runAnalyticsJob,
  runMediaStep,
  sendNotificationEmail,
  type MediaDeps,
  type MediaStep,
  type MediaToolkit,
} from '@earshot/core';
import { createMailer, type Mailer } from '@earshot/mail';
import { makeDownloadFile } from '@earshot/media';
import type { JobHandler } from '@earshot/jobs';
import type { Config } from '@earshot/config';
import type { AnalyticsMetrics, Infrastructure, Logger } from '@earshot/runtime';
import type { HandlerMap } from './processing.ts';

export interface HandlerDeps {
  config: Config;
  logger: Logger;
  infra: Pick<Infrastructure, 'database' | 'store' | 'jobs' | 'progress'> & Partial<Pick<Infrastructure, 'cache'>>;
  media: MediaToolkit;
  /** Receipts, sale mails (payment-events) and notification emails; made from the configuration (SMTP or the mail folder) when not given. */
  mailer?: Mailer;
  /** Durations of the rollup and trending steps (`createAnalyticsMetrics`). */
  analyticsMetrics?: AnalyticsMetrics;
}

/** Where media jobs keep their scratch folders (one per worker process below it). */
export function mediaScratchRoot(config: Pick<Config, 'dataDir'>): string {
  return path.join(config.dataDir, 'tmp', 'media');
}

export function mediaDeps(deps: HandlerDeps): MediaDeps {
  return {
    db: deps.infra.database.db,
    store: deps.infra.store,
    jobs: deps.infra.jobs,
    media: deps.media,
    progress: deps.infra.progress,
    tmpDir: mediaScratchRoot(deps.config),
    warn: (fields, message) => deps.logger.warn(fields, message),
  };
}

/** Wires each queue to its service call. Handlers only wire: the rules live in `@earshot/core`. */
export function createHandlers(deps: HandlerDeps): HandlerMap {
  const media = mediaDeps(deps);
  // The cache the API reads (shared through Redis, or this process's in embedded mode).
  const analytics = {
    db: deps.infra.database.db,
    cache: deps.infra.cache ?? new MemoryListCache(),
    clock: () => new Date(),
    playsRetentionDays: deps.config.analytics.playsRetentionDays,
    observe: deps.analyticsMetrics?.observe,
  };
  const step =
    <Q extends MediaStep>(name: Q): JobHandler<Q> =>
    (job) =>
      runMediaStep(media, name, job.data.versionId, job);
  let mailer = deps.mailer;
  const mail = () =>
    (mailer ??= createMailer({
      smtp: deps.config.smtp,
      mailFrom: deps.config.mailFrom,
      dataDir: deps.config.dataDir,
      logger: deps.logger,
    }));
  return {
    transcode: step('transcode'),
    waveform: step('waveform'),
    'artwork-extract': step('artwork-extract'),
    loudness: step('loudness'),
    'analytics-rollup': (job) => runAnalyticsJob(analytics, job.data),
    'payment-events': async (job) => {
      await applyPaymentEvent(
        {
          db: deps.infra.database.db,
          clock: () => new Date(),
          log: deps.logger,
          mailer: mail(),
          publicUrl: deps.config.publicUrl,
        },
        job.data.eventId,
      );
    },
    'download-formats': async (job) => {
      await makeDownloadFormat(
        {
          db: deps.infra.database.db,
          store: deps.infra.store,
          clock: () => new Date(),
          tmpDir: mediaScratchRoot(deps.config),
          encode: (o, signal) => makeDownloadFile(o, { signal }),
        },
        job.data,
        job.signal,
      );
    },
    email: async (job) => {
      // The unsubscribe links are signed with a key derived from the session secret (docs/architecture.md, "Community").
      await sendNotificationEmail(
        {
          db: deps.infra.database.db,
          mailer: mail(),
          publicUrl: deps.config.publicUrl,
          unsubscribeSecret: deps.config.auth.jwtSecret,
        },
        job.data,
      );
    },
  };
}
