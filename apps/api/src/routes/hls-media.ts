import { gzipSync } from 'node:zlib';
import { buffer } from 'node:stream/consumers';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { verifyHlsRequest } from '@earshot/core';
import { isGrowingPlaylist } from '@earshot/media';
import { contentTypeFor, parseRangeHeader } from '@earshot/storage';
import { acceptsGzip } from '../http/accepts-gzip.ts';
import { FileCache } from '../http/file-cache.ts';
import { sendStoreError } from '../http/store-errors.ts';
import { toErrorBody } from '../plugins/error-handler.ts';
import type { Api, RouteDeps } from '../types.ts';

/** Playlists may change when a version is re-processed: browsers keep them a minute at most. */
const PLAYLIST_MAX_AGE = 60;

export interface HlsMediaOptions {
  /** Memory kept for recently served files (default 64 MiB; 0 disables the cache). */
  cacheBytes?: number;
  /** Bigger files are always streamed from the store (default 2 MiB). */
  cacheMaxFileBytes?: number;
  /** How long a cached file is trusted (default 5 minutes). */
  cacheTtlMs?: number;
}

const SIGNATURE_ERRORS = { 400: 'bad_request', 403: 'forbidden', 410: 'link_expired' } as const;

/**
 * Embedded mode's stand-in for nginx's `/media/hls/` location (production: nginx checks the
 * signature and serves playlists and segments itself). Same URL design and the same answers:
 * `/media/hls/<sig>/<expires>/version-<id>/<file>`, 403 missing/wrong signature, 410 expired,
 * 400 malformed path, 206 for Range, 404 when the file is not in storage.
 *
 * This is the hot path of playback (one request per ~6 s segment per listener, docs/architecture.md, "Performance budgets"):
 * no schema, no info-level logs. Files up to `cacheMaxFileBytes` are read whole once and then
 * served from a bounded in-memory cache (segments are ~200 KB); bigger ones and ranged misses
 * are streamed from the store.
 */
export function hlsMediaRoutes(
  app: Api,
  deps: Pick<RouteDeps, 'config' | 'infra'>,
  options: HlsMediaOptions = {},
): void {
  const secret = deps.config.media.secureLinkSecret;
  const store = deps.infra.store;
  const cache = new FileCache(
    options.cacheBytes ?? 64 * 1024 * 1024,
    options.cacheMaxFileBytes ?? 2 * 1024 * 1024,
    options.cacheTtlMs ?? 5 * 60_000,
  );

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const url = request.url;
    const q = url.indexOf('?');
    const now = Date.now();
    const check = verifyHlsRequest(q === -1 ? url : url.slice(0, q), secret, now);
    if (!check.ok) return reply.status(check.status).send(toErrorBody(SIGNATURE_ERRORS[check.status], check.reason));
    const key = check.objectKey;
    const file = check.file;
    const playlist = file.endsWith('.m3u8');
    const range = parseRangeHeader(request.headers.range);
    if (range === 'invalid')
      return reply.status(416).send(toErrorBody('range_not_satisfiable', 'Invalid Range header'));

    const left = Math.max(0, check.expires - Math.floor(now / 1000));

    let cached = cache.get(key, now);
    // Only files that will not change are cached, so a cache hit is never a growing playlist.
    let growing = false;
    if (!cached) {
      let object;
      try {
        object = await store.get('transcodes', key, range ? { range } : undefined);
      } catch (err) {
        return sendStoreError(reply, err);
      }
      if (object.range || object.contentLength > cache.maxFileBytes) {
        // Ranged miss or big file: stream it as it comes.
        fileHeaders(reply, file, left, false);
        if (object.range)
          reply
            .status(206)
            .header('content-range', `bytes ${object.range.start}-${object.range.end}/${object.totalSize}`);
        reply.header('content-length', object.contentLength);
        if (object.etag) reply.header('etag', object.etag);
        return reply.send(object.body);
      }
      cached = { body: await buffer(object.body), etag: object.etag, staleAt: now + cache.ttlMs };
      // A playlist of a version still being processed changes every few seconds: never kept.
      growing = playlist && isGrowingPlaylist(cached.body.toString('utf8'));
      if (!growing) cache.set(key, cached);
    }

    const body = cached.body;
    if (range && range.start >= body.length)
      return reply
        .status(416)
        .header('content-range', `bytes */${body.length}`)
        .send(toErrorBody('range_not_satisfiable', 'Range not satisfiable'));
    fileHeaders(reply, file, left, growing);
    if (range) {
      const end = Math.min(range.end ?? body.length - 1, body.length - 1);
      reply
        .status(206)
        .header('content-range', `bytes ${range.start}-${end}/${body.length}`)
        .header('content-length', end - range.start + 1);
      if (cached.etag) reply.header('etag', cached.etag);
      return reply.send(body.subarray(range.start, end + 1));
    }
    if (playlist && body.length > 0 && acceptsGzip(request.headers)) {
      if (!cached.gzip) cache.addGzip(cached, gzipSync(body));
      reply.header('content-encoding', 'gzip').header('content-length', cached.gzip!.length);
      // RFC 9110 §8.8.3: another representation, so the strong ETag must not be reused as is.
      if (cached.etag) reply.header('etag', `W/${cached.etag.startsWith('W/') ? cached.etag.slice(2) : cached.etag}`);
      return reply.send(cached.gzip);
    }
    reply.header('content-length', body.length);
    if (cached.etag) reply.header('etag', cached.etag);
    return reply.send(body);
  };

  app.get(
    '/media/hls/*',
    { logLevel: 'warn', config: { access: 'public' }, schema: { hide: true } },
    (request, reply) => handler(request, reply),
  );
  // `/media/hls/` itself: with ignoreTrailingSlash it is this route, answered 403 as nginx does.
  app.get('/media/hls', { logLevel: 'warn', config: { access: 'public' }, schema: { hide: true } }, (request, reply) =>
    handler(request, reply),
  );
}

/** Headers of a file found (error answers keep their JSON type and no caching headers). */
function fileHeaders(reply: FastifyReply, file: string, secondsLeft: number, growing: boolean): void {
  const playlist = file.endsWith('.m3u8');
  // The types the worker stored the files with, which nginx serves in production.
  reply.header('content-type', contentTypeFor(file)!);
  reply.header(
    'cache-control',
    growing
      ? 'private, no-cache'
      : playlist
        ? `private, max-age=${Math.min(PLAYLIST_MAX_AGE, secondsLeft)}`
        : `private, max-age=${secondsLeft}, immutable`,
  );
  reply.header('accept-ranges', 'bytes');
  if (playlist) reply.header('vary', 'accept-encoding');
}
