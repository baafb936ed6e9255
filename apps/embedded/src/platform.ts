import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '@earshot/config';
import { buildApi, toErrorBody, type Api } from '@earshot/api';
import {
  createHandlers,
  maintenanceOptions,
  recoverAfterCrash,
  startMaintenance,
  startProcessing,
} from '@earshot/worker';
import {
  createAnalyticsMetrics,
  createCoreDeps,
  createInfrastructure,
  createMediaToolkit,
  createMetricsRegistry,
  registerHealthMetrics,
  mediaScratchRoot,
  registerQueueMetrics,
  type Infrastructure,
  type Logger,
} from '@earshot/runtime';
import { createMailer } from '@earshot/mail';
import { createRateLimiter } from '@earshot/rate-limit';
import { createWebHandler } from './web.ts';
import { installSecurityHeaders } from './security-headers.ts';

export const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web');

/** Paths the platform itself answers; everything else is the web app's. */
const PLATFORM_PREFIXES = ['/api/', '/media/', '/images/', '/waveforms/', '/metrics'];

/** This process's API as a loopback URL (a wildcard bind is reached on loopback). */
export function inProcessOrigin(address: AddressInfo): string {
  const wildcard = address.address === '0.0.0.0' || address.address === '::';
  const host = wildcard ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

export interface EmbeddedPlatform {
  app: Api;
  infra: Infrastructure;
  /** Stops HTTP (draining in-flight requests), then jobs, storage, database, web. */
  close(): Promise<void>;
}

/**
 * Embedded mode is a composition, not a fork: the same API, the same job handlers and the same
 * web app as production, wired to the embedded adapters (PGlite, in-database queue, local
 * folders) in one process on one port.
 */
export async function startEmbeddedPlatform(
  config: Config,
  logger: Logger,
  options: { web?: boolean; metrics?: ReturnType<typeof createMetricsRegistry> } = {},
): Promise<EmbeddedPlatform> {
  const infra = await createInfrastructure(config, logger, { migrate: true });
  const metrics = options.metrics ?? createMetricsRegistry('embedded');
  registerQueueMetrics(metrics, infra.jobs);
  registerHealthMetrics(metrics, infra);
  const media = createMediaToolkit();
  const mailer = createMailer({ smtp: config.smtp, mailFrom: config.mailFrom, dataDir: config.dataDir, logger });
  const rateLimiter = createRateLimiter({ redisUrl: config.redis.url, keyPrefix: config.redis.keyPrefix });
  const app = await buildApi({
    config,
    logger,
    infra,
    metrics,
    media,
    progress: infra.progress,
    mailer,
    rateLimiter,
    serveWorkerHealth: true,
    serveMedia: config.storage.kind === 'local',
  });
  const headersFor = installSecurityHeaders(app, config.publicUrl);
  await recoverAfterCrash(mediaScratchRoot(config), logger);
  // The worker's handlers get their ports from the same factory and the same adapters as the API's.
  const { core } = createCoreDeps({ config, logger, infra, media, mailer, rateLimiter });
  startProcessing(
    infra.jobs,
    createHandlers(core, { analyticsMetrics: createAnalyticsMetrics(metrics, infra.database.db) }),
    logger,
  );
  const stopMaintenance = startMaintenance(infra, logger, maintenanceOptions(config));

  const web = options.web === false ? undefined : await createWebHandler(WEB_DIR);
  if (web) {
    app.route({
      method: ['GET', 'HEAD'],
      url: '/*',
      config: { access: 'public' },
      schema: { hide: true },
      handler: async (request, reply) => {
        const pathname = request.url.split('?')[0] ?? '/';
        if (PLATFORM_PREFIXES.some((p) => pathname.startsWith(p)) || pathname === '/api') {
          return reply.status(404).send(toErrorBody('not_found', `No route for ${request.method} ${pathname}`));
        }
        // The page's server-side API reads forward this, so they count against the visitor's
        // rate budget, not this process's loopback address: the client as the API resolved it
        // (X-Forwarded-For believed only from TRUST_PROXY peers), never the header as sent.
        request.raw.headers['x-forwarded-for'] = request.ip;
        for (const [name, value] of Object.entries(headersFor(request))) reply.raw.setHeader(name, value);
        reply.hijack();
        await web.handle(request.raw, reply.raw);
      },
    });
  }

  await app.listen({ port: config.port, host: config.host });
  // The web app's server-side reads go to this process, at the address it listens on, never to
  // one taken from a request's Host header (apps/web/lib/server-api.ts).
  if (web) process.env.API_INTERNAL_URL = inProcessOrigin(app.server.address() as AddressInfo);
  // Absolute URLs in the pages' <head> (Open Graph, oEmbed discovery): apps/web/lib/public-url.ts.
  if (web) process.env.PUBLIC_URL ??= config.publicUrl;
  return {
    app,
    infra,
    async close() {
      stopMaintenance();
      await app.close();
      await mailer.close();
      await rateLimiter.close();
      await infra.close(config.shutdownTimeoutMs);
      await web?.close();
    },
  };
}
