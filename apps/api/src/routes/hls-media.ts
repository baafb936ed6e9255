import { gzipSync } from 'node:zlib';
import type { Readable } from 'node:stream';
import { verifyHlsRequest } from '@earshot/core';
import { InvalidKeyError, InvalidRangeError, ObjectNotFoundError } from '@earshot/storage';
import { toErrorBody } from '../plugins/error-handler.ts';
import { parseRange } from './public-media.ts';
import type { Api, ApiDeps } from '../types.ts';

/**
 * Content types of HLS files.
 * - `.m3u8`: `application/vnd.apple.mpegurl` (RFC 8216 §4; what Safari's native player expects).
 * - `.m4s`: `video/iso.segment`, the IANA type of ISO BMFF media segments that Apple's HLS
 *   authoring spec lists for `.m4s`. hls.js reads segments as bytes and ignores the type;
 *   Safari follows Apple's table. `audio/mp4` would also play, but describes a whole file.
 * - `.mp4` (the init segment, `init.mp4`): `audio/mp4` — an audio-only ISO BMFF file (RFC 4337).
 */
export const HLS_CONTENT_TYPES = { m3u8: 'application/vnd.apple.mpegurl', m4s: 'video/iso.segment', mp4: 'audio/mp4' } as const;

/** Playlists are small; bigger ones are streamed uncompressed rather than buffered. */
const GZIP_MAX_BYTES = 256 * 1024;
/** Playlists may change when a version is re-processed: browsers keep them a minute at most. */
const PLAYLIST_MAX_AGE = 60;

const acceptsGzip = (header: string | undefined): boolean => {
  if (!header) return false;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.split(';');
    const coding = name.trim().toLowerCase();
    if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== '*') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return !q || Number(q.slice(2)) > 0;
  }
  return false;
};

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/**
 * Embedded mode's stand-in for nginx's `/media/hls/` location (production: nginx checks the
 * signature and serves playlists and segments itself). Same URL design and the same answers:
 * `/media/hls/<sig>/<expires>/version-<id>/<file>`, 403 missing/wrong signature, 410 expired,
 * 400 malformed path, 206 for Range, 404 when the file is not in storage.
 *
 * This is the hot path of playback (one request per ~6 s segment per listener, platform.md §8):
 * no schema, no info-level logs, no buffering of segments — the object is streamed from the store.
 */
export function hlsMediaRoutes(app: Api, deps: ApiDeps): void {
  const secret = deps.config.media.secureLinkSecret;
  const store = deps.infra.store;

  app.get(
    '/media/hls/*',
    { logLevel: 'warn', config: { access: 'anyone' }, schema: { hide: true } },
    async (request, reply) => {
      const url = request.url;
      const q = url.indexOf('?');
      const now = Date.now();
      const check = verifyHlsRequest(q === -1 ? url : url.slice(0, q), secret, now);
      if (!check.ok) {
        const code = check.status === 410 ? 'link_expired' : check.status === 403 ? 'forbidden' : 'bad_request';
        return reply.status(check.status).send(toErrorBody(code, check.reason));
      }
      const file = check.file;
      const ext = file.slice(file.lastIndexOf('.') + 1) as keyof typeof HLS_CONTENT_TYPES;
      const playlist = ext === 'm3u8';
      const range = parseRange(request.headers.range);
      if (range === 'invalid') return reply.status(416).send(toErrorBody('range_not_satisfiable', 'Invalid Range header'));

      let object;
      try {
        object = await store.get('transcodes', check.objectKey, range ? { range } : undefined);
      } catch (err) {
        if (err instanceof ObjectNotFoundError || err instanceof InvalidKeyError) return reply.status(404).send(toErrorBody('not_found', 'No such file'));
        if (err instanceof InvalidRangeError) return reply.status(416).header('content-range', `bytes */${err.totalSize}`).send(toErrorBody('range_not_satisfiable', 'Range not satisfiable'));
        throw err;
      }

      const left = Math.max(0, check.expires - Math.floor(now / 1000));
      reply.header('content-type', HLS_CONTENT_TYPES[ext]);
      reply.header('cache-control', playlist ? `private, max-age=${Math.min(PLAYLIST_MAX_AGE, left)}` : `private, max-age=${left}, immutable`);
      reply.header('accept-ranges', 'bytes');
      if (object.range) {
        reply.status(206).header('content-range', `bytes ${object.range.start}-${object.range.end}/${object.totalSize}`);
      } else if (playlist) {
        reply.header('vary', 'accept-encoding');
        if (object.contentLength <= GZIP_MAX_BYTES && acceptsGzip(request.headers['accept-encoding'])) {
          const gz = gzipSync(await readAll(object.body));
          reply.header('content-encoding', 'gzip').header('content-length', gz.length);
          // RFC 9110 §8.8.3: another representation, so the strong ETag must not be reused as is.
          if (object.etag) reply.header('etag', `W/${object.etag.startsWith('W/') ? object.etag.slice(2) : object.etag}`);
          return reply.send(gz);
        }
      }
      reply.header('content-length', object.contentLength);
      if (object.etag) reply.header('etag', object.etag);
      return reply.send(object.body);
    },
  );
}
