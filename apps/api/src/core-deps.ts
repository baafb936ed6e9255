import { SessionTokens, type CoreDeps } from '@earshot/core';
import { createMailer } from '@earshot/mail';
import { argon2idHasher } from '@earshot/passwords';
import { MemoryRateLimiter } from '@earshot/rate-limit';
import type { ApiDeps } from './types.ts';

/**
 * The ports of every core rule, built once from the API's deps (docs/architecture.md, "Adding a
 * feature"). Composition roots pass `mailer` and `rateLimiter` (SMTP / Redis when configured);
 * tools and tests that leave them out get the in-process limiter and the file mailer, which
 * `close` releases.
 */
export function createCoreDeps(deps: ApiDeps): { core: CoreDeps; close(): Promise<void> } {
  const ownMailer = deps.mailer
    ? undefined
    : createMailer({
        smtp: deps.config.smtp,
        mailFrom: deps.config.mailFrom,
        dataDir: deps.config.dataDir,
        logger: deps.logger,
      });
  const ownLimiter = deps.rateLimiter ? undefined : new MemoryRateLimiter();
  const core: CoreDeps = {
    db: deps.infra.database.db,
    store: deps.infra.store,
    jobs: deps.infra.jobs,
    progress: deps.progress,
    media: deps.media,
    passwords: argon2idHasher,
    tokens: new SessionTokens(deps.config.auth.jwtSecret, deps.config.auth.jwtExpiresInSeconds),
    mailer: (deps.mailer ?? ownMailer)!,
    limiter: (deps.rateLimiter ?? ownLimiter)!,
    clock: () => new Date(),
    log: deps.logger,
    publicUrl: deps.config.publicUrl,
    ipHashSalt: deps.config.analytics.ipHashSalt,
    payments: deps.infra.payments ?? null,
    commerce: {
      platformFeePercent: deps.config.stripe.platformFeePercent,
      withoutConnect: deps.config.stripe.withoutConnect,
      secureLinkSecret: deps.config.media.secureLinkSecret,
      downloadUrlTtlSeconds: deps.config.media.urlTtlSeconds,
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
