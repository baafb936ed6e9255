import type { Api, ApiDeps } from '../types.ts';

/** Prometheus text format, for the scraper (nginx does not route `/metrics`). */
export function metricsRoutes(app: Api, deps: ApiDeps): void {
  app.get('/metrics', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) => {
    const body = await deps.metrics.metrics();
    return reply.type(deps.metrics.contentType).send(body);
  });
}
