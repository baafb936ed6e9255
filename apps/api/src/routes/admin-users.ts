import { Type } from 'typebox';
import { disableUser, enableUser } from '@earshot/core';
import { errorResponses, Id } from '../schemas.ts';
import { AccountUserSchema, presentAccountUser } from '../presenters/user.ts';
import { requireUser } from '../current-user.ts';
import type { Api, RouteDeps } from '../types.ts';

/** Admins disable (sessions end at once, sign-in refused) and re-enable deps.core. */
export function adminUserRoutes(app: Api, deps: RouteDeps): void {
  const schema = (summary: string) => ({
    tags: ['admin'],
    summary,
    params: Type.Object({ id: Id }),
    response: { 200: Type.Object({ user: AccountUserSchema }), ...errorResponses(400, 401, 403, 404) },
  });

  app.post('/api/v1/admin/users/:id/disable', { config: { access: { roles: ['admin'] } }, schema: schema('Disable an account: its sessions end and it can no longer sign in') }, async (request) => ({
    user: presentAccountUser(await disableUser(deps.core, requireUser(request).id, request.params.id)),
  }));

  app.post('/api/v1/admin/users/:id/enable', { config: { access: { roles: ['admin'] } }, schema: schema('Enable a disabled account again') }, async (request) => ({
    user: presentAccountUser(await enableUser(deps.core, request.params.id)),
  }));
}
