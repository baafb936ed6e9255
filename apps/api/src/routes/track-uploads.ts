import { Type } from 'typebox';
import { addVersionFromUpload, createTrackFromUpload, validationFailed } from '@earshot/core';
import { receiveUpload, uploadTempDir } from '../upload-receiver.ts';
import { errorResponses, ById } from '../schemas.ts';
import { TrackResponse, VersionSchema, presentTrack, presentVersion } from '../presenters/track.ts';
import { requireUser } from '../current-user.ts';
import type { Api, RouteDeps } from '../types.ts';
import { endpointsTagged } from '../http/endpoint.ts';

const endpoint = endpointsTagged('tracks');

/** Uploads of masters, streamed to storage, then processed by the worker. */
export function trackUploadRoutes(app: Api, deps: RouteDeps): void {
  const tmpDir = uploadTempDir(deps.config.dataDir);

  app.post(
    '/api/v1/tracks',
    endpoint(
      { roles: ['artist', 'admin'] },
      'Upload a master (multipart: `file` + `title`, `description?`, `visibility?`, `genre?`, `album?`, `trackNumber?`, `year?`, `coverFromFile?` (`false`: the file’s embedded cover is not the artwork); what is left empty comes from the file’s tags)',
      {
        consumes: ['multipart/form-data'],
        response: { 201: Type.Object({ track: TrackResponse }), ...errorResponses(400, 401, 403, 413, 415, 422) },
      },
      { upload: true },
    ),
    async (request, reply) => {
      const user = requireUser(request);
      const upload = await receiveUpload(request, tmpDir, deps.config.uploadMaxBytes);
      try {
        // The fields' rules (the text rule first) are core's: tracks/fields.ts.
        const { title = '', description, visibility, genre, album, trackNumber, year, coverFromFile } = upload.fields;
        const track = await createTrackFromUpload(deps.core, user, upload.file, {
          title,
          description,
          visibility,
          genre,
          album,
          trackNumber,
          year,
          coverFromFile,
        });
        deps.businessMetrics?.uploads.inc();
        return reply.status(201).send({ track: presentTrack(track) });
      } finally {
        await upload.discard();
      }
    },
  );

  app.post(
    '/api/v1/tracks/:id/versions',
    endpoint(
      { owner: 'track' },
      'Upload a new master for a track you own (multipart `file`)',
      {
        consumes: ['multipart/form-data'],
        params: ById,
        response: {
          201: Type.Object({ version: VersionSchema }),
          ...errorResponses(400, 401, 403, 404, 413, 415, 422),
        },
      },
      { upload: true },
    ),
    async (request, reply) => {
      const user = requireUser(request);
      const upload = await receiveUpload(request, tmpDir, deps.config.uploadMaxBytes);
      try {
        if (Object.keys(upload.fields).length) throw validationFailed('Only the `file` field is accepted here');
        const version = await addVersionFromUpload(deps.core, user, request.params.id, upload.file);
        deps.businessMetrics?.uploads.inc();
        return reply.status(201).send({ version: presentVersion(version) });
      } finally {
        await upload.discard();
      }
    },
  );
}
