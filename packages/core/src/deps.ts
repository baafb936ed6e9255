import type { Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import type { JobQueue } from '@earshot/jobs';
import type { Mailer } from '@earshot/mail';
import type { PasswordHasher } from '@earshot/passwords';
import type { RateLimiter } from '@earshot/rate-limit';
import type { ObjectStore } from '@earshot/storage';
import type { SessionTokens } from './accounts/session-tokens.ts';
import type { MediaToolkit } from './media/media-toolkit.ts';
import type { ProgressBus } from './media/progress-bus.ts';

/** Where use cases report what an operator should see; the composition root passes its logger. */
export interface CoreLog {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

/**
 * Every port the rules of `packages/core` use, built ONCE by a composition root
 * (`apps/api/src/core-deps.ts` for HTTP) from the infrastructure it chose. A use case takes only
 * the ports it needs — `deps: Pick<CoreDeps, 'db' | 'clock'>` — so its unit test builds only
 * those (docs/architecture.md, "Adding a feature").
 */
export interface CoreDeps {
  db: Kysely<Database>;
  store: ObjectStore;
  jobs: Pick<JobQueue, 'add'>;
  /** Live events for signed-in users (`/api/v1/ws`): in process, or Redis pub/sub across processes. */
  progress: ProgressBus;
  media: Pick<MediaToolkit, 'probe'>;
  mailer: Mailer;
  limiter: RateLimiter;
  passwords: PasswordHasher;
  tokens: SessionTokens;
  clock: () => Date;
  log: CoreLog;
  /** Base of links in mails and shares (`PUBLIC_URL`). */
  publicUrl: string;
  /** Key of the salted client-IP hashes (`IP_HASH_SALT`). */
  ipHashSalt: string;
}
