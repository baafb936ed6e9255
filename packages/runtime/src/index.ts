export { createLogger, type Logger, type LogObserver } from './logger.ts';
export { createInfrastructure, type Infrastructure, type InfrastructureOptions } from './infrastructure.ts';
export { checkHealth, type HealthCheck, type HealthReport } from './health.ts';
export { workerHealth, FAILED_JOBS_UNHEALTHY_ABOVE, type WorkerHealth } from './worker-health.ts';
export {
  createMetricsRegistry,
  createHttpMetrics,
  createLogMetrics,
  registerHealthMetrics,
  registerQueueMetrics,
  type HttpMetrics,
} from './metrics.ts';
export { createBusinessMetrics, BUSINESS_METRIC_NAMES, type BusinessMetrics } from './business-metrics.ts';
export {
  createAnalyticsMetrics,
  ANALYTICS_METRIC_NAMES,
  type AnalyticsMetrics,
  type AnalyticsStep,
} from './analytics-metrics.ts';
export { installShutdown, type ShutdownStep } from './shutdown.ts';
export { createMediaToolkit } from './media-toolkit.ts';
export { RedisProgressBus } from './redis-progress-bus.ts';
export { sweepStaleFiles, startTempSweep, type TempSweepOptions } from './temp-sweep.ts';
export { RedisListCache } from './redis-list-cache.ts';
export { createCoreDeps, mediaScratchRoot, type CoreDepsInput } from './core-deps.ts';
export { runProductionProcess, type ProductionProcess } from './production-process.ts';
