import type { FastifyInstance } from 'fastify';
import type { HttpMetrics } from '@earshot/runtime';

/** Counts every response by route *template* (bounded cardinality) and times it. */
export function registerHttpMetrics(app: FastifyInstance, metrics: HttpMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const method = request.method;
    metrics.requests.inc({ method, route, status: String(reply.statusCode) });
    metrics.duration.observe({ method, route }, reply.elapsedTime / 1000);
  });
}
