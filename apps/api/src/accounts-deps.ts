import { SessionTokens, type AccountsDeps } from '@earshot/core';
import { createMailer } from '@earshot/mail';
import { argon2idHasher } from '@earshot/passwords';
import { MemoryRateLimiter } from '@earshot/rate-limit';
import type { ApiDeps } from './types.ts';

/**
 * The ports of the accounts rules, from the API's deps. Composition roots pass `mailer` and
 * `rateLimiter` (SMTP / Redis when configured); tools and tests that leave them out get the
 * in-process limiter and the file mailer, which `onClose` releases.
 */
export function createAccountsDeps(deps: ApiDeps): { accounts: AccountsDeps; close(): Promise<void> } {
  const ownMailer = deps.mailer ? undefined : createMailer({ smtp: deps.config.smtp, mailFrom: deps.config.mailFrom, dataDir: deps.config.dataDir, logger: deps.logger });
  const ownLimiter = deps.rateLimiter ? undefined : new MemoryRateLimiter();
  const accounts: AccountsDeps = {
    db: deps.infra.database.db,
    passwords: argon2idHasher,
    tokens: new SessionTokens(deps.config.auth.jwtSecret, deps.config.auth.jwtExpiresInSeconds),
    mailer: (deps.mailer ?? ownMailer)!,
    limiter: (deps.rateLimiter ?? ownLimiter)!,
    store: deps.infra.store,
    clock: () => new Date(),
    publicUrl: deps.config.publicUrl,
    log: deps.logger,
  };
  return {
    accounts,
    async close() {
      await ownMailer?.close();
      await ownLimiter?.close();
    },
  };
}
