import type { Config } from '@earshot/config';
import type { Infrastructure, Logger } from '@earshot/runtime';
import type { HandlerMap } from './processing.ts';

export interface HandlerDeps {
  config: Config;
  logger: Logger;
  infra: Pick<Infrastructure, 'database' | 'store' | 'jobs'>;
}

/** Wires each queue to its service call. Handlers only wire: the rules live in `@earshot/core`. */
export function createHandlers(_deps: HandlerDeps): Partial<HandlerMap> {
  return {};
}
