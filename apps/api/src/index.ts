export { buildApi } from './app.ts';
export type { Api, ApiDeps } from './types.ts';
export { toErrorBody } from './plugins/error-handler.ts';
