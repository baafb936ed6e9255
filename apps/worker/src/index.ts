export { startProcessing, type HandlerMap } from './processing.ts';
export { startHealthServer } from './health-server.ts';
export { createHandlers, type HandlerDeps } from './handlers.ts';
export { recoverAfterCrash } from './crash-recovery.ts';
export { startMaintenance, maintenanceOptions, DEFAULT_MAINTENANCE, type MaintenanceOptions } from './maintenance.ts';
