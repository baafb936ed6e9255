import { Type } from 'typebox';
import { QUEUE_NAMES } from '@earshot/jobs';
import { retryFailedJobs } from '@earshot/core';
import { requireUser } from '../current-user.ts';
import { errorResponses, Nullable } from '../schemas.ts';
import type { Api, RouteDeps } from '../types.ts';
import { endpointsTagged } from '../http/endpoint.ts';

const Queue = Type.Union(QUEUE_NAMES.map((q) => Type.Literal(q)));

const endpoint = endpointsTagged('admin');

/** docs/architecture.md, "Media pipeline": `POST /api/v1/admin/jobs/retry {queue, limit}` re-runs failed jobs. */
export function adminJobRoutes(app: Api, deps: RouteDeps): void {
  app.post(
    '/api/v1/admin/jobs/retry',
    endpoint({ roles: ['admin'] }, 'Retry up to `limit` failed jobs of a queue (oldest first)', {
      body: Type.Object(
        { queue: Queue, limit: Type.Integer({ minimum: 1, maximum: 1000, default: 10 }) },
        { additionalProperties: false },
      ),
      response: {
        200: Type.Object({ queue: Type.String(), retried: Type.Integer() }),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (request) => ({
      queue: request.body.queue,
      retried: await retryFailedJobs(
        { ...deps.core, jobs: deps.infra.jobs },
        requireUser(request),
        request.body.queue,
        request.body.limit,
      ),
    }),
  );

  app.get(
    '/api/v1/admin/jobs/failed',
    endpoint({ roles: ['admin'] }, 'Failed jobs of a queue with their errors', {
      querystring: Type.Object(
        { queue: Queue, limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) },
        { additionalProperties: false },
      ),
      response: {
        200: Type.Object({
          jobs: Type.Array(
            Type.Object({
              id: Type.String(),
              queue: Type.String(),
              attemptsMade: Type.Integer(),
              error: Type.String(),
              data: Type.Unknown(),
              failedAt: Nullable(Type.String()),
            }),
          ),
        }),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (request) => {
      const failed = await deps.infra.jobs.getFailed(request.query.queue, request.query.limit);
      return { jobs: failed.map((j) => ({ ...j, failedAt: j.failedAt ? j.failedAt.toISOString() : null })) };
    },
  );
}
