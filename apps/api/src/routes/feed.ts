import { Type } from 'typebox';
import { getFeed, listLibrary } from '@earshot/core';
import { errorResponses, ListQuery, PageOf } from '../schemas.ts';
import { requireUser } from '../current-user.ts';
import { FeedEntrySchema, presentFeedEntry, presentTrackCard, TrackCardSchema } from '../presenters/community.ts';
import { communityDeps } from '../community-deps.ts';
import type { Api, RouteDeps } from '../types.ts';
import { endpointsTagged } from '../http/endpoint.ts';

const endpoint = endpointsTagged('community');

/** `GET /api/v1/feed`: uploads, releases and reposts of the accounts the caller follows (docs/architecture.md, "Community"). */
export function feedRoutes(app: Api, deps: RouteDeps): void {
  const community = communityDeps(deps);
  app.get(
    '/api/v1/feed',
    endpoint(
      'signed-in',
      'Uploads, releases and reposts of the accounts you follow, newest first, one entry per track ("reposted by") or release',
      {
        querystring: Type.Object(ListQuery, { additionalProperties: false }),
        response: { 200: PageOf(FeedEntrySchema), ...errorResponses(400, 401) },
      },
    ),
    async (request, reply) => {
      const page = await getFeed(community, requireUser(request).id, request.query);
      reply.header('cache-control', 'private, no-store');
      return { items: page.items.map(presentFeedEntry), nextCursor: page.nextCursor };
    },
  );
}

/** The library's lists: `GET /api/v1/me/likes` and `GET /api/v1/me/history` (recently played). */
export function libraryRoutes(app: Api, deps: RouteDeps): void {
  const community = communityDeps(deps);
  for (const [list, summary] of [
    ['likes', 'Tracks you liked, newest like first'],
    ['history', 'Tracks you played, most recent first (each once)'],
  ] as const) {
    app.route({
      method: 'GET',
      url: `/api/v1/me/${list}`,
      ...endpoint('signed-in', summary, {
        querystring: Type.Object(ListQuery, { additionalProperties: false }),
        response: {
          200: PageOf(Type.Object({ at: Type.String({ format: 'date-time' }), track: TrackCardSchema })),
          ...errorResponses(400, 401),
        },
      }),
      handler: async (request, reply) => {
        const page = await listLibrary(
          community,
          requireUser(request),
          list,
          request.query as { limit: number; cursor?: string },
        );
        reply.header('cache-control', 'private, no-store');
        return {
          items: page.items.map((i) => ({
            at: i.at,
            track: presentTrackCard(i.track),
          })),
          nextCursor: page.nextCursor,
        };
      },
    });
  }
}
