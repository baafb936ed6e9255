import { ConfigError, loadConfig, type Config } from '@earshot/config';
import type { Registry } from 'prom-client';
import { createInfrastructure, type Infrastructure } from './infrastructure.ts';
import { createLogger, type Logger } from './logger.ts';
import { createLogMetrics, createMetricsRegistry } from './metrics.ts';

export interface ProductionProcess {
  config: Config;
  metrics: Registry;
  logger: Logger;
  infra: Infrastructure;
}

/**
 * How a production process (`docker compose` services `api` and `worker`) starts: the
 * configuration from the environment, its metrics registry, a logger that counts what it logs,
 * the infrastructure without migrating (`npm run migrate` does, docs/operations.md); then `start`.
 * A configuration that does not load, or a failed start, prints the reason and exits 1.
 */
export function runProductionProcess(
  service: 'api' | 'worker',
  start: (process: ProductionProcess) => Promise<void>,
): void {
  const boot = async () => {
    const config = loadConfig();
    const metrics = createMetricsRegistry(service);
    const logger = createLogger(config, service, undefined, createLogMetrics(metrics));
    const infra = await createInfrastructure(config, logger, { migrate: false });
    await start({ config, metrics, logger, infra });
  };
  boot().catch((err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  });
}
