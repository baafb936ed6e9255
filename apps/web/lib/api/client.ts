/**
 * The browser's typed client of the API: every path, parameter, body and answer comes from
 * `./schema.d.ts`, generated from the API's OpenAPI document (`npm run api:types`,
 * docs/architecture.md, "The web and the API"). Write `api.GET('/api/v1/tracks/{id}', …)`, never a
 * URL by hand, and type answers with `ApiResponse<path, method>`, never a copied interface.
 *
 * Same origin (nginx or the embedded server routes `/api/v1/*` to the API), cookies included, not
 * cached; every write carries the CSRF header (`csrfHeaders()`, lib/api.ts).
 */
import createClient, { type Middleware, type PathSerializer } from 'openapi-fetch';
import { apiErrorFrom, csrfHeaders } from '../api';
import type { paths } from './schema';

export type { paths };

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The JSON body of a path's 2xx answer, e.g. `ApiResponse<'/api/v1/auth/me'>['user']`. */
export type ApiResponse<P extends keyof paths, M extends Method = 'get'> = paths[P][M] extends { responses: infer R }
  ? {
      [S in keyof R]: S extends 200 | 201 | 202
        ? R[S] extends { content: { 'application/json': infer B } }
          ? B
          : never
        : never;
    }[keyof R]
  : never;

/** The JSON body a path accepts. */
export type ApiRequestBody<P extends keyof paths, M extends Method> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;

/**
 * `{name}` → the value, `encodeURIComponent`-encoded, as the hand-written URLs did. The library's
 * default serializer uses `String.replace` with the value as the replacement *pattern*, where `$&`
 * or `$'` in a handle or slug would splice other parts of the path in.
 */
export const pathSerializer: PathSerializer = (pathname, params) =>
  pathname.replace(/\{([^{}]+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined || value === null ? whole : encodeURIComponent(String(value));
  });

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const csrf: Middleware = {
  onRequest({ request }) {
    if (SAFE_METHODS.has(request.method)) return undefined;
    for (const [name, value] of Object.entries(csrfHeaders())) request.headers.set(name, value);
    return request;
  },
};

export const api = createClient<paths>({
  pathSerializer,
  credentials: 'same-origin',
  cache: 'no-store',
  headers: { accept: 'application/json' },
});
api.use(csrf);

/**
 * The data of a 2xx answer; any other answer rejects with `ApiError` (its `{error: {code, message}}`),
 * a network failure with `TypeError` (`describeApiError` turns both into a sentence).
 */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw apiErrorFrom(response.status, error ?? null, response.statusText);
  return data as T;
}
