import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Registry } from 'prom-client';
import type { Config } from '@earshot/config';
import type { Infrastructure, Logger } from '@earshot/runtime';
import type { CoreDeps, MediaToolkit, ProgressBus } from '@earshot/core';
import type { Mailer } from '@earshot/mail';
import type { RateLimiter } from '@earshot/rate-limit';

/** Fastify with TypeBox: one schema per route gives validation, types, serialisation and OpenAPI. */
export type Api = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** Everything the HTTP layer is given by its composition root. */
export interface ApiDeps {
  config: Config;
  logger: Logger;
  infra: Pick<Infrastructure, 'database' | 'store' | 'jobs'> & Partial<Pick<Infrastructure, 'payments' | 'cache'>>;
  metrics: Registry;
  /** The media port (`createMediaToolkit()`): the API uses its ffprobe of uploads, the worker the rest. */
  media: MediaToolkit;
  /** Live processing events relayed to uploaders over `/api/v1/ws`. */
  progress: ProgressBus;
  /** Business counters (uploads, sign-ups, plays) for the dashboards. */
  businessMetrics?: { uploads: { inc(): void }; signups: { inc(): void }; plays: { inc(): void } };
  /** Embedded mode: the one process also answers the worker's health at `/api/v1/worker/health`. */
  serveWorkerHealth?: boolean;
  /** Account mails (verification, password reset): SMTP, or the log + `<DATA_DIR>/mail/`. Default: the latter. */
  mailer?: Mailer;
  /** Rate-limit and login-lockout counters: Redis when configured, else in process. Default: in process. */
  rateLimiter?: RateLimiter;
  /** Embedded mode: public media (`/images/`, `/waveforms/`) served from storage, as nginx does in production. */
  serveMedia?: boolean;
}

/**
 * What every route module is given: the composition root's deps plus `core`, the ports of the
 * core rules built once (`createCoreDeps`, packages/runtime/src/core-deps.ts). A route module is `(app: Api, deps: RouteDeps)`.
 */
export interface RouteDeps extends ApiDeps {
  core: CoreDeps;
}
