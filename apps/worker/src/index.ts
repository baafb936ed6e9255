export { startProcessing, type HandlerMap } from './processing.ts';
export { startHealthServer } from './health-server.ts';
export { createHandlers, type HandlerDeps } from './handlers.ts';
