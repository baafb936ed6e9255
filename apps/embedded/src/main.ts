/** `npm start`: the whole platform in one process on one port (docs/architecture.md, "Running modes", embedded mode). */
import { ConfigError, describeMode, loadConfig } from '@earshot/config';
import { createLogger, createLogMetrics, createMetricsRegistry, installShutdown } from '@earshot/runtime';
import { startEmbeddedPlatform } from './platform.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const metrics = createMetricsRegistry('embedded');
  const logger = createLogger(config, 'embedded', undefined, createLogMetrics(metrics));
  const platform = await startEmbeddedPlatform(config, logger, { metrics });
  installShutdown(logger, [{ name: 'platform', run: () => platform.close() }], config.shutdownTimeoutMs);
  logger.info(
    { url: `http://localhost:${config.port}`, mode: describeMode(config), dataDir: config.dataDir },
    'Earshot is running',
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
