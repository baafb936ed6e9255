/**
 * Who may call what: every registered route, called as anonymous, a listener, another artist,
 * the owner (an artist who owns the fixtures) and an admin, checked against the table below.
 *
 * HOW TO ADD A ROUTE (a new route without a row fails this test, and so does a stale row):
 * add one entry to MATRIX, keyed `'<METHOD> <url exactly as registered>'` (HEAD twins of GET
 * routes are covered by their GET row):
 *
 *   'POST /api/v1/things/:id': {
 *     request: (f) => ({ url: `/api/v1/things/${f.publicTrackId}`, payload: { name: 'x' } }),
 *     expect: { anonymous: 401, listener: 403, otherArtist: 403, owner: '2xx', admin: '2xx' },
 *   },
 *
 * - `request(f)` builds the call from the fixtures `f` (users, tracks, a stored image, a signed
 *   HLS path; add what your module needs in `makeFixtures`). The caller's session cookie and
 *   CSRF header are added for you, and each cell comes from its own client IP.
 * - Expectations are a status class (`'2xx'`, `'3xx'`, `'4xx'`) or an exact status; `everyone(x)`
 *   fills all five. For routes that refuse bad input only after access passes, give the input
 *   error's exact status (e.g. 415) so that it cannot be mistaken for a 401/403.
 * - State changed by a cell (roles, disabled flags) is restored before the next one; sessions are
 *   re-signed for every cell, so logout and password changes do not leak into other rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { Kysely } from 'kysely';
import type { Database, Role } from '@earshot/db';
import { signHlsPath } from '@earshot/core';
import { keys } from '@earshot/storage';
import { createMetricsRegistry } from '@earshot/runtime';
import { buildApi, type Api } from '../src/index.ts';
import { declaredRoutes, MissingAccessError } from '../src/plugins/access.ts';
import { createTestInfra, type TestInfra } from '../../../test/support/infra.ts';
import { createReadyTrack } from '../../../test/support/factories.ts';
import { cookieHeaders, createUser, sessionFor, type TestUser } from './support/accounts.ts';

const CALLERS = ['anonymous', 'listener', 'otherArtist', 'owner', 'admin'] as const;
type Caller = (typeof CALLERS)[number];
type Expect = '2xx' | '3xx' | '4xx' | number;
type Expectations = Record<Caller, Expect>;

interface Fixtures {
  users: Record<Exclude<Caller, 'anonymous'>, TestUser> & { victim: TestUser; loginUser: TestUser };
  publicTrackId: string;
  privateTrack: { id: string; slug: string };
  imageKey: string;
  hlsPath: string;
  /** A fresh value per cell (for unique emails and handles). */
  unique: () => string;
}

interface Row {
  request: (f: Fixtures) => { url: string; payload?: unknown; headers?: Record<string, string> };
  expect: Expectations;
}

const everyone = (e: Expect): Expectations => ({ anonymous: e, listener: e, otherArtist: e, owner: e, admin: e });
const signedIn = (e: Expect): Expectations => ({ anonymous: 401, listener: e, otherArtist: e, owner: e, admin: e });
const adminOnly: Expectations = { anonymous: 401, listener: 403, otherArtist: 403, owner: 403, admin: '2xx' };
const ownerOrAdmin = (e: Expect): Expectations => ({ anonymous: 401, listener: 403, otherArtist: 403, owner: e, admin: e });
/** Private things: others are told it does not exist. */
const ownerSees: Expectations = { anonymous: 404, listener: 404, otherArtist: 404, owner: '2xx', admin: '2xx' };

const MATRIX: Record<string, Row> = {
  // Operations and documentation
  'GET /api/v1/health': { request: () => ({ url: '/api/v1/health' }), expect: everyone('2xx') },
  'GET /api/v1/worker/health': { request: () => ({ url: '/api/v1/worker/health' }), expect: everyone('2xx') },
  'GET /metrics': { request: () => ({ url: '/metrics' }), expect: everyone('2xx') },
  'GET /api/docs': { request: () => ({ url: '/api/docs' }), expect: everyone('2xx') },
  'GET /api/docs/json': { request: () => ({ url: '/api/docs/json' }), expect: everyone('2xx') },
  'GET /api/docs/yaml': { request: () => ({ url: '/api/docs/yaml' }), expect: everyone('2xx') },
  'GET /api/docs/static/index.html': { request: () => ({ url: '/api/docs/static/index.html' }), expect: everyone('3xx') },
  'GET /api/docs/static/swagger-initializer.js': { request: () => ({ url: '/api/docs/static/swagger-initializer.js' }), expect: everyone('2xx') },
  'GET /api/docs/static/*': { request: () => ({ url: '/api/docs/static/swagger-ui.css' }), expect: everyone('2xx') },

  // Public media (embedded mode)
  'GET /images/*': { request: (f) => ({ url: `/images/${f.imageKey}` }), expect: everyone('2xx') },
  'GET /waveforms/*': { request: () => ({ url: '/waveforms/version-999999.json' }), expect: everyone(404) },
  'GET /media/hls/*': { request: (f) => ({ url: f.hlsPath }), expect: everyone('2xx') },
  'GET /media/hls': { request: () => ({ url: '/media/hls' }), expect: everyone(400) },

  // Tracks
  'GET /api/v1/tracks': { request: () => ({ url: '/api/v1/tracks' }), expect: everyone('2xx') },
  'GET /api/v1/tracks/:id': { request: (f) => ({ url: `/api/v1/tracks/${f.privateTrack.id}` }), expect: ownerSees },
  'GET /api/v1/users/:handle/tracks/:slug': { request: (f) => ({ url: `/api/v1/users/${f.users.owner.handle}/tracks/${f.privateTrack.slug}` }), expect: ownerSees },
  'GET /api/v1/tracks/:id/stream': { request: (f) => ({ url: `/api/v1/tracks/${f.publicTrackId}/stream` }), expect: everyone('2xx') },
  // Per visibility, like the stream: the private fixture (1 s long) is only playable by its owner and admins.
  'POST /api/v1/tracks/:id/plays': { request: (f) => ({ url: `/api/v1/tracks/${f.privateTrack.id}/plays`, payload: { secondsListened: 1 } }), expect: ownerSees },
  // Not multipart → 415 once access has passed.
  'POST /api/v1/tracks': { request: () => ({ url: '/api/v1/tracks', payload: { title: 'x' } }), expect: { anonymous: 401, listener: 403, otherArtist: 415, owner: 415, admin: 415 } },
  'POST /api/v1/tracks/:id/versions': { request: (f) => ({ url: `/api/v1/tracks/${f.publicTrackId}/versions`, payload: {} }), expect: ownerOrAdmin(415) },
  // A plain GET (no upgrade) is refused by the WebSocket plugin for everyone; the socket itself
  // closes anonymous connections with 4401 (live-events.test.ts).
  'GET /api/v1/ws': { request: () => ({ url: '/api/v1/ws' }), expect: everyone('4xx') },

  // Insights and trending
  'GET /api/v1/trending': { request: () => ({ url: '/api/v1/trending?period=week' }), expect: everyone(200) },
  'GET /api/v1/tracks/:id/stats': { request: (f) => ({ url: `/api/v1/tracks/${f.publicTrackId}/stats` }), expect: ownerOrAdmin(200) },
  'GET /api/v1/me/stats': { request: () => ({ url: '/api/v1/me/stats' }), expect: { anonymous: 401, listener: 403, otherArtist: 200, owner: 200, admin: 200 } },
  'GET /api/v1/admin/stats': { request: () => ({ url: '/api/v1/admin/stats' }), expect: adminOnly },

  // Jobs administration
  'POST /api/v1/admin/jobs/retry': { request: () => ({ url: '/api/v1/admin/jobs/retry', payload: { queue: 'transcode', limit: 1 } }), expect: adminOnly },
  'GET /api/v1/admin/jobs/failed': { request: () => ({ url: '/api/v1/admin/jobs/failed?queue=transcode' }), expect: adminOnly },

  // Accounts
  'POST /api/v1/auth/register': { request: (f) => ({ url: '/api/v1/auth/register', payload: { email: `${f.unique()}@example.test`, password: 'matrix passphrase 1', handle: f.unique() } }), expect: everyone(201) },
  'POST /api/v1/auth/login': { request: (f) => ({ url: '/api/v1/auth/login', payload: { email: f.users.loginUser.email, password: f.users.loginUser.password } }), expect: everyone(200) },
  'POST /api/v1/auth/logout': { request: () => ({ url: '/api/v1/auth/logout' }), expect: signedIn(204) },
  'GET /api/v1/auth/me': { request: () => ({ url: '/api/v1/auth/me' }), expect: signedIn(200) },
  'POST /api/v1/auth/verify-email': { request: () => ({ url: '/api/v1/auth/verify-email', payload: { token: 'x'.repeat(43) } }), expect: everyone(400) },
  'POST /api/v1/auth/verify-email/resend': { request: () => ({ url: '/api/v1/auth/verify-email/resend' }), expect: signedIn(202) },
  'POST /api/v1/auth/forgot-password': { request: () => ({ url: '/api/v1/auth/forgot-password', payload: { email: 'someone@example.test' } }), expect: everyone(202) },
  'POST /api/v1/auth/reset-password': { request: () => ({ url: '/api/v1/auth/reset-password', payload: { token: 'x'.repeat(43), password: 'matrix passphrase 2' } }), expect: everyone(400) },
  'PATCH /api/v1/me': { request: () => ({ url: '/api/v1/me', payload: { bio: 'Hello' } }), expect: signedIn(200) },
  'PUT /api/v1/me/password': { request: () => ({ url: '/api/v1/me/password', payload: { currentPassword: 'not the password', newPassword: 'matrix passphrase 3' } }), expect: signedIn(400) },
  'PUT /api/v1/me/email': { request: (f) => ({ url: '/api/v1/me/email', payload: { email: `${f.unique()}@example.test`, password: 'not the password' } }), expect: signedIn(400) },
  'PUT /api/v1/me/avatar': { request: () => ({ url: '/api/v1/me/avatar', payload: {} }), expect: signedIn(415) },
  'DELETE /api/v1/me/avatar': { request: () => ({ url: '/api/v1/me/avatar' }), expect: signedIn(200) },
  'POST /api/v1/me/become-artist': { request: () => ({ url: '/api/v1/me/become-artist' }), expect: signedIn(200) },
  'GET /api/v1/users/:handle': { request: (f) => ({ url: `/api/v1/users/${f.users.owner.handle}` }), expect: everyone(200) },
  'GET /api/v1/users/:handle/tracks': { request: (f) => ({ url: `/api/v1/users/${f.users.owner.handle}/tracks` }), expect: everyone(200) },
  'POST /api/v1/admin/users/:id/disable': { request: (f) => ({ url: `/api/v1/admin/users/${f.users.victim.id}/disable` }), expect: adminOnly },
  'POST /api/v1/admin/users/:id/enable': { request: (f) => ({ url: `/api/v1/admin/users/${f.users.victim.id}/enable` }), expect: adminOnly },
};

let t: TestInfra;
let app: Api;
let f: Fixtures;

async function makeFixtures(): Promise<Fixtures> {
  const db = t.infra.database.db;
  const users = {
    listener: await createUser(db, 'listener'),
    otherArtist: await createUser(db, 'artist'),
    owner: await createUser(db, 'artist'),
    admin: await createUser(db, 'admin'),
    victim: await createUser(db, 'listener'),
    loginUser: await createUser(db, 'listener'),
  };
  const pub = await createReadyTrack(db, users.owner.id, 'public-one', { visibility: 'public', durationMs: 1000, originalKey: 'version-x/original.wav' });
  const priv = await createReadyTrack(db, users.owner.id, 'private-one', { visibility: 'private', durationMs: 1000, originalKey: 'version-x/original.wav' });
  await t.infra.store.put('transcodes', keys.hlsMaster(pub.versionId), '#EXTM3U\n', { contentType: 'application/vnd.apple.mpegurl' });
  const imageKey = 'test/pixel.webp';
  await t.infra.store.put('images', imageKey, await sharp({ create: { width: 2, height: 2, channels: 3, background: '#f80' } }).webp().toBuffer(), { contentType: 'image/webp' });
  const hls = signHlsPath(pub.versionId, 600, t.config.media.secureLinkSecret, new Date());
  let n = 0;
  return { users, publicTrackId: pub.id, privateTrack: { id: priv.id, slug: 'private-one' }, imageKey, hlsPath: hls.path, unique: () => `m${Date.now().toString(36)}${n++}` };
}

async function restore(): Promise<void> {
  for (const [name, role] of [['listener', 'listener'], ['otherArtist', 'artist'], ['owner', 'artist'], ['admin', 'admin'], ['victim', 'listener'], ['loginUser', 'listener']] as const) {
    await t.infra.database.db.updateTable('users').set({ role: role as Role, disabled_at: null }).where('id', '=', f.users[name].id).execute();
  }
}

function matches(status: number, e: Expect): boolean {
  return typeof e === 'number' ? status === e : Math.floor(status / 100) === Number(e[0]);
}

/** GET/HEAD twins share one row. */
function routeKeys(api: Api): string[] {
  const all = declaredRoutes(api).map((r) => `${r.method} ${r.url}`);
  return [...new Set(all.filter((k) => !(k.startsWith('HEAD ') && all.includes(`GET ${k.slice(5)}`))))];
}

beforeAll(async () => {
  t = await createTestInfra();
  app = await buildApi({ config: t.config, logger: t.logger, infra: t.infra, metrics: t.metrics, serveWorkerHealth: true, serveMedia: true } as never);
  await app.ready();
  f = await makeFixtures();
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

describe('access declarations', () => {
  it('every registered route has a row in the matrix, and every row a route', () => {
    const registered = routeKeys(app);
    expect(registered.filter((k) => !(k in MATRIX)), 'routes missing from MATRIX (see the top of this file)').toEqual([]);
    expect(Object.keys(MATRIX).filter((k) => !registered.includes(k)), 'rows of routes that no longer exist').toEqual([]);
  });

  it('a route without config.access stops the app from starting', async () => {
    const other = await buildApi({ config: t.config, logger: t.logger, infra: t.infra, metrics: createMetricsRegistry('api') } as never);
    try {
      expect(() => other.get('/api/v1/forgotten', async () => 'oops')).toThrow(MissingAccessError);
      expect(() => other.route({ method: 'POST', url: '/api/v1/forgotten-too', config: {}, handler: async () => 'oops' })).toThrow(/declares no config.access/);
    } finally {
      await other.close();
    }
  });
});

describe('access matrix', () => {
  let cell = 0;
  for (const [key, row] of Object.entries(MATRIX)) {
    it(key, async () => {
      const [method, url] = key.split(' ') as [string, string];
      const failures: string[] = [];
      for (const caller of CALLERS) {
        await restore();
        const req = row.request(f);
        const auth = caller === 'anonymous' ? {} : cookieHeaders(await sessionFor(t.infra.database.db, t.config, f.users[caller].id));
        const c = cell++;
        const res = await app.inject({
          method: method as 'GET',
          url: req.url,
          payload: req.payload as object | undefined,
          headers: { ...auth, ...req.headers },
          remoteAddress: `10.${(c >> 8) & 255}.${c & 255}.1`,
        });
        const want = row.expect[caller];
        if (!matches(res.statusCode, want)) failures.push(`${caller}: got ${res.statusCode}, want ${want} — ${res.body.slice(0, 160)}`);
        if (res.statusCode >= 500) failures.push(`${caller}: server error`);
      }
      await restore();
      expect(failures, `${key} (${url})`).toEqual([]);
    });
  }
});
