import { Type } from 'typebox';
import {
  PLAYLIST_DESCRIPTION_MAX,
  PLAYLIST_TITLE_MAX,
  PLAYLIST_TRACKS_MAX,
  createPlaylist,
  deletePlaylist,
  getPlaylist,
  listMyPlaylists,
  setPlaylistTracks,
  updatePlaylist,
} from '@earshot/core';
import { errorResponses, ById } from '../schemas.ts';
import { PlaylistCardSchema, PlaylistSchema, presentPlaylist, presentPlaylistCard } from '../presenters/library.ts';
import { currentActor, requireUser } from '../current-user.ts';
import type { Api, RouteDeps } from '../types.ts';
import { endpointsTagged } from '../http/endpoint.ts';

const Visibility = Type.Union([Type.Literal('public'), Type.Literal('unlisted'), Type.Literal('private')]);
const Title = Type.String({ maxLength: PLAYLIST_TITLE_MAX * 4 });
const Description = Type.String({ maxLength: PLAYLIST_DESCRIPTION_MAX * 4, 'x-text': 'multiline' });
// Core refuses more than PLAYLIST_TRACKS_MAX with a clear message; the schema bounds the parse.
const TrackIds = Type.Array(Type.String({ maxLength: 20 }), { maxItems: PLAYLIST_TRACKS_MAX + 1000 });
const Reply = Type.Object({ playlist: PlaylistSchema });

const endpoint = endpointsTagged('playlists');

/** Playlists: docs/architecture.md, "Catalogue". */
export function playlistRoutes(app: Api, deps: RouteDeps): void {
  const { core } = deps;

  app.post(
    '/api/v1/playlists',
    endpoint('signed-in', 'Make a playlist', {
      body: Type.Object(
        {
          title: Title,
          description: Type.Optional(Description),
          visibility: Type.Optional(Visibility),
          trackIds: Type.Optional(TrackIds),
        },
        { additionalProperties: false },
      ),
      response: { 201: Reply, ...errorResponses(400, 401, 409, 422) },
    }),
    async (request, reply) =>
      reply
        .code(201)
        .send({ playlist: presentPlaylist(await createPlaylist(core, currentActor(request), request.body)) }),
  );

  app.get(
    '/api/v1/playlists/:id',
    endpoint('anyone', 'A playlist, per its visibility; tracks hidden from you are left out', {
      params: ById,
      response: { 200: Reply, ...errorResponses(400, 404) },
    }),
    async (request) => ({
      playlist: presentPlaylist(await getPlaylist(core, currentActor(request), request.params.id)),
    }),
  );

  app.patch(
    '/api/v1/playlists/:id',
    endpoint({ owner: 'playlist' }, 'Rename, describe, or change who sees a playlist', {
      params: ById,
      body: Type.Object(
        {
          title: Type.Optional(Title),
          description: Type.Optional(Description),
          visibility: Type.Optional(Visibility),
        },
        { additionalProperties: false },
      ),
      response: { 200: Reply, ...errorResponses(400, 401, 403, 404) },
    }),
    async (request) => ({
      playlist: presentPlaylist(await updatePlaylist(core, currentActor(request), request.params.id, request.body)),
    }),
  );

  app.put(
    '/api/v1/playlists/:id/tracks',
    endpoint(
      { owner: 'playlist' },
      `Set the whole order of a playlist (at most ${PLAYLIST_TRACKS_MAX.toLocaleString('en')} tracks)`,
      {
        params: ById,
        body: Type.Object({ trackIds: TrackIds }, { additionalProperties: false }),
        response: { 200: Reply, ...errorResponses(400, 401, 403, 404, 422) },
      },
    ),
    async (request) => ({
      playlist: presentPlaylist(
        await setPlaylistTracks(core, currentActor(request), request.params.id, request.body.trackIds),
      ),
    }),
  );

  app.delete(
    '/api/v1/playlists/:id',
    endpoint({ owner: 'playlist' }, 'Delete a playlist (the tracks stay)', {
      params: ById,
      response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
    }),
    async (request, reply) => {
      await deletePlaylist(core, currentActor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/me/playlists',
    endpoint('signed-in', 'Your playlists, newest first (the “Add to playlist” menu)', {
      response: { 200: Type.Object({ items: Type.Array(PlaylistCardSchema) }), ...errorResponses(401) },
    }),
    async (request) => ({ items: (await listMyPlaylists(core, requireUser(request))).map(presentPlaylistCard) }),
  );
}
