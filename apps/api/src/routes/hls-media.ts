import { gzipSync } from 'node:zlib';
import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
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
 * The worker stores objects with the same types (`CONTENT_TYPES` of @earshot/storage), which is
 * what nginx serves in production; a test keeps the two in step.
 */
export const HLS_CONTENT_TYPES = { m3u8: 'application/vnd.apple.mpegurl', m4s: 'video/iso.segment', mp4: 'audio/mp4' } as const;

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

/** The whole body in one buffer of its exact size (a read-stream chunk may pin a bigger slab). */
async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of body) {
    chunks.push(chunk as Buffer);
    length += (chunk as Buffer).length;
  }
  return Buffer.concat(chunks, length);
}

/** A stored file kept in memory: HLS files of a ready version never change. */
interface CachedFile {
  body: Buffer;
  etag: string | undefined;
  /** Gzipped body, for playlists, made on first use. */
  gzip?: Buffer;
  staleAt: number;
}

/**
 * Least-recently-used cache of whole files, bounded in bytes. Serving a 200 KB segment from memory
 * costs a Node process about half of what opening, reading and closing the file does (see
 * docs/performance.md); nginx gets the same from the page cache. Entries expire after `ttlMs` so
 * a re-processed version is picked up.
 */
export class HlsFileCache {
  private readonly files = new Map<string, CachedFile>();
  private bytes = 0;

  constructor(
    readonly maxBytes: number,
    readonly maxFileBytes: number,
    readonly ttlMs: number,
  ) {}

  get size(): { files: number; bytes: number } {
    return { files: this.files.size, bytes: this.bytes };
  }

  get(key: string, now: number): CachedFile | undefined {
    const file = this.files.get(key);
    if (!file) return undefined;
    this.files.delete(key);
    if (file.staleAt <= now) {
      this.bytes -= file.body.length + (file.gzip?.length ?? 0);
      return undefined;
    }
    this.files.set(key, file); // most recently used last
    return file;
  }

  set(key: string, file: CachedFile): void {
    const size = file.body.length + (file.gzip?.length ?? 0);
    if (size > this.maxFileBytes || size > this.maxBytes) return;
    const old = this.files.get(key);
    if (old) {
      this.files.delete(key);
      this.bytes -= old.body.length + (old.gzip?.length ?? 0);
    }
    this.files.set(key, file);
    this.bytes += size;
    for (const [k, f] of this.files) {
      if (this.bytes <= this.maxBytes) break;
      this.files.delete(k);
      this.bytes -= f.body.length + (f.gzip?.length ?? 0);
    }
  }

  addGzip(file: CachedFile, gzip: Buffer): void {
    if (file.gzip) return;
    file.gzip = gzip;
    this.bytes += gzip.length;
  }
}

export interface HlsMediaOptions {
  /** Memory kept for recently served files (default 64 MiB; 0 disables the cache). */
  cacheBytes?: number;
  /** Bigger files are always streamed from the store (default 2 MiB). */
  cacheMaxFileBytes?: number;
  /** How long a cached file is trusted (default 5 minutes). */
  cacheTtlMs?: number;
}

const ERROR_CODES = { 400: 'bad_request', 403: 'forbidden', 410: 'link_expired' } as const;

/**
 * Embedded mode's stand-in for nginx's `/media/hls/` location (production: nginx checks the
 * signature and serves playlists and segments itself). Same URL design and the same answers:
 * `/media/hls/<sig>/<expires>/version-<id>/<file>`, 403 missing/wrong signature, 410 expired,
 * 400 malformed path, 206 for Range, 404 when the file is not in storage.
 *
 * This is the hot path of playback (one request per ~6 s segment per listener, platform.md §8):
 * no schema, no info-level logs. Files up to `cacheMaxFileBytes` are read whole once and then
 * served from a bounded in-memory cache (segments are ~200 KB); bigger ones and ranged misses
 * are streamed from the store.
 */
export function hlsMediaRoutes(app: Api, deps: ApiDeps, options: HlsMediaOptions = {}): void {
  const secret = deps.config.media.secureLinkSecret;
  const store = deps.infra.store;
  const cache = new HlsFileCache(options.cacheBytes ?? 64 * 1024 * 1024, options.cacheMaxFileBytes ?? 2 * 1024 * 1024, options.cacheTtlMs ?? 5 * 60_000);

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const url = request.url;
    const q = url.indexOf('?');
    const now = Date.now();
    const check = verifyHlsRequest(q === -1 ? url : url.slice(0, q), secret, now);
    if (!check.ok) return reply.status(check.status).send(toErrorBody(ERROR_CODES[check.status], check.reason));
    const key = check.objectKey;
    const file = check.file;
    const ext = file.slice(file.lastIndexOf('.') + 1) as keyof typeof HLS_CONTENT_TYPES;
    const playlist = ext === 'm3u8';
    const range = parseRange(request.headers.range);
    if (range === 'invalid') return reply.status(416).send(toErrorBody('range_not_satisfiable', 'Invalid Range header'));

    const left = Math.max(0, check.expires - Math.floor(now / 1000));

    let cached = cache.get(key, now);
    if (!cached) {
      let object;
      try {
        object = await store.get('transcodes', key, range ? { range } : undefined);
      } catch (err) {
        return storeError(reply, err);
      }
      if (object.range || object.contentLength > cache.maxFileBytes) {
        // Ranged miss or big file: stream it as it comes.
        fileHeaders(reply, ext, left);
        if (object.range) reply.status(206).header('content-range', `bytes ${object.range.start}-${object.range.end}/${object.totalSize}`);
        reply.header('content-length', object.contentLength);
        if (object.etag) reply.header('etag', object.etag);
        return reply.send(object.body);
      }
      cached = { body: await readAll(object.body), etag: object.etag, staleAt: now + cache.ttlMs };
      cache.set(key, cached);
    }

    const body = cached.body;
    if (range && range.start >= body.length) return reply.status(416).header('content-range', `bytes */${body.length}`).send(toErrorBody('range_not_satisfiable', 'Range not satisfiable'));
    fileHeaders(reply, ext, left);
    if (range) {
      const end = Math.min(range.end ?? body.length - 1, body.length - 1);
      reply.status(206).header('content-range', `bytes ${range.start}-${end}/${body.length}`).header('content-length', end - range.start + 1);
      if (cached.etag) reply.header('etag', cached.etag);
      return reply.send(body.subarray(range.start, end + 1));
    }
    if (playlist && body.length > 0 && acceptsGzip(request.headers['accept-encoding'])) {
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

  app.get('/media/hls/*', { logLevel: 'warn', config: { access: 'public' }, schema: { hide: true } }, (request, reply) => handler(request, reply));
  // `/media/hls/` itself: with ignoreTrailingSlash it is this route, answered 403 as nginx does.
  app.get('/media/hls', { logLevel: 'warn', config: { access: 'public' }, schema: { hide: true } }, (request, reply) => handler(request, reply));
}

/** Headers of a file found (error answers keep their JSON type and no caching headers). */
function fileHeaders(reply: FastifyReply, ext: keyof typeof HLS_CONTENT_TYPES, secondsLeft: number): void {
  const playlist = ext === 'm3u8';
  reply.header('content-type', HLS_CONTENT_TYPES[ext]);
  reply.header('cache-control', playlist ? `private, max-age=${Math.min(PLAYLIST_MAX_AGE, secondsLeft)}` : `private, max-age=${secondsLeft}, immutable`);
  reply.header('accept-ranges', 'bytes');
  if (playlist) reply.header('vary', 'accept-encoding');
}

function storeError(reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof ObjectNotFoundError || err instanceof InvalidKeyError) return reply.status(404).send(toErrorBody('not_found', 'No such file'));
  if (err instanceof InvalidRangeError) return reply.status(416).header('content-range', `bytes */${err.totalSize}`).send(toErrorBody('range_not_satisfiable', 'Range not satisfiable'));
  throw err;
}
