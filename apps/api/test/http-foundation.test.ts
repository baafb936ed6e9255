import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { QUEUE_NAMES } from '@earshot/jobs';
import { useTestApi } from '../../../test/support/use-test-api.ts';

const api = useTestApi({
  api: { serveWorkerHealth: true, serveMedia: true },
  // A JSON route to exercise the body-parsing layer that every later write route shares.
  beforeReady: (api) => {
    api.post(
      '/api/v1/test-echo',
      {
        config: { access: 'anyone' },
        schema: { body: Type.Object({ name: Type.String({ maxLength: 20 }) }, { additionalProperties: false }) },
      },
      async (req) => req.body,
    );
  },
});

describe('health', () => {
  it('answers the documented health shape with every check healthy', async () => {
    const res = await api.app.inject('/api/v1/health');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toEqual({
      status: 'healthy',
      checks: [
        { service: 'database', healthy: true },
        { service: 'storage', healthy: true },
      ],
      timestamp: expect.any(String),
    });
    expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp);
  });

  it("serves the worker's health shape", async () => {
    const res = await api.app.inject('/api/v1/worker/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'healthy',
      queues: Object.fromEntries(QUEUE_NAMES.map((q) => [q, { waiting: 0, active: 0, failed: 0 }])),
    });
  });
});

describe('bad input gets a JSON 4xx', () => {
  /** The echo route's POST with `payload` sent as it is, under `contentType`. */
  const postRaw = (contentType: string, payload: string) =>
    api.app.inject({ method: 'POST', url: '/api/v1/test-echo', headers: { 'content-type': contentType }, payload });

  it('unknown route → 404', async () => {
    const res = await api.app.inject('/api/v1/does-not-exist');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      error: { code: 'not_found', message: expect.stringContaining('/api/v1/does-not-exist') },
    });
  });

  it('malformed JSON → 400 invalid_json', async () => {
    const res = await postRaw('application/json', '{"name": "x",');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_json');
  });

  it('empty JSON body → 400', async () => {
    const res = await postRaw('application/json', '');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toMatch(/invalid_json|validation_failed/);
  });

  it('oversized body → 413', async () => {
    const res = await postRaw('application/json', JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }));
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
  });

  it('wrong content type → 415', async () => {
    const res = await postRaw('application/xml', '<name>x</name>');
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('unsupported_media_type');
  });

  it('schema violation → 400 validation_failed naming the field', async () => {
    const res = await api.app.inject({ method: 'POST', url: '/api/v1/test-echo', payload: { name: 'x'.repeat(21) } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('name') });
    const extra = await api.app.inject({
      method: 'POST',
      url: '/api/v1/test-echo',
      payload: { name: 'x', admin: true },
    });
    expect(extra.statusCode).toBe(400);
  });

  it('bad query parameters → 400', async () => {
    for (const qs of ['limit=0', 'limit=1000', 'limit=abc', 'cursor=%00%00']) {
      const res = await api.app.inject(`/api/v1/tracks?${qs}`);
      expect(res.statusCode, qs).toBe(400);
      expect(res.json().error.code).toMatch(/validation_failed|bad_request/);
    }
  });

  it('public media paths cannot leave their bucket', async () => {
    for (const p of [
      '/images/../originals/x',
      '/images/%2e%2e/%2e%2e/etc/passwd',
      '/waveforms/a%2F..%2F..%2Fb',
      '/images/a%00b',
    ]) {
      const res = await api.app.inject(p);
      expect([400, 404], p).toContain(res.statusCode);
      expect(res.headers['content-type']).toMatch(/json/);
    }
  });
});

describe('tracks list', () => {
  it('is empty on a fresh install and paginates with an opaque cursor', async () => {
    const res = await api.app.inject('/api/v1/tracks?limit=5');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ tracks: [], nextCursor: null });
  });
});

describe('metrics', () => {
  it('labels requests by route template, never by raw URL', async () => {
    await api.app.inject('/api/v1/tracks?limit=3');
    await api.app.inject('/api/v1/no-such-thing/raw-url-marker');
    const res = await api.app.inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.body).toMatch(/http_requests_total\{method="GET",route="\/api\/v1\/tracks",status="200"[^}]*\} \d+/);
    expect(res.body).toMatch(
      /http_request_duration_seconds_bucket\{le="0.1",[^}]*method="GET",route="\/api\/v1\/tracks"/,
    );
    expect(res.body).toMatch(/route="unmatched",status="404"/);
    expect(res.body).not.toContain('raw-url-marker');
    expect(res.body).not.toContain('limit=3');
  });
});

describe('logs', () => {
  it('every line is JSON with service and environment', async () => {
    await api.app.inject('/api/v1/health');
    expect(api.t.logLines.length).toBeGreaterThan(0);
    for (const line of api.t.logLines) expect(line).toMatchObject({ service: 'api', environment: 'development' });
  });

  it('never logs the authorization header or cookies', async () => {
    await api.app.inject({
      url: '/api/v1/health',
      headers: { authorization: 'Bearer super-secret-token', cookie: 'session=secret-cookie' },
    });
    const all = JSON.stringify(api.t.logLines);
    expect(all).not.toContain('super-secret-token');
    expect(all).not.toContain('secret-cookie');
  });
});

describe('OpenAPI', () => {
  it('documents the public routes at /api/docs', async () => {
    const res = await api.app.inject('/api/docs/json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/health', '/api/v1/tracks']));
  });
});
