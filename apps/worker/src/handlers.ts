import path from 'node:path';
import { MemoryListCache, runAnalyticsJob, runMediaStep, type MediaDeps, type MediaStep, type MediaToolkit } from '@earshot/core';
import type { JobHandler } from '@earshot/jobs';
import type { Config } from '@earshot/config';
import type { Infrastructure, Logger } from '@earshot/runtime';
import type { HandlerMap } from './processing.ts';

export interface HandlerDeps {
  config: Config;
  logger: Logger;
  infra: Pick<Infrastructure, 'database' | 'store' | 'jobs' | 'progress'> & Partial<Pick<Infrastructure, 'cache'>>;
  media: MediaToolkit;
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
  };
  const step =
    <Q extends MediaStep>(name: Q): JobHandler<Q> =>
    (job) =>
      runMediaStep(media, name, job.data.versionId, job);
  return {
    transcode: step('transcode'),
    waveform: step('waveform'),
    'artwork-extract': step('artwork-extract'),
    loudness: step('loudness'),
    'analytics-rollup': (job) => runAnalyticsJob(analytics, job.data),
  };
}
