/**
 * Production API process (`docker compose` service `api`): HTTP only; the worker runs apart.
 * Migrations are applied by `npm run migrate` (docs/operations.md), not at boot.
 */
import { createMediaToolkit, installShutdown, registerHealthMetrics, runProductionProcess } from '@earshot/runtime';
import { createMailer } from '@earshot/mail';
import { createRateLimiter } from '@earshot/rate-limit';
import { buildApi } from './app.ts';

runProductionProcess('api', async ({ config, metrics, logger, infra }) => {
  registerHealthMetrics(metrics, infra);
  const mailer = createMailer({ smtp: config.smtp, mailFrom: config.mailFrom, dataDir: config.dataDir, logger });
  const rateLimiter = createRateLimiter({
    redisUrl: config.redis.url,
    keyPrefix: config.redis.keyPrefix,
    onDegraded: (degraded, err) =>
      degraded
        ? logger.warn(
            { err: err instanceof Error ? err.message : undefined },
            'rate limits: Redis unavailable, counting in this process until it is back',
          )
        : logger.info('rate limits: Redis is back, counting shared again'),
  });
  const app = await buildApi({
    config,
    logger,
    infra,
    metrics,
    media: createMediaToolkit(),
    progress: infra.progress,
    mailer,
    rateLimiter,
    serveMedia: config.storage.kind === 'local',
  });
  installShutdown(
    logger,
    [
      { name: 'http', run: () => app.close() },
      {
        name: 'mail and rate limits',
        run: async () => {
          await mailer.close();
          await rateLimiter.close();
        },
      },
      { name: 'infrastructure', run: () => infra.close(config.shutdownTimeoutMs) },
    ],
    config.shutdownTimeoutMs,
  );
  await app.listen({ port: config.port, host: config.host });
});
