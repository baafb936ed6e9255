import { Type } from 'typebox';
import { GENRE_MAX, SEARCH_LIMIT_MAX, SEARCH_QUERY_MAX, TAG_MAX, browseTracks, search } from '@earshot/core';
import { errorResponses, Nullable, PageOf } from '../schemas.ts';
import { BrowseCardSchema, SearchHitSchema, presentBrowseCard, presentHit } from '../presenters/library.ts';
import { currentActor } from '../current-user.ts';
import type { Api, RouteDeps } from '../types.ts';
import { endpointsTagged } from '../http/endpoint.ts';

const Page = {
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 24 }),
  cursor: Type.Optional(Type.String({ maxLength: 64 })),
};

const endpoint = endpointsTagged('search');

/** Search and browse: docs/architecture.md, "Search". */
export function searchRoutes(app: Api, deps: RouteDeps): void {
  const { core } = deps;

  app.get(
    '/api/v1/search',
    endpoint(
      'anyone',
      'Ranked search (title > artist > tags > description), tolerant of one typo per word, accents folded; only what you may find in lists',
      {
        querystring: Type.Object(
          {
            q: Type.String({ maxLength: SEARCH_QUERY_MAX * 4 }),
            type: Type.Optional(
              Type.Union([
                Type.Literal('track'),
                Type.Literal('user'),
                Type.Literal('release'),
                Type.Literal('playlist'),
              ]),
            ),
            limit: Type.Integer({ minimum: 1, maximum: SEARCH_LIMIT_MAX, default: 20 }),
            cursor: Type.Optional(Type.String({ maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(SearchHitSchema),
            nextCursor: Nullable(Type.String()),
          }),
          ...errorResponses(400),
        },
      },
    ),
    async (request) => {
      const page = await search(core, currentActor(request), request.query);
      return { items: page.items.map(presentHit), nextCursor: page.nextCursor };
    },
  );

  const Reply = {
    200: PageOf(BrowseCardSchema),
    ...errorResponses(400),
  };

  // A genre or a tag, each: its listed tracks, newest first.
  for (const [path, filter, summary, max] of [
    ['genres', 'genre', 'Listed tracks of a genre, newest first', GENRE_MAX],
    ['tags', 'tag', 'Listed tracks with a tag, newest first', TAG_MAX],
  ] as const) {
    app.get(
      `/api/v1/${path}/:name/tracks`,
      endpoint('anyone', summary, {
        params: Type.Object({ name: Type.String({ minLength: 1, maxLength: max * 4 }) }),
        querystring: Type.Object(Page, { additionalProperties: false }),
        response: Reply,
      }),
      async (request) => {
        const by = filter === 'genre' ? { genre: request.params.name } : { tag: request.params.name };
        const page = await browseTracks(core, by, request.query);
        return { items: page.items.map(presentBrowseCard), nextCursor: page.nextCursor };
      },
    );
  }
}
