import { Type } from 'typebox';
import { listLatestTracks } from '@earshot/core';
import { errorResponses } from '../schemas.ts';
import { publicMediaUrl } from '../media-urls.ts';
import type { Api, ApiDeps } from '../types.ts';

export const TrackCard = Type.Object({
  id: Type.String(),
  title: Type.String(),
  slug: Type.String(),
  artist: Type.Object({ handle: Type.String(), displayName: Type.String() }),
  artworkUrl: Type.Union([Type.String(), Type.Null()]),
  durationMs: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  likeCount: Type.Integer(),
  repostCount: Type.Integer(),
  commentCount: Type.Integer(),
  playCount: Type.Integer(),
});

export function trackRoutes(app: Api, deps: ApiDeps): void {
  app.get(
    '/api/v1/tracks',
    {
      config: { access: 'anyone' },
      schema: {
        tags: ['tracks'],
        summary: 'Newest public tracks that are ready to play',
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 100, default: 24 }), cursor: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ tracks: Type.Array(TrackCard), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses(400) },
      },
    },
    async (request) => {
      const page = await listLatestTracks(deps.infra.database.db, request.query);
      return {
        nextCursor: page.nextCursor,
        tracks: page.tracks.map(({ artworkKey, ...t }) => ({ ...t, artworkUrl: artworkKey ? publicMediaUrl('images', artworkKey) : null })),
      };
    },
  );
}
