import { Type } from 'typebox';
import { disableUserAudited, enableUserAudited, TAKEDOWN_REASON_MAX } from '@earshot/core';
import { ById, errorResponses } from '../schemas.ts';
import { endpointsTagged } from '../http/endpoint.ts';
import { AccountUserSchema, presentAccountUser } from '../presenters/user.ts';
import { requireUser } from '../current-user.ts';
import type { Api, RouteDeps } from '../types.ts';

const endpoint = endpointsTagged('admin');

/** Admins disable (sessions end at once, sign-in refused) and re-enable accounts; both are audited. */
export function adminUserRoutes(app: Api, deps: RouteDeps): void {
  const admin = (summary: string) =>
    endpoint({ roles: ['admin'] }, summary, {
      params: ById,
      // `?reason=` goes to the audit log (a query parameter: these routes never had a body).
      querystring: Type.Object(
        { reason: Type.Optional(Type.String({ maxLength: TAKEDOWN_REASON_MAX })) },
        { additionalProperties: false },
      ),
      response: { 200: Type.Object({ user: AccountUserSchema }), ...errorResponses(400, 401, 403, 404) },
    });

  app.post(
    '/api/v1/admin/users/:id/disable',
    admin('Disable an account: its sessions end and it can no longer sign in'),
    async (request) => ({
      user: presentAccountUser(
        await disableUserAudited(deps.core, requireUser(request), request.params.id, request.query.reason),
      ),
    }),
  );

  app.post('/api/v1/admin/users/:id/enable', admin('Enable a disabled account again'), async (request) => ({
    user: presentAccountUser(
      await enableUserAudited(deps.core, requireUser(request), request.params.id, request.query.reason),
    ),
  }));
}
