import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { textProblem } from '@earshot/core';
import { useTestApi } from '../../../test/support/use-test-api.ts';
import { signIn } from '../../../test/support/users.ts';

/**
 * Walks the API's own OpenAPI document: every route, every string path param, query param and
 * JSON body field gets the nasty set. Never a 5xx; what is stored is clean and NFC.
 */
let admin: { token: string; id: string };
let ipSeq = 0;
const nextIp = () => `198.19.${(ipSeq >> 8) & 255}.${ipSeq++ & 255}`;

const api = useTestApi();
beforeAll(async () => {
  admin = await signIn(api.app, api.t.infra.database.db, 'admin');
});

/** Nasty strings, as JS strings (sent JSON-escaped in bodies, percent-encoded in URLs). */
const NASTY: Array<[string, string]> = [
  ['NUL', 'a\u0000b'],
  ['C0 control', 'a\u0007\u001bb'],
  ['C1 control', 'a\u0085b'],
  ['newline', 'a\nb'],
  ['bidi override', 'Cool Song \u202e3pm.exe'],
  ['bidi isolate', 'a\u2067b'],
  ['zero-width space', 'a\u200bb'],
  ['BOM', '\ufeffabc'],
  ['lone surrogate', 'a\ud800b'],
  ['not NFC', 'Cafe\u0301'],
  ['very long', 'x'.repeat(20_000)],
  ['SQL', "' OR 1=1; drop table users; --"],
  ['HTML', '<script>alert(1)</script><img src=x onerror=alert(1)>'],
  ['percent and slashes', '../%2e%2e/%00/\\'],
];
/** Raw bytes that are not UTF-8 (overlong `/`, a lone continuation byte, 0xFF). */
const BAD_BYTES = [Buffer.from([0xc0, 0xaf]), Buffer.from([0x80]), Buffer.from([0xff, 0xfe])];

interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  items?: Schema;
}
interface Operation {
  parameters?: Array<{ in: 'path' | 'query'; name: string; schema?: Schema }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

function sample(schema: Schema | undefined): unknown {
  if (!schema) return 'x';
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf) return sample(schema.anyOf[0]);
  switch (schema.type) {
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((k) => [k, sample(schema.properties?.[k])]));
    default:
      return 'x';
  }
}

const isString = (s: Schema | undefined) => s?.type === 'string' || s?.anyOf?.some((a) => a.type === 'string');
/** Percent-encoding; a lone surrogate (which encodeURIComponent refuses) goes as its CESU bytes, which are not UTF-8. */
const encode = (value: string) =>
  /[\ud800-\udfff]/.test(value)
    ? encodeURIComponent(value.replace(/[\ud800-\udfff]/g, '@')).replace('%40', '%ED%A0%80')
    : encodeURIComponent(value);

interface Probe {
  route: string;
  target: string;
  inject: () => Promise<LightMyRequestResponse>;
}

function probesFor(route: string, method: string, op: Operation): Probe[] {
  const params = op.parameters ?? [];
  const base: Record<string, string> = Object.fromEntries(
    params.filter((p) => p.in === 'path').map((p) => [p.name, '1']),
  );
  const urlWith = (path: Record<string, string>, query = '') =>
    route.replace(/\{(\w+)\}/g, (_, name: string) => path[name] ?? '1') + query;
  const json = op.requestBody?.content?.['application/json']?.schema;
  const body = json ? (sample(json) as Record<string, unknown>) : undefined;
  const send = (url: string, payload?: string | Buffer) => () =>
    api.app.inject({
      method: method.toUpperCase() as 'GET',
      url,
      headers: {
        authorization: `Bearer ${admin.token}`,
        ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(payload !== undefined
        ? { payload }
        : body
          ? {
              payload: JSON.stringify(body),
              headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
            }
          : {}),
      remoteAddress: nextIp(),
    });
  const out: Probe[] = [];
  for (const p of params.filter((p) => isString(p.schema))) {
    for (const [name, value] of NASTY) {
      const url =
        p.in === 'path'
          ? urlWith({ ...base, [p.name]: encode(value).slice(0, p.in === 'path' ? 2000 : 8000) })
          : urlWith(base, `?${p.name}=${encode(value).slice(0, 8000)}`);
      out.push({ route: `${method.toUpperCase()} ${route}`, target: `${p.in} ${p.name}: ${name}`, inject: send(url) });
    }
    for (const bytes of BAD_BYTES) {
      const raw = [...bytes].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
      const url = p.in === 'path' ? urlWith({ ...base, [p.name]: `a${raw}` }) : urlWith(base, `?${p.name}=a${raw}`);
      out.push({
        route: `${method.toUpperCase()} ${route}`,
        target: `${p.in} ${p.name}: bytes ${bytes.toString('hex')}`,
        inject: send(url),
      });
    }
  }
  for (const [field] of Object.entries(json?.properties ?? {}).filter(([, s]) => isString(s))) {
    for (const [name, value] of NASTY) {
      out.push({
        route: `${method.toUpperCase()} ${route}`,
        target: `body ${field}: ${name}`,
        inject: send(urlWith(base), JSON.stringify({ ...body, [field]: value })),
      });
    }
    for (const bytes of BAD_BYTES) {
      const payload = Buffer.concat([
        Buffer.from(JSON.stringify({ ...body, [field]: '@@' }).split('"@@"')[0]! + '"a'),
        bytes,
        Buffer.from('"' + JSON.stringify({ ...body, [field]: '@@' }).split('"@@"')[1]!),
      ]);
      out.push({
        route: `${method.toUpperCase()} ${route}`,
        target: `body ${field}: bytes ${bytes.toString('hex')}`,
        inject: send(urlWith(base), payload),
      });
    }
  }
  return out;
}

describe('every string input of every route, from the OpenAPI document', () => {
  it('gets a 4xx or a clean 2xx, never a 5xx; nothing unclean is stored', async () => {
    const doc = (await api.app.inject({ url: '/api/docs/json' })).json() as {
      paths: Record<string, Record<string, Operation>>;
    };
    const probes = Object.entries(doc.paths).flatMap(([route, ops]) =>
      Object.entries(ops).flatMap(([method, op]) => probesFor(route, method, op)),
    );
    const routes = new Set(probes.map((p) => p.route));
    // The routes with string inputs: profile edits, auth, reads by handle/slug/id, cursors…
    expect(routes.size).toBeGreaterThanOrEqual(15);
    expect(probes.length).toBeGreaterThanOrEqual(400);

    const fiveHundreds: string[] = [];
    const badRefusals: string[] = [];
    for (const probe of probes) {
      const res = await probe.inject();
      if (res.statusCode >= 500)
        fiveHundreds.push(`${probe.route} ${probe.target} → ${res.statusCode} ${res.body.slice(0, 200)}`);
      else if (res.statusCode >= 400 && !/application\/json/.test(String(res.headers['content-type'])))
        badRefusals.push(`${probe.route} ${probe.target} → ${res.statusCode} not JSON`);
      else if (res.statusCode < 300 && res.body && textProblem(res.body.replace(/\\n/g, ' ')) === 'control_characters')
        badRefusals.push(`${probe.route} ${probe.target} → 2xx echoing a control character`);
    }
    expect(fiveHundreds).toEqual([]);
    expect(badRefusals).toEqual([]);

    // Stored text is clean and NFC.
    const db = api.t.infra.database.db;
    const users = await db.selectFrom('users').select(['handle', 'email', 'display_name', 'bio']).execute();
    const tracks = await db.selectFrom('tracks').select(['title', 'description', 'slug']).execute();
    const stored = [
      ...users.flatMap((u) => [u.handle, u.email, u.display_name]),
      ...users.map((u) => u.bio ?? ''),
      ...tracks.flatMap((r) => [r.title, r.slug]),
      ...tracks.map((r) => r.description),
    ];
    for (const value of stored) {
      expect(textProblem(value, 'multiline'), JSON.stringify(value)).toBeNull();
      expect(value.normalize('NFC')).toBe(value);
    }
  });

  it('the text rule itself: refusals name the field and the reason', async () => {
    const patchMe = (payload: object) =>
      api.app.inject({
        method: 'PATCH',
        url: '/api/v1/me',
        headers: { authorization: `Bearer ${admin.token}` },
        payload,
        remoteAddress: nextIp(),
      });
    const res = await patchMe({ displayName: 'Cool Song \u202e3pm.exe' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'validation_failed',
      details: { field: 'displayName', reason: 'bidi_controls' },
    });
    const nul = await api.app.inject({ url: '/api/v1/users/ab%00cd/tracks/some-slug', remoteAddress: nextIp() });
    expect(nul.statusCode).toBe(400);
    expect(nul.json().error.details).toMatchObject({ field: 'handle', reason: 'control_characters' });
    const overlong = await api.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: Buffer.from([
        ...Buffer.from('{"email":"a'),
        0xc0,
        0xaf,
        ...Buffer.from('@example.test","password":"x"}'),
      ]),
      remoteAddress: nextIp(),
    });
    expect(overlong.statusCode).toBe(400);
    expect(overlong.json().error.details).toMatchObject({ reason: 'invalid_unicode' });
    // Newlines and tabs stay in a bio; CRLF becomes LF; text is stored NFC.
    const bio = await patchMe({ bio: 'Cafe\u0301\r\n\tline two' });
    expect(bio.statusCode, bio.body).toBe(200);
    expect(bio.json().user.bio).toBe('Caf\u00e9\n\tline two');
    // An emoji ZWJ sequence is not an invisible character.
    const emoji = await patchMe({ displayName: 'DJ \u{1F469}\u200D\u{1F3A4}' });
    expect(emoji.statusCode, emoji.body).toBe(200);
  });
});
