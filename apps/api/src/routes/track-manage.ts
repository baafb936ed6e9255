import { Type } from 'typebox';
import {
  DESCRIPTION_MAX,
  GENRE_MAX,
  TAGS_MAX,
  TAG_MAX,
  TITLE_MAX,
  ALBUM_MAX,
  TRACK_NUMBER_MAX,
  YEAR_MIN,
  YEAR_MAX,
  deleteTrack,
  editTrack,
  getTrackView,
  listStudioTracks,
  retryTrackProcessing,
  setCurrentVersion,
  setArtwork,
} from '@earshot/core';
import { errorResponses, Id, ById, PriceBody } from '../schemas.ts';
import { TrackResponse, presentTrack } from '../presenters/track.ts';
import { StudioTrackSchema, presentStudioTrack } from '../presenters/library.ts';
import { currentActor, requireUser } from '../current-user.ts';
import { readImagePart } from '../http/image-upload.ts';
import type { Api, RouteDeps } from '../types.ts';
import { endpointsTagged } from '../http/endpoint.ts';

const Visibility = Type.Union([Type.Literal('public'), Type.Literal('unlisted'), Type.Literal('private')]);

const endpoint = endpointsTagged('tracks');

/** An artist managing what they published (docs/architecture.md, "Catalogue"): edit, delete, artwork, current version, the studio list. */
export function trackManageRoutes(app: Api, deps: RouteDeps): void {
  const { core } = deps;
  const view = (id: string, request: Parameters<typeof currentActor>[0]) =>
    getTrackView(core, currentActor(request), id).then(presentTrack);

  app.patch(
    '/api/v1/tracks/:id',
    endpoint(
      { owner: 'track' },
      'Edit a track: title (a new slug; the old address redirects), description, genre, tags, album, track number, year, visibility, downloadable, price',
      {
        params: ById,
        body: Type.Object(
          {
            title: Type.Optional(Type.String({ maxLength: TITLE_MAX * 4 })),
            description: Type.Optional(Type.String({ maxLength: DESCRIPTION_MAX * 4, 'x-text': 'multiline' })),
            genre: Type.Optional(Type.Union([Type.String({ maxLength: GENRE_MAX * 4 }), Type.Null()])),
            tags: Type.Optional(Type.Array(Type.String({ maxLength: TAG_MAX * 4 }), { maxItems: TAGS_MAX * 5 })),
            album: Type.Optional(Type.Union([Type.String({ maxLength: ALBUM_MAX * 4 }), Type.Null()])),
            trackNumber: Type.Optional(
              Type.Union([Type.Integer({ minimum: 1, maximum: TRACK_NUMBER_MAX }), Type.Null()]),
            ),
            year: Type.Optional(Type.Union([Type.Integer({ minimum: YEAR_MIN, maximum: YEAR_MAX }), Type.Null()])),
            visibility: Type.Optional(Visibility),
            downloadable: Type.Optional(Type.Boolean()),
            price: Type.Optional(PriceBody),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ track: TrackResponse }), ...errorResponses(400, 401, 403, 404) },
      },
    ),
    async (request) => {
      await editTrack(core, currentActor(request), request.params.id, request.body);
      return { track: await view(request.params.id, request) };
    },
  );

  app.delete(
    '/api/v1/tracks/:id',
    endpoint(
      { owner: 'track' },
      'Delete a track: every row and stored object of every version. 409 `track_sold` while a paid order covers it, unless `confirmBuyersKeepAccess=true`: then it is retired (gone for everyone, kept for its buyers’ downloads)',
      {
        params: ById,
        querystring: Type.Object(
          { confirmBuyersKeepAccess: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    ),
    async (request, reply) => {
      await deleteTrack(core, currentActor(request), request.params.id, {
        confirmBuyersKeepAccess: request.query.confirmBuyersKeepAccess === true,
      });
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/api/v1/tracks/:id/artwork',
    endpoint(
      { owner: 'track' },
      'Upload the track’s artwork (multipart `artwork`: JPEG, PNG, WebP, GIF or AVIF, at most 10 MB): the avatar rules, stored square at 1000 and 300 px',
      {
        consumes: ['multipart/form-data'],
        params: ById,
        response: { 200: Type.Object({ track: TrackResponse }), ...errorResponses(400, 401, 403, 404, 413, 415, 422) },
      },
    ),
    async (request) => {
      const image = await readImagePart(request, 'artwork');
      await setArtwork(core, currentActor(request), 'tracks', request.params.id, image);
      return { track: await view(request.params.id, request) };
    },
  );

  app.put(
    '/api/v1/tracks/:id/current-version',
    endpoint({ owner: 'track' }, 'Make a `ready` version of the track its current one', {
      params: ById,
      body: Type.Object({ versionId: Id }, { additionalProperties: false }),
      response: { 200: Type.Object({ track: TrackResponse }), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    async (request) => {
      await setCurrentVersion(core, currentActor(request), request.params.id, request.body.versionId);
      return { track: await view(request.params.id, request) };
    },
  );

  app.post(
    '/api/v1/tracks/:id/retry',
    endpoint(
      { owner: 'track' },
      'Process the newest version of a track again after it failed (its unfinished steps are queued anew)',
      {
        params: ById,
        response: { 202: Type.Object({ track: TrackResponse }), ...errorResponses(400, 401, 403, 404, 409) },
      },
    ),
    async (request, reply) => {
      await retryTrackProcessing(core, currentActor(request), request.params.id);
      return reply.status(202).send({ track: await view(request.params.id, request) });
    },
  );

  app.get(
    '/api/v1/me/tracks',
    endpoint(
      'signed-in',
      'The studio: every track of yours in every state (processing with its steps, failed with the reason, private, unlisted), newest first',
      {
        response: { 200: Type.Object({ items: Type.Array(StudioTrackSchema) }), ...errorResponses(401) },
      },
    ),
    async (request) => {
      const actor = requireUser(request);
      return { items: (await listStudioTracks(core, actor)).map(presentStudioTrack) };
    },
  );
}
