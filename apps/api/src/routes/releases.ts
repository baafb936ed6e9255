import { Type } from 'typebox';
import {
  RELEASE_CREDITS_MAX,
  RELEASE_DESCRIPTION_MAX,
  RELEASE_TITLE_MAX,
  RELEASE_TRACKS_MAX,
  createRelease,
  deleteRelease,
  getRelease,
  listUserReleases,
  setArtwork,
  updateRelease,
} from '@earshot/core';
import { errorResponses, ById, PriceBody } from '../schemas.ts';
import { ReleaseCardSchema, ReleaseSchema, presentRelease, presentReleaseCard } from '../presenters/library.ts';
import { currentActor } from '../current-user.ts';
import { readImagePart } from '../http/image-upload.ts';
import type { Api, RouteDeps } from '../types.ts';
import { endpointsTagged } from '../http/endpoint.ts';

const Visibility = Type.Union([Type.Literal('public'), Type.Literal('unlisted'), Type.Literal('private')]);
const fields = {
  title: Type.String({ maxLength: RELEASE_TITLE_MAX * 4 }),
  type: Type.Union([Type.Literal('album'), Type.Literal('ep'), Type.Literal('single')]),
  // The whole list is checked by core (distinct, own tracks); the schema only bounds its size.
  trackIds: Type.Array(Type.String({ maxLength: 20 }), { maxItems: RELEASE_TRACKS_MAX * 2 }),
  releaseDate: Type.Union([
    Type.String({ maxLength: 32, description: 'YYYY-MM-DD; a future day schedules the release' }),
    Type.Null(),
  ]),
  description: Type.String({ maxLength: RELEASE_DESCRIPTION_MAX * 4, 'x-text': 'multiline' }),
  credits: Type.String({ maxLength: RELEASE_CREDITS_MAX * 4, 'x-text': 'multiline' }),
  visibility: Visibility,
  price: PriceBody,
};
const Reply = Type.Object({ release: ReleaseSchema });

const endpoint = endpointsTagged('releases');

/** Releases (albums, EPs, singles): docs/architecture.md, "Catalogue". */
export function releaseRoutes(app: Api, deps: RouteDeps): void {
  const { core } = deps;

  app.post(
    '/api/v1/releases',
    endpoint({ roles: ['artist', 'admin'] }, 'Make a release of your own tracks, in order', {
      body: Type.Object(
        {
          title: fields.title,
          type: fields.type,
          trackIds: fields.trackIds,
          releaseDate: Type.Optional(fields.releaseDate),
          description: Type.Optional(fields.description),
          credits: Type.Optional(fields.credits),
          visibility: Type.Optional(fields.visibility),
          price: Type.Optional(fields.price),
        },
        { additionalProperties: false },
      ),
      response: { 201: Reply, ...errorResponses(400, 401, 403, 422) },
    }),
    async (request, reply) =>
      reply.code(201).send({ release: presentRelease(await createRelease(core, currentActor(request), request.body)) }),
  );

  app.get(
    '/api/v1/releases/:id',
    endpoint('anyone', 'A release, per its visibility (a scheduled one only for its owner until its date)', {
      params: ById,
      response: { 200: Reply, ...errorResponses(400, 404) },
    }),
    async (request) => ({ release: presentRelease(await getRelease(core, currentActor(request), request.params.id)) }),
  );

  app.patch(
    '/api/v1/releases/:id',
    endpoint({ owner: 'release' }, 'Edit a release; `trackIds` replaces the whole order', {
      params: ById,
      body: Type.Partial(Type.Object(fields), { additionalProperties: false }),
      response: { 200: Reply, ...errorResponses(400, 401, 403, 404, 422) },
    }),
    async (request) => ({
      release: presentRelease(await updateRelease(core, currentActor(request), request.params.id, request.body)),
    }),
  );

  app.delete(
    '/api/v1/releases/:id',
    endpoint({ owner: 'release' }, 'Delete a release (its tracks stay); 409 `release_sold` once someone paid for it', {
      params: ById,
      response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
    }),
    async (request, reply) => {
      await deleteRelease(core, currentActor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/api/v1/releases/:id/artwork',
    endpoint({ owner: 'release' }, 'Upload the release’s artwork (multipart `artwork`; the avatar rules)', {
      consumes: ['multipart/form-data'],
      params: ById,
      response: { 200: Reply, ...errorResponses(400, 401, 403, 404, 413, 415, 422) },
    }),
    async (request) => {
      const image = await readImagePart(request, 'artwork');
      await setArtwork(core, currentActor(request), 'releases', request.params.id, image);
      return { release: presentRelease(await getRelease(core, currentActor(request), request.params.id)) };
    },
  );

  app.get(
    '/api/v1/users/:handle/releases',
    endpoint('anyone', 'An artist’s releases, newest first (everything for the artist themself)', {
      params: Type.Object({ handle: Type.String({ minLength: 1, maxLength: 30 }) }),
      response: { 200: Type.Object({ items: Type.Array(ReleaseCardSchema) }), ...errorResponses(400, 404) },
    }),
    async (request) => ({
      items: (await listUserReleases(core, currentActor(request), request.params.handle)).map(presentReleaseCard),
    }),
  );
}
