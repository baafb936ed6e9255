import { listLatestTracks } from '@earshot/core';
import { errorResponses, PageQuery } from '../schemas.ts';
import { TrackPageSchema, presentTrackPage } from '../presenters/track.ts';
import type { Api, RouteDeps } from '../types.ts';
import { endpointsTagged } from '../http/endpoint.ts';

const endpoint = endpointsTagged('tracks');

export function trackRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/tracks',
    endpoint('anyone', 'Newest public tracks that are ready to play', {
      querystring: PageQuery,
      response: { 200: TrackPageSchema, ...errorResponses(400) },
    }),
    async (request) => presentTrackPage(await listLatestTracks(deps.core, request.query)),
  );
}
