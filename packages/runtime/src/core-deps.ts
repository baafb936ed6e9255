import path from 'node:path';
import type { Config } from '@earshot/config';
import { MemoryListCache, SessionTokens, type CoreDeps, type MediaToolkit } from '@earshot/core';
import { createMailer, type Mailer } from '@earshot/mail';
import { makeDownloadFile } from '@earshot/media';
import { argon2idHasher } from '@earshot/passwords';
import { MemoryRateLimiter, type RateLimiter } from '@earshot/rate-limit';
import type { Infrastructure } from './infrastructure.ts';
import type { Logger } from './logger.ts';

export interface CoreDepsInput {
  config: Config;
  logger: Logger;
  infra: Pick<Infrastructure, 'database' | 'store' | 'jobs' | 'progress'> &
    Partial<Pick<Infrastructure, 'payments' | 'cache' | 'searchCache'>>;
  media: MediaToolkit;
  /** SMTP or the mail folder; made from the configuration (and closed by `close`) when not given. */
  mailer?: Mailer;
  /** Redis when configured; the in-process limiter (closed by `close`) when not given. */
  rateLimiter?: RateLimiter;
}

/** Where ffmpeg runs keep their scratch folders (one per process below it, `packages/core/src/media/scratch.ts`). */
export function mediaScratchRoot(config: Pick<Config, 'dataDir'>): string {
  return path.join(config.dataDir, 'tmp', 'media');
}

/**
 * The ports of every core rule, built once by each composition root — the API
 * (`apps/api/src/app.ts`), the worker (`apps/worker/src/main.ts`), embedded mode — from the
 * infrastructure it chose (docs/architecture.md, "Adding a feature"). Roots pass `mailer` and
 * `rateLimiter` (SMTP / Redis when configured); tools and tests that leave them out get the file
 * mailer and the in-process limiter, which `close` releases.
 */
export function createCoreDeps(input: CoreDepsInput): { core: CoreDeps; close(): Promise<void> } {
  const { config, logger, infra } = input;
  const ownMailer = input.mailer
    ? undefined
    : createMailer({ smtp: config.smtp, mailFrom: config.mailFrom, dataDir: config.dataDir, logger });
  const ownLimiter = input.rateLimiter ? undefined : new MemoryRateLimiter();
  const core: CoreDeps = {
    db: infra.database.db,
    store: infra.store,
    jobs: infra.jobs,
    progress: infra.progress,
    media: input.media,
    encodeDownload: (options, signal) => makeDownloadFile(options, { signal }),
    scratchDir: mediaScratchRoot(config),
    // The cache the API reads and the rollup clears: shared through Redis, or this process's.
    cache: infra.cache ?? new MemoryListCache(),
    searchCache: infra.searchCache ?? new MemoryListCache(Date.now, 2_000),
    passwords: argon2idHasher,
    tokens: new SessionTokens(config.auth.jwtSecret, config.auth.jwtExpiresInSeconds),
    mailer: (input.mailer ?? ownMailer)!,
    limiter: (input.rateLimiter ?? ownLimiter)!,
    clock: () => new Date(),
    log: logger,
    publicUrl: config.publicUrl,
    ipHashSalt: config.analytics.ipHashSalt,
    playsRetentionDays: config.analytics.playsRetentionDays,
    // Signed with the session secret (docs/architecture.md, "Community").
    unsubscribeSecret: config.auth.jwtSecret,
    payments: infra.payments ?? null,
    commerce: {
      platformFeePercent: config.stripe.platformFeePercent,
      withoutConnect: config.stripe.withoutConnect,
      secureLinkSecret: config.media.secureLinkSecret,
      downloadUrlTtlSeconds: config.media.urlTtlSeconds,
    },
  };
  return {
    core,
    async close() {
      await ownMailer?.close();
      await ownLimiter?.close();
    },
  };
}
