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
import type { CommerceSettings } from './commerce/settings.ts';
import type { DownloadEncoder } from './commerce/downloads.ts';
import type { ListCache } from './insights/cache.ts';
import type { PaymentsGateway } from '@earshot/payments';

/** Where use cases report what an operator should see; the composition root passes its logger. */
export interface CoreLog {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

/**
 * Every port the rules of `packages/core` use, built ONCE by each composition root (the API, the
 * worker, embedded mode) with the one factory, `createCoreDeps` in `packages/runtime`, from the
 * infrastructure it chose. A use case or a job handler takes only the ports it needs —
 * `deps: Pick<CoreDeps, 'db' | 'clock'>` — so its unit test builds only those
 * (docs/architecture.md, "Adding a feature").
 */
export interface CoreDeps {
  db: Kysely<Database>;
  store: ObjectStore;
  jobs: Pick<JobQueue, 'add'>;
  /** Live events for signed-in users (`/api/v1/ws`): in process, or Redis pub/sub across processes. */
  progress: ProgressBus;
  /** ffprobe of uploads (the API); the media steps' encoders (the worker). */
  media: MediaToolkit;
  /** ffmpeg for one download file (the `download-formats` job). */
  encodeDownload: DownloadEncoder;
  /** Scratch space of ffmpeg runs (media steps, download formats); each run uses and removes its own folder. */
  scratchDir: string;
  /** Shared list cache (trending): Redis when configured, else process memory. */
  cache: ListCache;
  /** The kept candidates of track searches (docs/performance.md, "Search"): Redis when configured, else process memory. */
  searchCache: ListCache;
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
  /** Days raw plays are kept once rolled up (`PLAYS_RETENTION_DAYS`). */
  playsRetentionDays: number;
  /** Key of the one-click unsubscribe tokens in notification emails (docs/architecture.md, "Community"). */
  unsubscribeSecret: string;
  /** Stripe behind the payments port; null without keys: buying is off (docs/payments.md). */
  payments: PaymentsGateway | null;
  /** Fee, Connect policy and download URL signing (docs/payments.md). */
  commerce: CommerceSettings;
}
