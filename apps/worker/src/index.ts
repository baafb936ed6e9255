export { startProcessing, type HandlerMap } from './processing.ts';
export { startHealthServer } from './health-server.ts';
export { createHandlers, mediaDeps, type HandlerDeps } from './handlers.ts';
export { startMaintenance, DEFAULT_MAINTENANCE, type MaintenanceOptions } from './maintenance.ts';
