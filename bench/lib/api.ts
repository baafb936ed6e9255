/** The API as the benchmarks run it: built from the given infrastructure, listening on a free loopback port. */
import type { Config } from '@earshot/config';
import { createMediaToolkit, createMetricsRegistry, type Infrastructure, type Logger } from '@earshot/runtime';
import { type Api, buildApi } from '../../apps/api/src/index.ts';

export async function listenApi(
  config: Config,
  logger: Logger,
  infra: Infrastructure,
): Promise<{ api: Api; port: number }> {
  const api = await buildApi({
    config,
    logger,
    infra,
    metrics: createMetricsRegistry('api'),
    media: createMediaToolkit(),
    progress: infra.progress,
  });
  await api.listen({ port: 0, host: '127.0.0.1' });
  return { api, port: (api.server.address() as { port: number }).port };
}
