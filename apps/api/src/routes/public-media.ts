import { isPubliclyServable, parseRangeHeader, type Bucket } from '@earshot/storage';
import { sendStoreError } from '../http/store-errors.ts';
import { toErrorBody } from '../plugins/error-handler.ts';
import type { Api, RouteDeps } from '../types.ts';

/** docs/architecture.md, "Delivery": images and waveforms are public, cached 7 days, immutable (keys change when content does). */
const CACHE_CONTROL = 'public, max-age=604800, immutable';

/**
 * Embedded mode's stand-in for nginx's `/images/` and `/waveforms/` locations: streams the object
 * from storage with Range support. Keys are validated by the store (no `..`, no absolute paths).
 * Waveforms and version artwork are only served at keys holding an unguessable token: a private
 * or unlisted track's files cannot be found from its version id (docs/security.md).
 */
export function publicMediaRoutes(app: Api, deps: RouteDeps): void {
  for (const bucket of ['images', 'waveforms'] as const satisfies readonly Bucket[]) {
    app.get(`/${bucket}/*`, { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
      const raw = (request.params as { '*': string })['*'];
      let key: string;
      try {
        key = decodeURIComponent(raw);
      } catch {
        return reply.status(400).send(toErrorBody('bad_request', 'Malformed path'));
      }
      // Version media only at its unguessable key (packages/storage/src/keys.ts), as nginx.
      if (!isPubliclyServable(bucket, key)) return reply.status(404).send(toErrorBody('not_found', 'No such file'));
      const range = parseRangeHeader(request.headers.range);
      if (range === 'invalid')
        return reply.status(416).send(toErrorBody('range_not_satisfiable', 'Invalid Range header'));
      try {
        const object = await deps.infra.store.get(bucket, key, range ? { range } : undefined);
        reply
          .header('cache-control', CACHE_CONTROL)
          .header('accept-ranges', 'bytes')
          .header('content-length', String(object.contentLength));
        reply.header('expires', new Date(Date.now() + 604_800_000).toUTCString());
        if (object.contentType) reply.type(object.contentType);
        if (object.etag) reply.header('etag', object.etag);
        if (object.range)
          reply
            .status(206)
            .header('content-range', `bytes ${object.range.start}-${object.range.end}/${object.totalSize}`);
        return reply.send(object.body);
      } catch (err) {
        return sendStoreError(reply, err);
      }
    });
  }
}
