/** Production worker process (`docker compose` service `worker`): job handlers + `:3001` health. */
import { ConfigError, loadConfig } from '@earshot/config';
import {
  createAnalyticsMetrics,
  createCoreDeps,
  createInfrastructure,
  createLogger,
  createLogMetrics,
  createMediaToolkit,
  createMetricsRegistry,
  installShutdown,
  mediaScratchRoot,
  registerQueueMetrics,
} from '@earshot/runtime';
import { recoverAfterCrash } from './crash-recovery.ts';
import { createHandlers } from './handlers.ts';
import { startHealthServer } from './health-server.ts';
import { startProcessing } from './processing.ts';
import { maintenanceOptions, startMaintenance } from './maintenance.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const metrics = createMetricsRegistry('worker');
  const logger = createLogger(config, 'worker', undefined, createLogMetrics(metrics));
  const infra = await createInfrastructure(config, logger, { migrate: false });
  registerQueueMetrics(metrics, infra.jobs);
  // The same ports as the API's, from the same factory; the mailer is made from the configuration.
  const { core, close: closeCore } = createCoreDeps({ config, logger, infra, media: createMediaToolkit() });
  await recoverAfterCrash(mediaScratchRoot(config), logger);
  const concurrency = startProcessing(
    infra.jobs,
    createHandlers(core, { analyticsMetrics: createAnalyticsMetrics(metrics, infra.database.db) }),
    logger,
  );
  const health = await startHealthServer({
    port: config.workerHealthPort,
    host: config.host,
    jobs: infra.jobs,
    metrics,
    logger,
  });
  logger.info({ concurrency, port: config.workerHealthPort }, 'worker started');
  const stopMaintenance = startMaintenance(infra, logger, maintenanceOptions(config));
  installShutdown(
    logger,
    [
      { name: 'maintenance', run: async () => stopMaintenance() },
      { name: 'jobs', run: () => infra.close(config.shutdownTimeoutMs) },
      { name: 'mail', run: closeCore },
      { name: 'health server', run: () => new Promise<void>((resolve) => health.close(() => resolve())) },
    ],
    config.shutdownTimeoutMs,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
