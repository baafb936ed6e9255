import { Type } from 'typebox';
import { getFeed } from '@earshot/core';
import { errorResponses } from '../schemas.ts';
import { requireUser } from '../current-user.ts';
import { FeedEntrySchema, PageOf, presentFeedEntry } from '../presenters/community.ts';
import { communityDeps } from '../community-deps.ts';
import { ListQuery } from './comments.ts';
import type { Api, ApiDeps } from '../types.ts';

/** `GET /api/v1/feed`: uploads and reposts of the accounts the caller follows (docs/architecture.md, "Community"). */
export function feedRoutes(app: Api, deps: ApiDeps): void {
  const community = communityDeps(deps);
  app.get(
    '/api/v1/feed',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['community'],
        summary: 'Uploads and reposts of the accounts you follow, newest first, one entry per track ("reposted by")',
        querystring: Type.Object(ListQuery, { additionalProperties: false }),
        response: { 200: PageOf(FeedEntrySchema), ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const page = await getFeed(community, requireUser(request).id, request.query);
      reply.header('cache-control', 'private, no-store');
      return { items: page.items.map(presentFeedEntry), nextCursor: page.nextCursor };
    },
  );
}
