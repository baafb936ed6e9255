import { Type } from 'typebox';
import {
  getArtistStats,
  getTrackStats,
  getTrendingJson,
  TRENDING_GENRE_MAX,
  TRENDING_MAX_AGE_SECONDS,
  TRENDING_MAX_LIMIT,
  type TrendingList,
} from '@earshot/core';
import { errorResponses, ById, Nullable } from '../schemas.ts';
import { currentActor } from '../current-user.ts';
import { withArtworkUrl } from '../media-urls.ts';
import { TrackCardSchema } from '../presenters/track.ts';
import type { Api, RouteDeps } from '../types.ts';
import { endpointsTagged } from '../http/endpoint.ts';

const Day = Type.String({ maxLength: 10, description: 'UTC day, YYYY-MM-DD' });
const RangeQuery = Type.Object({ from: Type.Optional(Day), to: Type.Optional(Day) }, { additionalProperties: false });

const Figures = {
  plays: Type.Integer(),
  listeners: Type.Integer({
    description: 'Distinct listeners (account, else IP hash) per day; totals add the days up',
  }),
  secondsHeard: Type.Number(),
  likes: Type.Integer(),
  reposts: Type.Integer(),
  comments: Type.Integer(),
  downloads: Type.Integer(),
  sales: Type.Integer(),
  revenueMinor: Type.Integer({
    description: 'Earned by sales after the platform fee, in minor units of the artist currency',
  }),
};
const Series = {
  from: Type.String(),
  to: Type.String(),
  days: Type.Array(Type.Object({ day: Type.String(), ...Figures })),
  totals: Type.Object(Figures),
};
const ArtistStatsReply = Type.Object({
  scope: Type.Union([Type.Literal('artist'), Type.Literal('platform')]),
  ...Series,
  topTracks: Type.Array(Type.Object({ id: Type.String(), title: Type.String(), slug: Type.String(), ...Figures })),
});
const TrackStatsReply = Type.Object({
  track: Type.Object({
    id: Type.String(),
    title: Type.String(),
    slug: Type.String(),
    durationMs: Nullable(Type.Integer()),
    ownerHandle: Type.String(),
  }),
  ...Series,
  reach: Type.Object({
    plays: Type.Integer(),
    curve: Type.Array(Type.Number(), {
      description: 'Share of plays still listening at each 1% of the track (100 values)',
    }),
  }),
  commentPositionsMs: Type.Array(Type.Integer()),
});
const TrendingReply = Type.Object({
  period: Type.Union([Type.Literal('day'), Type.Literal('week')]),
  genre: Nullable(Type.String()),
  computedAt: Nullable(Type.String()),
  tracks: Type.Array(
    Type.Object({
      rank: Type.Integer(),
      score: Type.Number(),
      genre: Nullable(Type.String()),
      ...TrackCardSchema.properties,
    }),
  ),
});

const presentTrending = (list: TrendingList) => ({ ...list, tracks: list.tracks.map(withArtworkUrl) });

const endpoint = endpointsTagged('insights');

/** Trending and artist insights (docs/architecture.md, "Insights and trending"). */
export function insightRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/trending',
    // Public and the same for everyone: no session lookup, cacheable by browsers and nginx.
    endpoint(
      'public',
      'Trending tracks: time-decayed plays, likes, reposts, comments and purchases, overall or per genre',
      {
        querystring: Type.Object(
          {
            period: Type.Union([Type.Literal('day'), Type.Literal('week')], { default: 'day' }),
            genre: Type.Optional(Type.String({ maxLength: TRENDING_GENRE_MAX })),
            limit: Type.Integer({ minimum: 1, maximum: TRENDING_MAX_LIMIT, default: 50 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: TrendingReply, ...errorResponses(400) },
      },
    ),
    async (request, reply) => {
      const json = await getTrendingJson(deps.core, request.query, presentTrending);
      reply.header('cache-control', `public, max-age=${TRENDING_MAX_AGE_SECONDS}`);
      // Already JSON (the cached text): sent as it is, Fastify does not serialise a string.
      return reply.type('application/json; charset=utf-8').send(json as never);
    },
  );

  app.get(
    '/api/v1/tracks/:id/stats',
    endpoint({ owner: 'track' }, "A track's daily figures and where listeners stop (owner, admin)", {
      params: ById,
      querystring: RangeQuery,
      response: { 200: TrackStatsReply, ...errorResponses(400, 401, 403, 404) },
    }),
    async (request, reply) => {
      reply.header('cache-control', 'private, no-store');
      return getTrackStats(deps.core, currentActor(request), request.params.id, request.query);
    },
  );

  app.get(
    '/api/v1/me/stats',
    endpoint({ roles: ['artist', 'admin'] }, "The caller's daily figures as an artist, and their top tracks", {
      querystring: RangeQuery,
      response: { 200: ArtistStatsReply, ...errorResponses(400, 401, 403) },
    }),
    async (request, reply) => {
      reply.header('cache-control', 'private, no-store');
      return getArtistStats(deps.core, currentActor(request), request.query);
    },
  );

  app.get(
    '/api/v1/admin/stats',
    endpoint({ roles: ['admin'] }, 'The platform-wide daily figures and top tracks (admin)', {
      querystring: RangeQuery,
      response: { 200: ArtistStatsReply, ...errorResponses(400, 401, 403) },
    }),
    async (request, reply) => {
      reply.header('cache-control', 'private, no-store');
      return getArtistStats(deps.core, currentActor(request), request.query, 'platform');
    },
  );
}
