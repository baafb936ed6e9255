import { Type } from 'typebox';
import { checkHealth, workerHealth } from '@earshot/runtime';
import type { Api, RouteDeps } from '../types.ts';

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

/** The health shapes of docs/architecture.md, "Operations contracts"; 503 when unhealthy so `curl -f` healthchecks fail. */
export function healthRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['operations'],
        summary: 'API health: database, redis (when configured), storage',
        response: { 200: HealthResponse, 503: HealthResponse },
      },
    },
    async (_req, reply) => {
      const report = await checkHealth(deps.infra);
      return reply.status(report.status === 'healthy' ? 200 : 503).send(report);
    },
  );

  if (deps.serveWorkerHealth) {
    app.get(
      '/api/v1/worker/health',
      {
        config: { access: 'public' },
        schema: {
          tags: ['operations'],
          summary: 'Worker health (embedded mode: the worker runs in this process)',
          response: { 200: WorkerHealthResponse, 503: WorkerHealthResponse },
        },
      },
      async (_req, reply) => {
        const report = await workerHealth(deps.infra.jobs);
        return reply.status(report.status === 'healthy' ? 200 : 503).send(report);
      },
    );
  }
}
