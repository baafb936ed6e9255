/** Production worker process (`docker compose` service `worker`): job handlers + `:3001` health. */
import {
  createAnalyticsMetrics,
  createCoreDeps,
  createMediaToolkit,
  installShutdown,
  mediaScratchRoot,
  registerQueueMetrics,
  runProductionProcess,
} from '@earshot/runtime';
import { recoverAfterCrash } from './crash-recovery.ts';
import { createHandlers } from './handlers.ts';
import { startHealthServer } from './health-server.ts';
import { startProcessing } from './processing.ts';
import { maintenanceOptions, startMaintenance } from './maintenance.ts';

runProductionProcess('worker', async ({ config, metrics, logger, infra }) => {
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
});
