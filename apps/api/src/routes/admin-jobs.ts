import { Type } from 'typebox';
import { retryFailedJobs } from '@earshot/core';
import { requireUser } from '../current-user.ts';
import { errorResponses, Nullable, QueueName } from '../schemas.ts';
import type { Api, RouteDeps } from '../types.ts';
import { endpointsTagged } from '../http/endpoint.ts';

/** `{queue, limit}`: a queue, and how many of its failed jobs (at most `maximum`). */
const QueueAndLimit = (maximum: number, byDefault: number) =>
  Type.Object(
    { queue: QueueName, limit: Type.Integer({ minimum: 1, maximum, default: byDefault }) },
    { additionalProperties: false },
  );

const endpoint = endpointsTagged('admin');

/** docs/architecture.md, "Media pipeline": `POST /api/v1/admin/jobs/retry {queue, limit}` re-runs failed jobs. */
export function adminJobRoutes(app: Api, deps: RouteDeps): void {
  app.post(
    '/api/v1/admin/jobs/retry',
    endpoint({ roles: ['admin'] }, 'Retry up to `limit` failed jobs of a queue (oldest first)', {
      body: QueueAndLimit(1000, 10),
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
      querystring: QueueAndLimit(200, 50),
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
