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
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@earshot/db';
import { signHlsPath } from '@earshot/core';
import { createMetricsRegistry } from '@earshot/runtime';
import type { Api } from '../src/index.ts';
import { declaredRoutes, MissingAccessError } from '../src/plugins/access.ts';
import { buildTestApi, createReadyTrack, storeMediaStubs } from '../../../test/support/factories.ts';
import { useTestApi } from '../../../test/support/use-test-api.ts';
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
  /** Library: the owner's release and private playlist, a sold track and release (deletes refused with 409), playlists to delete (one per cell). */
  library: { releaseId: string; soldTrackId: string; soldReleaseId: string; playlistId: string; spare: () => string };
  /** A comment of the owner on the public track. */
  commentId: string;
  /** A fresh value per cell (for unique emails and handles). */
  unique: () => string;
  /** Moderation: a track, release and comment to take down (restored before each cell) and an open report. */
  moderation: { trackId: string; releaseId: string; commentId: string; reportId: string };
}

interface Row {
  request: (f: Fixtures) => { url: string; payload?: unknown; headers?: Record<string, string> };
  expect: Expectations;
}

const everyone = (e: Expect): Expectations => ({ anonymous: e, listener: e, otherArtist: e, owner: e, admin: e });
const signedIn = (e: Expect): Expectations => ({ anonymous: 401, listener: e, otherArtist: e, owner: e, admin: e });
const adminOnly: Expectations = { anonymous: 401, listener: 403, otherArtist: 403, owner: 403, admin: '2xx' };
const ownerOrAdmin = (e: Expect): Expectations => ({
  anonymous: 401,
  listener: 403,
  otherArtist: 403,
  owner: e,
  admin: e,
});
/** Private things: others are told it does not exist. */
const ownerSees: Expectations = { anonymous: 404, listener: 404, otherArtist: 404, owner: '2xx', admin: '2xx' };

/**
 * Takedown (with a reason) and restore of the moderation fixtures' track, release and comment, in
 * that order: admins only.
 */
function takedownRows(): Record<string, Row> {
  const subjects = [
    ['tracks', 'trackId'],
    ['releases', 'releaseId'],
    ['comments', 'commentId'],
  ] as const;
  return Object.fromEntries(
    subjects.flatMap(
      ([kind, id]): Array<[string, Row]> => [
        [
          `POST /api/v1/admin/${kind}/:id/takedown`,
          {
            request: (f) => ({
              url: `/api/v1/admin/${kind}/${f.moderation[id]}/takedown`,
              payload: { reason: 'Matrix' },
            }),
            expect: adminOnly,
          },
        ],
        [
          `POST /api/v1/admin/${kind}/:id/restore`,
          {
            request: (f) => ({ url: `/api/v1/admin/${kind}/${f.moderation[id]}/restore`, payload: {} }),
            expect: adminOnly,
          },
        ],
      ],
    ),
  );
}

const MATRIX: Record<string, Row> = {
  // Operations and documentation
  'GET /api/v1/health': { request: () => ({ url: '/api/v1/health' }), expect: everyone('2xx') },
  'GET /api/v1/worker/health': { request: () => ({ url: '/api/v1/worker/health' }), expect: everyone('2xx') },
  'GET /metrics': { request: () => ({ url: '/metrics' }), expect: everyone('2xx') },
  'GET /api/docs': { request: () => ({ url: '/api/docs' }), expect: everyone('2xx') },
  'GET /api/docs/json': { request: () => ({ url: '/api/docs/json' }), expect: everyone('2xx') },
  'GET /api/docs/yaml': { request: () => ({ url: '/api/docs/yaml' }), expect: everyone('2xx') },
  'GET /api/docs/static/index.html': {
    request: () => ({ url: '/api/docs/static/index.html' }),
    expect: everyone('3xx'),
  },
  'GET /api/docs/static/swagger-initializer.js': {
    request: () => ({ url: '/api/docs/static/swagger-initializer.js' }),
    expect: everyone('2xx'),
  },
  'GET /api/docs/static/*': { request: () => ({ url: '/api/docs/static/swagger-ui.css' }), expect: everyone('2xx') },

  // Public media (embedded mode)
  'GET /images/*': { request: (f) => ({ url: `/images/${f.imageKey}` }), expect: everyone('2xx') },
  'GET /waveforms/*': { request: () => ({ url: '/waveforms/version-999999.json' }), expect: everyone(404) },
  'GET /media/hls/*': { request: (f) => ({ url: f.hlsPath }), expect: everyone('2xx') },
  'GET /media/hls': { request: () => ({ url: '/media/hls' }), expect: everyone(400) },

  // Tracks
  'GET /api/v1/tracks': { request: () => ({ url: '/api/v1/tracks' }), expect: everyone('2xx') },
  'GET /api/v1/tracks/:id': { request: (f) => ({ url: `/api/v1/tracks/${f.privateTrack.id}` }), expect: ownerSees },
  'GET /api/v1/users/:handle/tracks/:slug': {
    request: (f) => ({ url: `/api/v1/users/${f.users.owner.handle}/tracks/${f.privateTrack.slug}` }),
    expect: ownerSees,
  },
  'GET /api/v1/tracks/:id/stream': {
    request: (f) => ({ url: `/api/v1/tracks/${f.publicTrackId}/stream` }),
    expect: everyone('2xx'),
  },
  // Per visibility, like the stream: the private fixture (1 s long) is only playable by its owner and admins.
  'POST /api/v1/tracks/:id/plays': {
    request: (f) => ({ url: `/api/v1/tracks/${f.privateTrack.id}/plays`, payload: { secondsListened: 1 } }),
    expect: ownerSees,
  },
  // Not multipart → 415 once access has passed.
  'POST /api/v1/tracks': {
    request: () => ({ url: '/api/v1/tracks', payload: { title: 'x' } }),
    expect: { anonymous: 401, listener: 403, otherArtist: 415, owner: 415, admin: 415 },
  },
  'POST /api/v1/tracks/:id/versions': {
    request: (f) => ({ url: `/api/v1/tracks/${f.publicTrackId}/versions`, payload: {} }),
    expect: ownerOrAdmin(415),
  },
  // A plain GET (no upgrade) is refused by the WebSocket plugin for everyone; the socket itself
  // closes anonymous connections with 4401 (live-events.test.ts).
  'GET /api/v1/ws': { request: () => ({ url: '/api/v1/ws' }), expect: everyone('4xx') },

  // Insights and trending
  'GET /api/v1/trending': { request: () => ({ url: '/api/v1/trending?period=week' }), expect: everyone(200) },
  'GET /api/v1/tracks/:id/stats': {
    request: (f) => ({ url: `/api/v1/tracks/${f.publicTrackId}/stats` }),
    expect: ownerOrAdmin(200),
  },
  'GET /api/v1/me/stats': {
    request: () => ({ url: '/api/v1/me/stats' }),
    expect: { anonymous: 401, listener: 403, otherArtist: 200, owner: 200, admin: 200 },
  },
  'GET /api/v1/admin/stats': { request: () => ({ url: '/api/v1/admin/stats' }), expect: adminOnly },

  // Jobs administration
  'POST /api/v1/admin/jobs/retry': {
    request: () => ({ url: '/api/v1/admin/jobs/retry', payload: { queue: 'transcode', limit: 1 } }),
    expect: adminOnly,
  },
  'GET /api/v1/admin/jobs/failed': {
    request: () => ({ url: '/api/v1/admin/jobs/failed?queue=transcode' }),
    expect: adminOnly,
  },

  // Accounts
  'POST /api/v1/auth/register': {
    request: (f) => ({
      url: '/api/v1/auth/register',
      payload: { email: `${f.unique()}@example.test`, password: 'matrix passphrase 1', handle: f.unique() },
    }),
    expect: everyone(201),
  },
  'POST /api/v1/auth/login': {
    request: (f) => ({
      url: '/api/v1/auth/login',
      payload: { email: f.users.loginUser.email, password: f.users.loginUser.password },
    }),
    expect: everyone(200),
  },
  'POST /api/v1/auth/logout': { request: () => ({ url: '/api/v1/auth/logout' }), expect: signedIn(204) },
  'GET /api/v1/auth/me': { request: () => ({ url: '/api/v1/auth/me' }), expect: signedIn(200) },
  'POST /api/v1/auth/verify-email': {
    request: () => ({ url: '/api/v1/auth/verify-email', payload: { token: 'x'.repeat(43) } }),
    expect: everyone(400),
  },
  'POST /api/v1/auth/verify-email/resend': {
    request: () => ({ url: '/api/v1/auth/verify-email/resend' }),
    expect: signedIn(202),
  },
  'POST /api/v1/auth/forgot-password': {
    request: () => ({ url: '/api/v1/auth/forgot-password', payload: { email: 'someone@example.test' } }),
    expect: everyone(202),
  },
  'POST /api/v1/auth/reset-password': {
    request: () => ({
      url: '/api/v1/auth/reset-password',
      payload: { token: 'x'.repeat(43), password: 'matrix passphrase 2' },
    }),
    expect: everyone(400),
  },
  'PATCH /api/v1/me': { request: () => ({ url: '/api/v1/me', payload: { bio: 'Hello' } }), expect: signedIn(200) },
  'PUT /api/v1/me/password': {
    request: () => ({
      url: '/api/v1/me/password',
      payload: { currentPassword: 'not the password', newPassword: 'matrix passphrase 3' },
    }),
    expect: signedIn(400),
  },
  'PUT /api/v1/me/email': {
    request: (f) => ({
      url: '/api/v1/me/email',
      payload: { email: `${f.unique()}@example.test`, password: 'not the password' },
    }),
    expect: signedIn(400),
  },
  'PUT /api/v1/me/avatar': { request: () => ({ url: '/api/v1/me/avatar', payload: {} }), expect: signedIn(415) },
  'DELETE /api/v1/me/avatar': { request: () => ({ url: '/api/v1/me/avatar' }), expect: signedIn(200) },
  'POST /api/v1/me/become-artist': { request: () => ({ url: '/api/v1/me/become-artist' }), expect: signedIn(200) },
  'GET /api/v1/users/:handle': {
    request: (f) => ({ url: `/api/v1/users/${f.users.owner.handle}` }),
    expect: everyone(200),
  },
  'GET /api/v1/users/:handle/tracks': {
    request: (f) => ({ url: `/api/v1/users/${f.users.owner.handle}/tracks` }),
    expect: everyone(200),
  },
  'POST /api/v1/admin/users/:id/disable': {
    request: (f) => ({ url: `/api/v1/admin/users/${f.users.victim.id}/disable` }),
    expect: adminOnly,
  },
  'POST /api/v1/admin/users/:id/enable': {
    request: (f) => ({ url: `/api/v1/admin/users/${f.users.victim.id}/enable` }),
    expect: adminOnly,
  },

  // Commerce (no Stripe keys here: buying is off; the public track has no price and is not downloadable)
  'POST /api/v1/checkout': {
    request: (f) => ({
      url: '/api/v1/checkout',
      payload: { item: { type: 'track', id: f.publicTrackId }, amountMinor: 100, currency: 'USD' },
    }),
    expect: { anonymous: 409, listener: 409, otherArtist: 409, owner: 400, admin: 409 },
  },
  'POST /api/v1/stripe/webhook': {
    request: () => ({
      url: '/api/v1/stripe/webhook',
      payload: { id: 'evt_x' },
      headers: { 'stripe-signature': 't=1,v1=00' },
    }),
    expect: everyone(409),
  },
  'GET /api/v1/checkout/sessions/:sessionId': {
    request: () => ({ url: '/api/v1/checkout/sessions/cs_test_unknown' }),
    expect: everyone(404),
  },
  'GET /api/v1/me/collection': { request: () => ({ url: '/api/v1/me/collection' }), expect: signedIn(200) },
  'GET /api/v1/me/buyers': { request: () => ({ url: '/api/v1/me/buyers' }), expect: signedIn(200) },
  'GET /api/v1/me/buyers.csv': { request: () => ({ url: '/api/v1/me/buyers.csv' }), expect: signedIn(200) },
  'GET /api/v1/tracks/:id/purchase-options': {
    request: (f) => ({ url: `/api/v1/tracks/${f.privateTrack.id}/purchase-options` }),
    expect: ownerSees,
  },
  'GET /api/v1/releases/:id/purchase-options': {
    request: () => ({ url: '/api/v1/releases/999999/purchase-options' }),
    expect: everyone(404),
  },
  'GET /api/v1/tracks/:id/download': {
    request: (f) => ({ url: `/api/v1/tracks/${f.publicTrackId}/download?format=mp3-320` }),
    expect: { anonymous: 403, listener: 403, otherArtist: 403, owner: 202, admin: 202 },
  },
  'GET /api/v1/releases/:id/download': {
    request: () => ({ url: '/api/v1/releases/999999/download?format=mp3-320' }),
    expect: everyone(404),
  },
  'GET /media/downloads/:item/:format': {
    request: (f) => ({ url: `/media/downloads/track-${f.publicTrackId}/mp3-320` }),
    expect: everyone(403),
  },
  'GET /api/v1/me/payouts': {
    request: () => ({ url: '/api/v1/me/payouts' }),
    expect: { anonymous: 401, listener: 403, otherArtist: 200, owner: 200, admin: 200 },
  },
  'POST /api/v1/me/payouts/onboarding': {
    request: () => ({ url: '/api/v1/me/payouts/onboarding' }),
    expect: { anonymous: 401, listener: 403, otherArtist: 409, owner: 409, admin: 409 },
  },
  // Library: managing tracks, releases, playlists, search
  'PATCH /api/v1/tracks/:id': {
    request: (f) => ({ url: `/api/v1/tracks/${f.privateTrack.id}`, payload: { description: 'Edited' } }),
    expect: ownerOrAdmin(200),
  },
  // A sold track: access passes, then the delete is refused without the buyers' confirmation.
  'DELETE /api/v1/tracks/:id': {
    request: (f) => ({ url: `/api/v1/tracks/${f.library.soldTrackId}` }),
    expect: ownerOrAdmin(409),
  },
  'PUT /api/v1/tracks/:id/artwork': {
    request: (f) => ({ url: `/api/v1/tracks/${f.publicTrackId}/artwork`, payload: {} }),
    expect: ownerOrAdmin(415),
  },
  'PUT /api/v1/tracks/:id/current-version': {
    request: (f) => ({
      url: `/api/v1/tracks/${f.privateTrack.id}/current-version`,
      payload: { versionId: '999999999' },
    }),
    expect: ownerOrAdmin(404),
  },
  // The fixture track is ready: access passes, then there is nothing to retry.
  'POST /api/v1/tracks/:id/retry': {
    request: (f) => ({ url: `/api/v1/tracks/${f.publicTrackId}/retry` }),
    expect: ownerOrAdmin(409),
  },
  'GET /api/v1/me/tracks': { request: () => ({ url: '/api/v1/me/tracks' }), expect: signedIn(200) },
  // Artists make releases of their own tracks; an empty one is fine.
  'POST /api/v1/releases': {
    request: () => ({ url: '/api/v1/releases', payload: { title: 'Matrix EP', type: 'ep', trackIds: [] } }),
    expect: { anonymous: 401, listener: 403, otherArtist: 201, owner: 201, admin: 201 },
  },
  'GET /api/v1/releases/:id': {
    request: (f) => ({ url: `/api/v1/releases/${f.library.releaseId}` }),
    expect: ownerSees,
  },
  'PATCH /api/v1/releases/:id': {
    request: (f) => ({ url: `/api/v1/releases/${f.library.releaseId}`, payload: { description: 'Edited' } }),
    expect: ownerOrAdmin(200),
  },
  'DELETE /api/v1/releases/:id': {
    request: (f) => ({ url: `/api/v1/releases/${f.library.soldReleaseId}` }),
    expect: ownerOrAdmin(409),
  },
  'PUT /api/v1/releases/:id/artwork': {
    request: (f) => ({ url: `/api/v1/releases/${f.library.releaseId}/artwork`, payload: {} }),
    expect: ownerOrAdmin(415),
  },
  'GET /api/v1/users/:handle/releases': {
    request: (f) => ({ url: `/api/v1/users/${f.users.owner.handle}/releases` }),
    expect: everyone(200),
  },
  'POST /api/v1/playlists': {
    request: () => ({ url: '/api/v1/playlists', payload: { title: 'Matrix mix' } }),
    expect: signedIn(201),
  },
  'GET /api/v1/playlists/:id': {
    request: (f) => ({ url: `/api/v1/playlists/${f.library.playlistId}` }),
    expect: ownerSees,
  },
  'PATCH /api/v1/playlists/:id': {
    request: (f) => ({ url: `/api/v1/playlists/${f.library.playlistId}`, payload: { description: 'Edited' } }),
    expect: ownerOrAdmin(200),
  },
  'PUT /api/v1/playlists/:id/tracks': {
    request: (f) => ({
      url: `/api/v1/playlists/${f.library.playlistId}/tracks`,
      payload: { trackIds: [f.publicTrackId] },
    }),
    expect: ownerOrAdmin(200),
  },
  // Each cell deletes a playlist of its own.
  'DELETE /api/v1/playlists/:id': {
    request: (f) => ({ url: `/api/v1/playlists/${f.library.spare()}` }),
    expect: ownerOrAdmin(204),
  },
  'GET /api/v1/me/playlists': { request: () => ({ url: '/api/v1/me/playlists' }), expect: signedIn(200) },
  'GET /api/v1/search': { request: () => ({ url: '/api/v1/search?q=public&type=track' }), expect: everyone(200) },
  'GET /api/v1/genres/:name/tracks': {
    request: () => ({ url: '/api/v1/genres/ambient/tracks' }),
    expect: everyone(200),
  },
  'GET /api/v1/tags/:name/tracks': {
    request: () => ({ url: '/api/v1/tags/field-recording/tracks' }),
    expect: everyone(200),
  },
  // Community (comments, likes, reposts, follows, feed, notifications)
  'POST /api/v1/comments': {
    request: (f) => ({ url: '/api/v1/comments', payload: { trackId: f.publicTrackId, body: 'matrix', positionMs: 0 } }),
    expect: signedIn(201),
  },
  'GET /api/v1/tracks/:id/comments': {
    request: (f) => ({ url: `/api/v1/tracks/${f.privateTrack.id}/comments` }),
    expect: ownerSees,
  },
  // Author (here the track owner too) or admin; deleting twice is still 204.
  'DELETE /api/v1/comments/:id': {
    request: (f) => ({ url: `/api/v1/comments/${f.commentId}` }),
    expect: { anonymous: 401, listener: 403, otherArtist: 403, owner: 204, admin: 204 },
  },
  'PUT /api/v1/tracks/:id/comments-closed': {
    request: (f) => ({ url: `/api/v1/tracks/${f.privateTrack.id}/comments-closed` }),
    expect: ownerOrAdmin(200),
  },
  'DELETE /api/v1/tracks/:id/comments-closed': {
    request: (f) => ({ url: `/api/v1/tracks/${f.privateTrack.id}/comments-closed` }),
    expect: ownerOrAdmin(200),
  },
  'PUT /api/v1/tracks/:id/like': {
    request: (f) => ({ url: `/api/v1/tracks/${f.publicTrackId}/like` }),
    expect: signedIn(200),
  },
  'DELETE /api/v1/tracks/:id/like': {
    request: (f) => ({ url: `/api/v1/tracks/${f.publicTrackId}/like` }),
    expect: signedIn('2xx'),
  },
  'PUT /api/v1/tracks/:id/repost': {
    request: (f) => ({ url: `/api/v1/tracks/${f.privateTrack.id}/repost` }),
    expect: { ...ownerSees, anonymous: 401 },
  },
  'DELETE /api/v1/tracks/:id/repost': {
    request: (f) => ({ url: `/api/v1/tracks/${f.publicTrackId}/repost` }),
    expect: signedIn(204),
  },
  // Following yourself is a 400.
  'PUT /api/v1/users/:handle/follow': {
    request: (f) => ({ url: `/api/v1/users/${f.users.owner.handle}/follow` }),
    expect: { anonymous: 401, listener: 200, otherArtist: 200, owner: 400, admin: 200 },
  },
  'DELETE /api/v1/users/:handle/follow': {
    request: (f) => ({ url: `/api/v1/users/${f.users.owner.handle}/follow` }),
    expect: signedIn('2xx'),
  },
  'GET /api/v1/tracks/:id/counts': {
    request: (f) => ({ url: `/api/v1/tracks/${f.privateTrack.id}/counts` }),
    expect: ownerSees,
  },
  'GET /api/v1/users/:handle/counts': {
    request: (f) => ({ url: `/api/v1/users/${f.users.owner.handle}/counts` }),
    expect: everyone(200),
  },
  'GET /api/v1/tracks/:id/likes': {
    request: (f) => ({ url: `/api/v1/tracks/${f.privateTrack.id}/likes` }),
    expect: ownerSees,
  },
  'GET /api/v1/tracks/:id/reposts': {
    request: (f) => ({ url: `/api/v1/tracks/${f.privateTrack.id}/reposts` }),
    expect: ownerSees,
  },
  'GET /api/v1/users/:handle/followers': {
    request: (f) => ({ url: `/api/v1/users/${f.users.owner.handle}/followers` }),
    expect: everyone(200),
  },
  'GET /api/v1/users/:handle/following': {
    request: (f) => ({ url: `/api/v1/users/${f.users.owner.handle}/following` }),
    expect: everyone(200),
  },
  'GET /api/v1/feed': { request: () => ({ url: '/api/v1/feed' }), expect: signedIn(200) },
  'GET /api/v1/me/likes': { request: () => ({ url: '/api/v1/me/likes' }), expect: signedIn(200) },
  'GET /api/v1/me/history': { request: () => ({ url: '/api/v1/me/history' }), expect: signedIn(200) },
  'GET /api/v1/notifications': { request: () => ({ url: '/api/v1/notifications' }), expect: signedIn(200) },
  'POST /api/v1/notifications/read': {
    request: () => ({ url: '/api/v1/notifications/read', payload: {} }),
    expect: signedIn(200),
  },
  'GET /api/v1/me/notification-settings': {
    request: () => ({ url: '/api/v1/me/notification-settings' }),
    expect: signedIn(200),
  },
  'PATCH /api/v1/me/notification-settings': {
    request: () => ({ url: '/api/v1/me/notification-settings', payload: { email: { like: true } } }),
    expect: signedIn(200),
  },
  // No sign-in: the token is the credential (a forged one is a 400).
  'POST /api/v1/notifications/unsubscribe': {
    request: () => ({ url: '/api/v1/notifications/unsubscribe', payload: { token: `1.like.${'a'.repeat(43)}` } }),
    expect: everyone(400),
  },
  // Moderation and the admin console
  // The owner cannot report their own track (400); everyone else signed in files a report.
  'POST /api/v1/reports': {
    request: (f) => ({
      url: '/api/v1/reports',
      payload: { subjectType: 'track', subjectId: f.publicTrackId, reason: 'Spam' },
    }),
    expect: { anonymous: 401, listener: 201, otherArtist: 201, owner: 400, admin: 201 },
  },
  'GET /api/v1/admin/reports': { request: () => ({ url: '/api/v1/admin/reports' }), expect: adminOnly },
  'POST /api/v1/admin/reports/:id/resolve': {
    request: (f) => ({
      url: `/api/v1/admin/reports/${f.moderation.reportId}/resolve`,
      payload: { status: 'dismissed' },
    }),
    expect: adminOnly,
  },
  ...takedownRows(),
  'GET /api/v1/admin/audit': { request: () => ({ url: '/api/v1/admin/audit' }), expect: adminOnly },
  'GET /api/v1/admin/users': { request: () => ({ url: '/api/v1/admin/users?q=a' }), expect: adminOnly },
  'GET /api/v1/admin/users/:id': {
    request: (f) => ({ url: `/api/v1/admin/users/${f.users.victim.id}` }),
    expect: adminOnly,
  },
  'PUT /api/v1/admin/users/:id/role': {
    request: (f) => ({ url: `/api/v1/admin/users/${f.users.victim.id}/role`, payload: { role: 'artist' } }),
    expect: adminOnly,
  },
  'GET /api/v1/admin/content': { request: () => ({ url: '/api/v1/admin/content?type=track' }), expect: adminOnly },
  'GET /api/v1/admin/jobs': { request: () => ({ url: '/api/v1/admin/jobs' }), expect: adminOnly },
  // No such failed job: 404 once access has passed.
  'POST /api/v1/admin/jobs/:queue/:jobId/retry': {
    request: () => ({ url: '/api/v1/admin/jobs/transcode/no-such-job/retry' }),
    expect: { anonymous: 401, listener: 403, otherArtist: 403, owner: 403, admin: 404 },
  },

  // Embeds
  'GET /api/oembed': {
    request: (f) => ({
      url: `/api/oembed?format=json&url=${encodeURIComponent(`${api.t.config.publicUrl}/embed/track/${f.publicTrackId}`)}`,
    }),
    expect: everyone(200),
  },

  // The account's data
  'GET /api/v1/me/export': { request: () => ({ url: '/api/v1/me/export' }), expect: signedIn(200) },
  // Wrong password: 400 once access has passed (deletion itself: account-data.test.ts).
  'DELETE /api/v1/me': {
    request: () => ({ url: '/api/v1/me', payload: { password: 'not the password' } }),
    expect: signedIn(400),
  },
};

let f: Fixtures;

async function makeFixtures(): Promise<Fixtures> {
  const db = api.t.infra.database.db;
  const users = {
    listener: await createUser(db, 'listener'),
    otherArtist: await createUser(db, 'artist'),
    owner: await createUser(db, 'artist'),
    admin: await createUser(db, 'admin'),
    victim: await createUser(db, 'listener'),
    loginUser: await createUser(db, 'listener'),
  };
  const pub = await createReadyTrack(db, users.owner.id, 'public-one', {
    visibility: 'public',
    durationMs: 1000,
    originalKey: 'version-x/original.wav',
  });
  // Browsable by genre and tag (an unknown genre or tag is a 404 for everyone).
  await db
    .updateTable('tracks')
    .set({ genre: 'ambient', tags: ['field-recording'] })
    .where('id', '=', pub.id)
    .execute();
  const priv = await createReadyTrack(db, users.owner.id, 'private-one', {
    visibility: 'private',
    durationMs: 1000,
    originalKey: 'version-x/original.wav',
  });
  const { imageKey } = await storeMediaStubs(api.t.infra.store, pub.versionId);
  const hls = signHlsPath(pub.versionId, 600, api.t.config.media.secureLinkSecret, new Date());
  const sold = await createReadyTrack(db, users.owner.id, 'sold-one', {
    visibility: 'public',
    durationMs: 1000,
    originalKey: 'version-x/original.wav',
  });
  const release = await db
    .insertInto('releases')
    .values({
      owner_user_id: users.owner.id,
      title: 'Private release',
      slug: 'private-release',
      type: 'album',
      visibility: 'private',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const soldRelease = await db
    .insertInto('releases')
    .values({ owner_user_id: users.owner.id, title: 'Sold release', slug: 'sold-release', type: 'single' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const paid = {
    seller_user_id: users.owner.id,
    buyer_user_id: users.listener.id,
    amount_minor: 500,
    currency: 'EUR',
    status: 'paid',
  } as const;
  await db
    .insertInto('orders')
    .values([
      { ...paid, item_type: 'track', track_id: sold.id },
      { ...paid, item_type: 'release', release_id: soldRelease.id },
    ])
    .execute();
  const playlist = await db
    .insertInto('playlists')
    .values({ owner_user_id: users.owner.id, title: 'Private mix', visibility: 'private' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const spares: string[] = [];
  for (let i = 0; i < 5; i++)
    spares.push(
      (
        await db
          .insertInto('playlists')
          .values({ owner_user_id: users.owner.id, title: `Spare ${i}` })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
    );
  const comment = await db
    .insertInto('comments')
    .values({ track_id: pub.id, user_id: users.owner.id, body: 'fixture', position_ms: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  let n = 0;
  const target = await createReadyTrack(db, users.owner.id, 'takedown-target', {
    visibility: 'public',
    durationMs: 1000,
    originalKey: 'version-y/original.wav',
  });
  const modRelease = await db
    .insertInto('releases')
    .values({ owner_user_id: users.owner.id, title: 'Matrix EP', slug: 'matrix-ep', type: 'ep' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const modComment = await db
    .insertInto('comments')
    .values({ track_id: pub.id, user_id: users.victim.id, body: 'hello', position_ms: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const report = await db
    .insertInto('reports')
    .values({
      reporter_user_id: users.victim.id,
      subject_type: 'track',
      subject_id: pub.id,
      subject_user_id: users.owner.id,
      reason: 'Matrix',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    users,
    publicTrackId: pub.id,
    privateTrack: { id: priv.id, slug: 'private-one' },
    imageKey,
    hlsPath: hls.path,
    library: {
      releaseId: release.id,
      soldTrackId: sold.id,
      soldReleaseId: soldRelease.id,
      playlistId: playlist.id,
      spare: () => spares.shift() ?? '999999999',
    },
    commentId: comment.id,
    unique: () => `m${Date.now().toString(36)}${n++}`,
    moderation: { trackId: target.id, releaseId: modRelease.id, commentId: modComment.id, reportId: report.id },
  };
}

async function restore(): Promise<void> {
  for (const [name, role] of [
    ['listener', 'listener'],
    ['otherArtist', 'artist'],
    ['owner', 'artist'],
    ['admin', 'admin'],
    ['victim', 'listener'],
    ['loginUser', 'listener'],
  ] as const) {
    await api.t.infra.database.db
      .updateTable('users')
      .set({ role: role as Role, disabled_at: null })
      .where('id', '=', f.users[name].id)
      .execute();
  }
  for (const table of ['tracks', 'releases', 'comments'] as const)
    await api.t.infra.database.db.updateTable(table).set({ taken_down_at: null, takedown_reason: null }).execute();
  // Reports filed by a cell are closed, so the next caller can file theirs.
  await api.t.infra.database.db
    .updateTable('reports')
    .set({ status: 'dismissed' })
    .where('id', '!=', f.moderation.reportId)
    .execute();
  await api.t.infra.database.db
    .updateTable('reports')
    .set({ status: 'open' })
    .where('id', '=', f.moderation.reportId)
    .execute();
}

function matches(status: number, e: Expect): boolean {
  return typeof e === 'number' ? status === e : Math.floor(status / 100) === Number(e[0]);
}

/** GET/HEAD twins share one row. */
function routeKeys(api: Api): string[] {
  const all = declaredRoutes(api).map((r) => `${r.method} ${r.url}`);
  return [...new Set(all.filter((k) => !(k.startsWith('HEAD ') && all.includes(`GET ${k.slice(5)}`))))];
}

const api = useTestApi({ api: { serveWorkerHealth: true, serveMedia: true } });
beforeAll(async () => {
  f = await makeFixtures();
});

describe('access declarations', () => {
  it('every registered route has a row in the matrix, and every row a route', () => {
    const registered = routeKeys(api.app);
    expect(
      registered.filter((k) => !(k in MATRIX)),
      'routes missing from MATRIX (see the top of this file)',
    ).toEqual([]);
    expect(
      Object.keys(MATRIX).filter((k) => !registered.includes(k)),
      'rows of routes that no longer exist',
    ).toEqual([]);
  });

  it('a route without config.access stops the app from starting', async () => {
    const other = await buildTestApi(api.t, { metrics: createMetricsRegistry('api') });
    try {
      expect(() => other.get('/api/v1/forgotten', async () => 'oops')).toThrow(MissingAccessError);
      expect(() =>
        other.route({ method: 'POST', url: '/api/v1/forgotten-too', config: {}, handler: async () => 'oops' }),
      ).toThrow(/declares no config.access/);
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
        const auth =
          caller === 'anonymous'
            ? {}
            : cookieHeaders(await sessionFor(api.t.infra.database.db, api.t.config, f.users[caller].id));
        const c = cell++;
        const res = await api.app.inject({
          method: method as 'GET',
          url: req.url,
          payload: req.payload as object | undefined,
          headers: { ...auth, ...req.headers },
          remoteAddress: `10.${(c >> 8) & 255}.${c & 255}.1`,
        });
        const want = row.expect[caller];
        if (!matches(res.statusCode, want))
          failures.push(`${caller}: got ${res.statusCode}, want ${want} — ${res.body.slice(0, 160)}`);
        if (res.statusCode >= 500) failures.push(`${caller}: server error`);
      }
      await restore();
      expect(failures, `${key} (${url})`).toEqual([]);
    });
  }
});
