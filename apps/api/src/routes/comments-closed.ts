import { Type } from 'typebox';
import { setCommentsClosed } from '@earshot/core';
import { ById, errorResponses } from '../schemas.ts';
import { endpointsTagged } from '../http/endpoint.ts';
import { TOGGLES } from '../http/toggle.ts';
import { communityDeps } from '../community-deps.ts';
import type { Api, RouteDeps } from '../types.ts';

const endpoint = endpointsTagged('community');

/**
 * An artist closes comments on their track (`PUT /api/v1/tracks/:id/comments-closed`) or opens
 * them again (`DELETE`). Existing comments stay; new ones get 403 `comments_closed`.
 */
export function commentsClosedRoutes(app: Api, deps: RouteDeps): void {
  const community = communityDeps(deps);
  const Reply = Type.Object({ track: Type.Object({ id: Type.String(), commentsClosed: Type.Boolean() }) });
  for (const [method, closed] of TOGGLES) {
    app.route({
      method,
      url: '/api/v1/tracks/:id/comments-closed',
      ...endpoint({ owner: 'track' }, closed ? 'Closes comments on the track' : 'Opens comments on the track again', {
        params: ById,
        response: { 200: Reply, ...errorResponses(401, 403, 404) },
      }),
      handler: async (request) => ({
        track: await setCommentsClosed(community, (request.params as { id: string }).id, closed),
      }),
    });
  }
}
