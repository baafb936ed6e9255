import { Type } from 'typebox';
import { deleteAccount, exportAccount } from '@earshot/core';
import { errorResponses, Password } from '../schemas.ts';
import { clearSessionCookies } from '../plugins/auth.ts';
import { requireUser } from '../current-user.ts';
import type { Api, RouteDeps } from '../types.ts';
import { endpointsTagged } from '../http/endpoint.ts';

const endpoint = endpointsTagged('account');

/** The account's data (docs/architecture.md, "Privacy"): take it all out as a ZIP, or delete the account. */
export function accountDataRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/me/export',
    endpoint(
      'signed-in',
      'Everything your account holds, as a ZIP: JSON files (profile, tracks, comments, likes, playlists, purchases, plays) and your original uploads byte for byte',
      {
        produces: ['application/zip'],
        response: {
          200: Type.Unsafe<unknown>({ type: 'string', format: 'binary', description: 'application/zip' }),
          ...errorResponses(401, 403, 429),
        },
      },
      { rateLimit: 'auth' },
    ),
    async (request, reply) => {
      const exported = await exportAccount(deps.core, requireUser(request));
      exported.stream.on('error', (err) => request.log.error({ err }, 'account export failed while streaming'));
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', `attachment; filename="${exported.filename}"`)
        .header('cache-control', 'no-store')
        .send(exported.stream);
    },
  );

  app.delete(
    '/api/v1/me',
    endpoint(
      'signed-in',
      'Delete your account (enter your password again): your rows and stored files go; your comments stay as "deleted user"; orders stay without personal data',
      {
        body: Type.Object({ password: Password }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 429) },
      },
      { rateLimit: 'auth' },
    ),
    async (request, reply) => {
      await deleteAccount({ ...deps.core, log: request.log }, requireUser(request), request.body.password);
      clearSessionCookies(reply, deps.config);
      return reply.status(204).send(null);
    },
  );
}
