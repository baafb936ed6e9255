import { Type } from 'typebox';
import { getPublicProfile, listLatestTracks } from '@earshot/core';
import { errorResponses, PageQuery } from '../schemas.ts';
import { PublicUserSchema, presentPublicUser } from '../presenters/user.ts';
import { TrackPageSchema, presentTrackPage } from '../presenters/track.ts';
import type { Api, RouteDeps } from '../types.ts';
import { endpointsTagged } from '../http/endpoint.ts';

const Handle = Type.String({ minLength: 1, maxLength: 100 });

const endpoint = endpointsTagged('users');

/** Public profiles: `GET /api/v1/users/:handle` (no email) and the user's public tracks. */
export function userRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/users/:handle',
    endpoint('anyone', 'A public profile', {
      params: Type.Object({ handle: Handle }),
      response: { 200: Type.Object({ user: PublicUserSchema }), ...errorResponses(400, 404) },
    }),
    async (request) => ({ user: presentPublicUser(await getPublicProfile(deps.core, request.params.handle)) }),
  );

  app.get(
    '/api/v1/users/:handle/tracks',
    endpoint('anyone', "A user's public tracks that are ready to play, newest first (items as in GET /api/v1/tracks)", {
      params: Type.Object({ handle: Handle }),
      querystring: PageQuery,
      response: { 200: TrackPageSchema, ...errorResponses(400, 404) },
    }),
    async (request) => {
      const profile = await getPublicProfile(deps.core, request.params.handle);
      return presentTrackPage(await listLatestTracks(deps.core, { ...request.query, ownerUserId: profile.id }));
    },
  );
}
