import { Type } from 'typebox';
import { getPublicProfile, listLatestTracks } from '@earshot/core';
import { errorResponses } from '../schemas.ts';
import { PublicUserSchema, presentPublicUser } from '../presenters/user.ts';
import { publicMediaUrl } from '../media-urls.ts';
import { TrackCard } from './tracks.ts';
import type { Api, RouteDeps } from '../types.ts';

const Handle = Type.String({ minLength: 1, maxLength: 100 });

/** Public profiles: `GET /api/v1/users/:handle` (no email) and the user's public tracks. */
export function userRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/users/:handle',
    {
      config: { access: 'anyone' },
      schema: { tags: ['users'], summary: 'A public profile', params: Type.Object({ handle: Handle }), response: { 200: Type.Object({ user: PublicUserSchema }), ...errorResponses(400, 404) } },
    },
    async (request) => ({ user: presentPublicUser(await getPublicProfile(deps.core, request.params.handle)) }),
  );

  app.get(
    '/api/v1/users/:handle/tracks',
    {
      config: { access: 'anyone' },
      schema: {
        tags: ['users'],
        summary: "A user's public tracks that are ready to play, newest first (items as in GET /api/v1/tracks)",
        params: Type.Object({ handle: Handle }),
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 100, default: 24 }), cursor: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ tracks: Type.Array(TrackCard), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const profile = await getPublicProfile(deps.core, request.params.handle);
      const page = await listLatestTracks(deps.core, { ...request.query, ownerUserId: profile.id });
      return {
        nextCursor: page.nextCursor,
        tracks: page.tracks.map(({ artworkKey, ...t }) => ({ ...t, artworkUrl: artworkKey ? publicMediaUrl('images', artworkKey) : null })),
      };
    },
  );
}
