/** The web's typed client: paths built from the generated types, answers and refusals. */
import createClient from 'openapi-fetch';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../lib/api';
import { ok, pathSerializer, type paths } from '../lib/api/client';
import { FieldError, formErrorsFrom } from '../lib/hooks/use-form-submit';

function clientAnswering(status: number, body: string, seen: string[] = []) {
  return createClient<paths>({
    baseUrl: 'http://api.test',
    pathSerializer,
    fetch: async (request) => {
      seen.push(request.url);
      return new Response(body, { status, headers: { 'content-type': 'application/json' } });
    },
  });
}

describe('the typed API client', () => {
  it('encodes path parameters as encodeURIComponent does, `$` patterns included', async () => {
    const seen: string[] = [];
    const api = clientAnswering(200, '{"track":{}}', seen);
    await api.GET('/api/v1/users/{handle}/tracks/{slug}', { params: { path: { handle: "a$'b", slug: '$&/../x y' } } });
    expect(seen).toEqual([
      `http://api.test/api/v1/users/${encodeURIComponent("a$'b")}/tracks/${encodeURIComponent('$&/../x y')}`,
    ]);
  });

  it('resolves with the body of a 2xx answer', async () => {
    const body = await ok(
      clientAnswering(200, '{"nextCursor":null,"tracks":[]}').GET('/api/v1/tracks', {
        params: { query: { limit: 1 } },
      }),
    );
    expect(body).toEqual({ nextCursor: null, tracks: [] });
  });

  it("rejects with the API's error, its code and details", async () => {
    const refused = ok(
      clientAnswering(
        409,
        '{"error":{"code":"handle_taken","message":"That handle is taken","details":{"field":"handle"}}}',
      ).PATCH('/api/v1/me', { body: { handle: 'x' } }),
    );
    await expect(refused).rejects.toMatchObject({
      name: 'ApiError',
      status: 409,
      code: 'handle_taken',
      message: 'That handle is taken',
      details: { field: 'handle' },
    });
  });

  it('rejects an answer that is not the error shape with its status', async () => {
    const refused = ok(
      clientAnswering(502, '<html>bad gateway</html>').GET('/api/v1/tracks', { params: { query: { limit: 1 } } }),
    );
    await expect(refused).rejects.toBeInstanceOf(ApiError);
    await expect(refused).rejects.toMatchObject({ status: 502, code: 'http_error' });
  });
});

describe('form errors', () => {
  it("shows the API's error at the field it names, when the form has that field", () => {
    const err = new ApiError(400, 'validation_failed', 'Too long', { field: 'bio' });
    expect(formErrorsFrom(err, ['bio'])).toEqual({ fields: { bio: 'Too long' }, form: null });
    expect(formErrorsFrom(err, ['handle'])).toEqual({ fields: {}, form: 'Too long' });
  });

  it("shows the page's own checks at their field, and a network failure above the form", () => {
    expect(formErrorsFrom(new FieldError('confirm', 'Not the same'), ['password', 'confirm'])).toEqual({
      fields: { confirm: 'Not the same' },
      form: null,
    });
    expect(formErrorsFrom(new TypeError('fetch failed'), ['email'])).toEqual({
      fields: {},
      form: 'The server could not be reached.',
    });
  });
});
