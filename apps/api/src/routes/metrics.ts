import type { Api, RouteDeps } from '../types.ts';

/** Prometheus text format, for the scraper (nginx does not route `/metrics`). */
export function metricsRoutes(app: Api, deps: RouteDeps): void {
  app.get('/metrics', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) => {
    const body = await deps.metrics.metrics();
    return reply.type(deps.metrics.contentType).send(body);
  });
}
