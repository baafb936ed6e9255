import { Type } from 'typebox';
import { checkHealth, workerHealth } from '@earshot/runtime';
import type { Api, RouteDeps } from '../types.ts';
import { endpointsTagged } from '../http/endpoint.ts';

const HealthResponse = Type.Object({
  status: Type.Union([Type.Literal('healthy'), Type.Literal('unhealthy')]),
  checks: Type.Array(
    Type.Object({ service: Type.String(), healthy: Type.Boolean(), error: Type.Optional(Type.String()) }),
  ),
  timestamp: Type.String({ format: 'date-time' }),
});

const QueueCounts = Type.Object({ waiting: Type.Integer(), active: Type.Integer(), failed: Type.Integer() });
const WorkerHealthResponse = Type.Object({
  status: Type.Union([Type.Literal('healthy'), Type.Literal('unhealthy')]),
  queues: Type.Record(Type.String(), QueueCounts),
});

const endpoint = endpointsTagged('operations');

/** A health route: public, 200 when healthy and 503 when not, so `curl -f` healthchecks fail. */
function healthRoute(
  app: Api,
  url: string,
  summary: string,
  schema: typeof HealthResponse | typeof WorkerHealthResponse,
  check: () => Promise<{ status: 'healthy' | 'unhealthy' }>,
): void {
  app.get(url, endpoint('public', summary, { response: { 200: schema, 503: schema } }), async (_req, reply) => {
    const report = await check();
    return reply.status(report.status === 'healthy' ? 200 : 503).send(report as never);
  });
}

/** The health shapes of docs/architecture.md, "Operations contracts". */
export function healthRoutes(app: Api, deps: RouteDeps): void {
  const api = 'API health: database, redis (when configured), storage';
  healthRoute(app, '/api/v1/health', api, HealthResponse, () => checkHealth(deps.infra));
  if (deps.serveWorkerHealth) {
    const worker = 'Worker health (embedded mode: the worker runs in this process)';
    healthRoute(app, '/api/v1/worker/health', worker, WorkerHealthResponse, () => workerHealth(deps.infra.jobs));
  }
}
