import type { Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import type { Mailer } from '@earshot/mail';
import type { PasswordHasher } from '@earshot/passwords';
import type { RateLimiter } from '@earshot/rate-limit';
import type { ObjectStore } from '@earshot/storage';
import type { SessionTokens } from './session-tokens.ts';

/**
 * Every port the accounts rules use. Each service takes a `Pick` of what it needs, so a test
 * builds only those.
 */
export interface AccountsDeps {
  db: Kysely<Database>;
  passwords: PasswordHasher;
  tokens: SessionTokens;
  mailer: Mailer;
  limiter: RateLimiter;
  store: Pick<ObjectStore, 'put' | 'delete'>;
  clock: () => Date;
  /** Base of links in mails (`PUBLIC_URL`). */
  publicUrl: string;
  /** Where a mail that could not be sent is reported (the request still succeeds). */
  log?: { warn(obj: Record<string, unknown>, msg: string): void };
}
