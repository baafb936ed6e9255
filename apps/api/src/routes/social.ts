import { Type } from 'typebox';
import { getTrackCounts, getUserCounts, listPeople, toggleFollow, toggleTrack } from '@earshot/core';
import { errorResponses, ById, ListQuery, PageOf } from '../schemas.ts';
import { currentUser, requireUser } from '../current-user.ts';
import { TrackCountsSchema, UserCardSchema, UserCountsSchema, presentUserCard } from '../presenters/community.ts';
import { communityDeps } from '../community-deps.ts';
import type { Api, RouteDeps } from '../types.ts';
import { endpointsTagged } from '../http/endpoint.ts';
import { TOGGLES, toggled } from '../http/toggle.ts';

const Handle = Type.String({ minLength: 1, maxLength: 100 });

const endpoint = endpointsTagged('community');

/**
 * Likes, reposts and follows (docs/architecture.md, "Community"): idempotent toggles. `PUT` (twice
 * = once) and a `DELETE` that removed something answer 200 with the resource's counts; a `DELETE`
 * of what is not there answers 204. Who liked / reposted a track, followers and following.
 */
export function socialRoutes(app: Api, deps: RouteDeps): void {
  const community = communityDeps(deps);

  for (const kind of ['like', 'repost'] as const) {
    for (const [method, on] of TOGGLES) {
      app.route({
        method,
        url: `/api/v1/tracks/:id/${kind}`,
        ...endpoint(
          'signed-in',
          `${on ? (kind === 'like' ? 'Likes' : 'Reposts') : kind === 'like' ? 'Unlikes' : 'Un-reposts'} the track (idempotent); answers its counts`,
          {
            params: ById,
            response: { 200: Type.Object({ track: TrackCountsSchema }), 204: Type.Null(), ...errorResponses(401, 404) },
          },
        ),
        handler: async (request, reply) => {
          const result = await toggleTrack(
            community,
            requireUser(request),
            kind,
            (request.params as { id: string }).id,
            on,
          );
          return toggled(reply, on, result.changed, { track: result.track });
        },
      });
    }
  }

  for (const [method, on] of TOGGLES) {
    app.route({
      method,
      url: '/api/v1/users/:handle/follow',
      ...endpoint('signed-in', `${on ? 'Follows' : 'Unfollows'} the account (idempotent); answers its counts`, {
        params: Type.Object({ handle: Handle }),
        response: { 200: Type.Object({ user: UserCountsSchema }), 204: Type.Null(), ...errorResponses(400, 401, 404) },
      }),
      handler: async (request, reply) => {
        const result = await toggleFollow(
          community,
          requireUser(request),
          (request.params as { handle: string }).handle,
          on,
        );
        return toggled(reply, on, result.changed, { user: result.user });
      },
    });
  }

  app.get(
    '/api/v1/tracks/:id/counts',
    endpoint('anyone', "A track's counts, and whether the caller liked / reposted it", {
      params: ById,
      response: { 200: Type.Object({ track: TrackCountsSchema }), ...errorResponses(404) },
    }),
    async (request) => ({ track: await getTrackCounts(community, currentUser(request) ?? null, request.params.id) }),
  );

  app.get(
    '/api/v1/users/:handle/counts',
    endpoint('anyone', "An account's follower and following counts, and whether the caller follows it", {
      params: Type.Object({ handle: Handle }),
      response: { 200: Type.Object({ user: UserCountsSchema }), ...errorResponses(404) },
    }),
    async (request) => ({ user: await getUserCounts(community, currentUser(request) ?? null, request.params.handle) }),
  );

  const lists = [
    ['/api/v1/tracks/:id/likes', 'likers', 'Who liked the track, newest first'],
    ['/api/v1/tracks/:id/reposts', 'reposters', 'Who reposted the track, newest first'],
    ['/api/v1/users/:handle/followers', 'followers', "The account's followers, newest first"],
    ['/api/v1/users/:handle/following', 'following', 'Whom the account follows, newest first'],
  ] as const;
  for (const [url, list, summary] of lists) {
    app.route({
      method: 'GET',
      url,
      ...endpoint('anyone', summary, {
        params: url.includes(':id') ? ById : Type.Object({ handle: Handle }),
        querystring: Type.Object(ListQuery, { additionalProperties: false }),
        response: { 200: PageOf(UserCardSchema), ...errorResponses(400, 404) },
      }),
      handler: async (request) => {
        const params = request.params as { id?: string; handle?: string };
        const page = await listPeople(
          community,
          currentUser(request) ?? null,
          list,
          (params.id ?? params.handle)!,
          request.query as { limit: number; cursor?: string },
        );
        return { items: page.items.map(presentUserCard), nextCursor: page.nextCursor };
      },
    });
  }
}
