import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { createBusinessMetrics, createCoreDeps, createHttpMetrics, startTempSweep } from '@earshot/runtime';
import { uploadTempDir } from './upload-receiver.ts';
import { TEXT_KIND_KEYWORD } from '@earshot/core';
import { clientErrorHandler, frameworkErrors, registerErrorHandling } from './plugins/error-handler.ts';
import { registerHttpMetrics } from './plugins/http-metrics.ts';
import { registerOpenApi } from './plugins/openapi.ts';
import { registerTextInput } from './plugins/text-input.ts';
import { ErrorResponse } from './schemas.ts';
import { healthRoutes } from './routes/health.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { trackRoutes } from './routes/tracks.ts';
import { publicMediaRoutes } from './routes/public-media.ts';
import { hlsMediaRoutes } from './routes/hls-media.ts';
import { commerceRoutes } from './routes/commerce.ts';
import { trackReadRoutes } from './routes/track-read.ts';
import { playRoutes } from './routes/plays.ts';
import { insightRoutes } from './routes/insights.ts';
import { trackUploadRoutes } from './routes/track-uploads.ts';
import { adminJobRoutes } from './routes/admin-jobs.ts';
import { liveEventRoutes } from './routes/live-events.ts';
import { authRoutes } from './routes/auth.ts';
import { meRoutes } from './routes/me.ts';
import { userRoutes } from './routes/users.ts';
import { adminUserRoutes } from './routes/admin-users.ts';
import { trackManageRoutes } from './routes/track-manage.ts';
import { releaseRoutes } from './routes/releases.ts';
import { playlistRoutes } from './routes/playlists.ts';
import { searchRoutes } from './routes/search.ts';
import { commentRoutes } from './routes/comments.ts';
import { commentsClosedRoutes } from './routes/comments-closed.ts';
import { socialRoutes } from './routes/social.ts';
import { feedRoutes, libraryRoutes } from './routes/feed.ts';
import { notificationRoutes } from './routes/notifications.ts';
import { moderationRoutes } from './routes/moderation.ts';
import { adminConsoleRoutes } from './routes/admin-console.ts';
import { accountDataRoutes } from './routes/account-data.ts';
import { oembedRoutes } from './routes/oembed.ts';
import { registerAccess } from './plugins/access.ts';
import { registerAuth } from './plugins/auth.ts';
import { registerRateLimits } from './plugins/rate-limit.ts';
import multipart from '@fastify/multipart';
import { registerWebSockets } from './plugins/websocket.ts';
import { httpServerTimeouts, registerRequestTimeouts } from './plugins/request-timeouts.ts';
import type { Api, ApiDeps, RouteDeps } from './types.ts';

/** JSON bodies are small; uploads go through multipart streaming with their own limit. */
const JSON_BODY_LIMIT = 1024 * 1024;

/**
 * Builds the HTTP API. Composition only: plugins, then routes; no I/O is opened here — the
 * caller owns the adapters in `deps` and closes them after `app.close()`.
 */
export async function buildApi(apiDeps: ApiDeps): Promise<Api> {
  // Business counters live in the API's registry so `/metrics` always exposes them (dashboards).
  const deps: ApiDeps = {
    ...apiDeps,
    businessMetrics: apiDeps.businessMetrics ?? createBusinessMetrics(apiDeps.metrics),
  };
  const app = Fastify({
    loggerInstance: deps.logger,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    trustProxy: deps.config.trustProxy === false ? false : deps.config.trustProxy,
    bodyLimit: JSON_BODY_LIMIT,
    // Reject ambiguous requests instead of guessing.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // Refusals made before routing, in the `{error}` shape too (plugins/error-handler.ts).
    frameworkErrors,
    clientErrorHandler,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Headers phase; the body phase is registerRequestTimeouts (docs/security.md).
    http: httpServerTimeouts(deps.config.http),
    // `x-text` chooses a string field's kind under the text rule (plugins/text-input.ts).
    ajv: {
      customOptions: {
        removeAdditional: false,
        coerceTypes: 'array',
        useDefaults: true,
        allErrors: false,
        keywords: [TEXT_KIND_KEYWORD],
      },
    },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as Api;

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addSchema(ErrorResponse);
  // Stale upload temp files (a crash, a kill) go at start and hourly: in the API and in `npm start`.
  let stopSweep: (() => void) | undefined;
  app.addHook('onReady', async () => {
    stopSweep = await startTempSweep(
      uploadTempDir(deps.config.dataDir),
      { maxAgeMs: deps.config.uploadTempMaxAgeSeconds * 1000 },
      deps.logger,
    );
  });
  app.addHook('onClose', async () => stopSweep?.());
  registerErrorHandling(app);
  // Before any route: every string a route receives goes through core's text rule.
  registerTextInput(app);
  registerHttpMetrics(app, createHttpMetrics(deps.metrics));
  registerRequestTimeouts(app, deps.config.http);
  // Before the rate-limit and access hooks: their refusals of an upgrade must close its socket.
  await registerWebSockets(app, deps.config);
  // Before any route or route-adding plugin: every route must declare `config.access`.
  const { core, close: closeCore } = createCoreDeps({ ...deps, infra: { ...deps.infra, progress: deps.progress } });
  app.addHook('onClose', closeCore);
  const routeDeps: RouteDeps = { ...deps, core };
  registerRateLimits(app, core.limiter, { apiPerMinute: deps.config.apiRateLimitPerMinute });
  await registerAuth(app);
  registerAccess(app, core, deps.config);
  await registerOpenApi(app, deps.config.publicUrl);
  // Uploads stream through busboy with per-route limits (see upload-receiver.ts).
  await app.register(multipart, { throwFileSizeLimit: true });

  healthRoutes(app, routeDeps);
  metricsRoutes(app, routeDeps);
  trackRoutes(app, routeDeps);
  trackReadRoutes(app, routeDeps);
  playRoutes(app, routeDeps);
  insightRoutes(app, routeDeps);
  trackUploadRoutes(app, routeDeps);
  adminJobRoutes(app, routeDeps);
  liveEventRoutes(app, routeDeps);
  authRoutes(app, routeDeps);
  meRoutes(app, routeDeps);
  userRoutes(app, routeDeps);
  adminUserRoutes(app, routeDeps);
  commerceRoutes(app, routeDeps);
  trackManageRoutes(app, routeDeps);
  releaseRoutes(app, routeDeps);
  playlistRoutes(app, routeDeps);
  searchRoutes(app, routeDeps);
  commentRoutes(app, routeDeps);
  commentsClosedRoutes(app, routeDeps);
  socialRoutes(app, routeDeps);
  feedRoutes(app, routeDeps);
  libraryRoutes(app, routeDeps);
  notificationRoutes(app, routeDeps);
  moderationRoutes(app, routeDeps);
  adminConsoleRoutes(app, routeDeps);
  accountDataRoutes(app, routeDeps);
  oembedRoutes(app, routeDeps);
  if (deps.serveMedia) {
    publicMediaRoutes(app, routeDeps);
    hlsMediaRoutes(app, routeDeps);
  }
  return app;
}
