import { Type } from 'typebox';
import { findTrackIdBySlug, getStreamableVersion, getTrackView, signHlsPath } from '@earshot/core';
import { errorResponses, Handle, ById, Nullable } from '../schemas.ts';
import { TrackResponse, presentTrack } from '../presenters/track.ts';
import { publicMediaUrl } from '../media-urls.ts';
import { currentActor } from '../current-user.ts';
import type { Api, RouteDeps } from '../types.ts';
import { endpointsTagged } from '../http/endpoint.ts';

const Slug = Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,99}$' });

const endpoint = endpointsTagged('tracks');
const playbackEndpoint = endpointsTagged('playback');

export function trackReadRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/v1/tracks/:id',
    endpoint('anyone', 'A track, per its visibility, with the state of each processing step for its owner', {
      params: ById,
      response: { 200: Type.Object({ track: TrackResponse }), ...errorResponses(400, 404) },
    }),
    async (request) => ({
      track: presentTrack(await getTrackView(deps.core, currentActor(request), request.params.id)),
    }),
  );

  app.get(
    '/api/v1/users/:handle/tracks/:slug',
    endpoint('anyone', 'A track by its page address `/<handle>/<slug>`', {
      params: Type.Object({ handle: Handle, slug: Slug }),
      response: { 200: Type.Object({ track: TrackResponse }), ...errorResponses(400, 404) },
    }),
    async (request) => {
      const id = await findTrackIdBySlug(deps.core, request.params.handle, request.params.slug);
      return { track: presentTrack(await getTrackView(deps.core, currentActor(request), id)) };
    },
  );

  app.get(
    '/api/v1/tracks/:id/stream',
    playbackEndpoint('anyone', 'A signed, expiring HLS master playlist URL for the current version', {
      description:
        'Before any version is ready: the version being processed, as soon as its provisional stream is published, for whoever may see the track (`processing: true`; its playlists grow until it is ready; withdrawn if its encode fails).',
      params: ById,
      response: {
        200: Type.Object({
          hls: Type.String(),
          expiresAt: Type.String({ format: 'date-time' }),
          waveformUrl: Nullable(Type.String()),
          trackGainDb: Nullable(Type.Number()),
          processing: Type.Boolean(),
        }),
        ...errorResponses(400, 404),
      },
    }),
    async (request, reply) => {
      const v = await getStreamableVersion(deps.core, currentActor(request), request.params.id);
      const signed = signHlsPath(
        v.versionId,
        deps.config.media.urlTtlSeconds,
        deps.config.media.secureLinkSecret,
        new Date(),
      );
      reply.header('cache-control', 'private, no-store');
      return {
        hls: signed.path,
        expiresAt: signed.expiresAt.toISOString(),
        waveformUrl: v.waveformKey ? publicMediaUrl('waveforms', v.waveformKey) : null,
        trackGainDb: v.trackGainDb,
        processing: v.processing,
      };
    },
  );
}
