/**
 * Moderation over HTTP (docs/architecture.md, "Moderation"), on PGlite and PostgreSQL: reports
 * (hostile input, what the reporter may see, duplicates collapsing, the rate limit), the admin
 * queue, takedown and restore (the owner sees the reason, nobody else sees the thing anywhere),
 * and the audit log of every admin action.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import { RATE_LIMIT_ZONES } from '@earshot/core';
import { createReadyTrack } from '../../../test/support/factories.ts';
import { useTestApi } from '../../../test/support/use-test-api.ts';
import { cookieHeaders, createUser, sessionFor, type TestUser } from './support/accounts.ts';

describe.each(['pglite', 'postgres'] as const)('moderation (%s)', (database) => {
  const api = useTestApi({ infra: { database } });
  let db: Kysely<Database>;
  let listener: TestUser;
  let other: TestUser;
  let artist: TestUser;
  let admin: TestUser;
  let publicTrack: string;
  let privateTrack: string;
  let commentId: string;
  let ip = 0;

  async function as(
    user: TestUser | null,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: unknown,
    remoteAddress = `10.9.${(ip = (ip + 1) % 250)}.1`,
  ) {
    const headers = user ? cookieHeaders(await sessionFor(db, api.t.config, user.id)) : {};
    const res = await api.app.inject({ method, url, payload: payload as object | undefined, headers, remoteAddress });
    return { status: res.statusCode, body: res.body ? (JSON.parse(res.body) as Record<string, any>) : {} };
  }

  beforeAll(async () => {
    db = api.db;
    listener = await createUser(db, 'listener');
    other = await createUser(db, 'listener');
    artist = await createUser(db, 'artist');
    admin = await createUser(db, 'admin');
    publicTrack = (await createReadyTrack(db, artist.id, 'loud-song')).id;
    privateTrack = (await createReadyTrack(db, artist.id, 'secret-song', { visibility: 'private' })).id;
    commentId = (
      await db
        .insertInto('comments')
        .values({ track_id: publicTrack, user_id: listener.id, body: 'rude words', position_ms: 1000 })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  });

  describe('reports', () => {
    it('refuses hostile input with a clear 4xx and writes nothing', async () => {
      const before = await db
        .selectFrom('reports')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      const cases: Array<[unknown, number]> = [
        [{ subjectType: 'track', subjectId: publicTrack, reason: '' }, 400],
        [{ subjectType: 'track', subjectId: publicTrack, reason: '   ' }, 400],
        [{ subjectType: 'track', subjectId: publicTrack, reason: 'x'.repeat(1001) }, 400],
        [{ subjectType: 'playlist', subjectId: publicTrack, reason: 'bad' }, 400],
        [{ subjectType: 'track', subjectId: '-1', reason: 'bad' }, 400],
        [{ subjectType: 'track', subjectId: '1 or 1=1', reason: 'bad' }, 400],
        [{ subjectType: 'track', subjectId: publicTrack, reason: 'bad', extra: true }, 400],
        [{ subjectType: 'track', subjectId: publicTrack, reason: 'bad\u0000' }, 400],
        [{ subjectType: 'track', subjectId: '999999999', reason: 'bad' }, 404],
        // Something the reporter cannot see does not exist for them.
        [{ subjectType: 'track', subjectId: privateTrack, reason: 'bad' }, 404],
        [{ subjectType: 'comment', subjectId: '999999999', reason: 'bad' }, 404],
        [{ subjectType: 'user', subjectId: '999999999', reason: 'bad' }, 404],
        // Not yourself.
        [{ subjectType: 'user', subjectId: '__self__', reason: 'bad' }, 400],
      ];
      for (const [payload, status] of cases) {
        const body = JSON.parse(JSON.stringify(payload).replace('__self__', other.id));
        const res = await as(other, 'POST', '/api/v1/reports', body);
        expect(res.status, JSON.stringify(payload)).toBe(status);
        expect(res.body.error?.code, JSON.stringify(payload)).toEqual(expect.any(String));
      }
      expect(
        (await as(null, 'POST', '/api/v1/reports', { subjectType: 'track', subjectId: publicTrack, reason: 'x' }))
          .status,
      ).toBe(401);
      const after = await db
        .selectFrom('reports')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      expect(after.n).toBe(before.n);
    });

    it('a second report of the same thing by the same reporter collapses into the first', async () => {
      const first = await as(other, 'POST', '/api/v1/reports', {
        subjectType: 'comment',
        subjectId: commentId,
        reason: 'Harassment',
      });
      expect(first.status).toBe(201);
      const again = await as(other, 'POST', '/api/v1/reports', {
        subjectType: 'comment',
        subjectId: commentId,
        reason: 'Harassment, again',
      });
      expect(again.status).toBe(200);
      expect(again.body.report.id).toBe(first.body.report.id);
      // Concurrent repeats too.
      const burst = await Promise.all(
        Array.from({ length: 5 }, () =>
          as(other, 'POST', '/api/v1/reports', { subjectType: 'user', subjectId: artist.id, reason: 'Impersonation' }),
        ),
      );
      expect(new Set(burst.map((r) => r.body.report.id)).size).toBe(1);
      expect(burst.filter((r) => r.status === 201)).toHaveLength(1);
    });

    it('is rate-limited per client', async () => {
      const { limit } = RATE_LIMIT_ZONES.report;
      const statuses: number[] = [];
      for (let i = 0; i <= limit; i++)
        statuses.push(
          (
            await as(
              other,
              'POST',
              '/api/v1/reports',
              { subjectType: 'track', subjectId: publicTrack, reason: `spam ${i}` },
              '10.200.0.1',
            )
          ).status,
        );
      expect(statuses.slice(0, limit).every((s) => s === 201 || s === 200)).toBe(true);
      expect(statuses[limit]).toBe(429);
    });
  });

  describe('the admin queue, takedown and the audit log', () => {
    it('lists open reports with what they are about, and resolves them', async () => {
      const queue = await as(admin, 'GET', '/api/v1/admin/reports?status=open');
      expect(queue.status).toBe(200);
      const about = queue.body.items.find((r: any) => r.subjectType === 'comment' && r.subjectId === commentId);
      expect(about).toMatchObject({
        reason: 'Harassment',
        reporter: { id: other.id },
        subjectUser: { id: listener.id },
        subjectLabel: 'rude words',
        subjectTrackId: publicTrack,
        status: 'open',
      });
      // Every admin list takes the last id seen as its cursor, and nothing else.
      for (const list of ['reports?', 'users?', 'content?type=track&', 'audit?'])
        for (const cursor of ['abc', '0', '-1', '1e3', '1%27%20or%201=1']) {
          const res = await as(admin, 'GET', `/api/v1/admin/${list}cursor=${cursor}`);
          expect([res.status, res.body.error?.code], `${list} ${cursor}`).toEqual([400, 'validation_failed']);
        }
      expect((await as(admin, 'GET', '/api/v1/admin/reports?limit=1000')).status).toBe(400);
      const userReport = queue.body.items.find((r: any) => r.subjectType === 'user');
      const resolved = await as(admin, 'POST', `/api/v1/admin/reports/${userReport.id}/resolve`, {
        status: 'dismissed',
        note: 'Not an impersonation',
      });
      expect(resolved.body.report).toMatchObject({ status: 'dismissed', resolutionNote: 'Not an impersonation' });
      expect((await as(admin, 'POST', '/api/v1/admin/reports/999999999/resolve', { status: 'resolved' })).status).toBe(
        404,
      );
      expect(
        (await as(admin, 'POST', `/api/v1/admin/reports/${userReport.id}/resolve`, { status: 'maybe' })).status,
      ).toBe(400);
    });

    it('a taken-down comment disappears for everyone but its author (who sees why) and admins; its report is resolved', async () => {
      expect((await as(admin, 'POST', `/api/v1/admin/comments/${commentId}/takedown`, { reason: '' })).status).toBe(
        400,
      );
      expect((await as(admin, 'POST', `/api/v1/admin/comments/999999999/takedown`, { reason: 'x' })).status).toBe(404);
      const down = await as(admin, 'POST', `/api/v1/admin/comments/${commentId}/takedown`, {
        reason: 'Harassment is not allowed',
      });
      expect(down.status).toBe(200);
      expect(down.body.takedown).toMatchObject({
        subjectType: 'comment',
        id: commentId,
        takedownReason: 'Harassment is not allowed',
      });
      const open = await as(admin, 'GET', '/api/v1/admin/reports?status=open');
      expect(open.body.items.some((r: any) => r.subjectType === 'comment' && r.subjectId === commentId)).toBe(false);
      // Reporting it again: it is gone for the reporter.
      expect(
        (
          await as(other, 'POST', '/api/v1/reports', {
            subjectType: 'comment',
            subjectId: commentId,
            reason: 'still there?',
          })
        ).status,
      ).toBe(404);
    });

    it("a comment's takedown takes it out of the track's comment count, its restore puts it back, once each", async () => {
      const count = async () => (await as(listener, 'GET', `/api/v1/tracks/${publicTrack}`)).body.track.commentCount;
      const posted = await as(listener, 'POST', '/api/v1/comments', {
        trackId: publicTrack,
        body: 'counted',
        positionMs: 2000,
      });
      expect(posted.status).toBe(201);
      const id = posted.body.comment.id;
      const before = await count();
      const takedown = () => as(admin, 'POST', `/api/v1/admin/comments/${id}/takedown`, { reason: 'Spam' });
      const restore = () => as(admin, 'POST', `/api/v1/admin/comments/${id}/restore`, { reason: 'Not spam' });
      expect((await takedown()).status).toBe(200);
      expect(await count()).toBe(before - 1);
      expect((await takedown()).status).toBe(200);
      expect(await count()).toBe(before - 1);
      expect((await restore()).status).toBe(200);
      expect(await count()).toBe(before);
      expect((await restore()).status).toBe(200);
      expect(await count()).toBe(before);
      // Deleted while taken down: it does not come back with the restore.
      expect((await takedown()).status).toBe(200);
      expect((await as(listener, 'DELETE', `/api/v1/comments/${id}`)).status).toBe(204);
      expect(await count()).toBe(before - 1);
      expect((await restore()).status).toBe(200);
      expect(await count()).toBe(before - 1);
    });

    it('a taken-down track is a 404 for others everywhere, the owner sees it with the reason; restore brings it back', async () => {
      const down = await as(admin, 'POST', `/api/v1/admin/tracks/${publicTrack}/takedown`, {
        reason: 'Copyright claim by the label',
      });
      expect(down.status).toBe(200);
      for (const who of [null, listener]) {
        expect((await as(who, 'GET', `/api/v1/tracks/${publicTrack}`)).status).toBe(404);
        expect((await as(who, 'GET', `/api/v1/tracks/${publicTrack}/stream`)).status).toBe(404);
        expect((await as(who, 'GET', `/api/v1/users/${artist.handle}/tracks/loud-song`)).status).toBe(404);
        const latest = await as(who, 'GET', '/api/v1/tracks');
        expect(latest.body.tracks.map((t: any) => t.id)).not.toContain(publicTrack);
        const theirs = await as(who, 'GET', `/api/v1/users/${artist.handle}/tracks`);
        expect(JSON.stringify(theirs.body)).not.toContain('"loud-song"');
      }
      expect(
        (
          await as(
            null,
            'GET',
            `/api/oembed?url=${encodeURIComponent(`${api.t.config.publicUrl}/embed/track/${publicTrack}`)}`,
          )
        ).status,
      ).toBe(404);
      const own = await as(artist, 'GET', `/api/v1/tracks/${publicTrack}`);
      expect(own.status).toBe(200);
      expect(own.body.track.takedown).toMatchObject({ reason: 'Copyright claim by the label' });
      // Admin console lists it as taken down.
      const content = await as(admin, 'GET', '/api/v1/admin/content?type=track&takenDown=true');
      expect(content.body.items.map((i: any) => i.id)).toContain(publicTrack);

      expect(
        (await as(admin, 'POST', `/api/v1/admin/tracks/${publicTrack}/restore`, { reason: 'Claim withdrawn' })).status,
      ).toBe(200);
      expect((await as(listener, 'GET', `/api/v1/tracks/${publicTrack}`)).status).toBe(200);
      expect((await as(artist, 'GET', `/api/v1/tracks/${publicTrack}`)).body.track.takedown).toBeNull();
      expect(
        (
          await as(listener, 'POST', '/api/v1/reports', {
            subjectType: 'track',
            subjectId: publicTrack,
            reason: 'Still infringing',
          })
        ).status,
      ).toBe(201);
    });

    it('admins change roles and disable accounts; they cannot act on themselves', async () => {
      const promoted = await as(admin, 'PUT', `/api/v1/admin/users/${listener.id}/role`, {
        role: 'artist',
        reason: 'Asked by mail',
      });
      expect(promoted.body.user).toMatchObject({ id: listener.id, role: 'artist' });
      expect((await as(admin, 'PUT', `/api/v1/admin/users/${admin.id}/role`, { role: 'listener' })).status).toBe(400);
      expect((await as(admin, 'PUT', `/api/v1/admin/users/${listener.id}/role`, { role: 'root' })).status).toBe(400);
      expect(
        (await as(admin, 'POST', `/api/v1/admin/users/${other.id}/disable?reason=${encodeURIComponent('Spam wave')}`))
          .status,
      ).toBe(200);
      expect((await as(admin, 'POST', `/api/v1/admin/users/${other.id}/enable`)).status).toBe(200);
      const found = await as(admin, 'GET', `/api/v1/admin/users?q=${encodeURIComponent(artist.handle.toUpperCase())}`);
      expect(found.body.items.map((u: any) => u.id)).toEqual([artist.id]);
      expect((await as(admin, 'GET', '/api/v1/admin/users?q=%25')).status).toBe(200);
      const page = await as(admin, 'GET', `/api/v1/admin/users/${artist.id}`);
      expect(page.body.uploads.map((u: any) => u.id)).toEqual(expect.arrayContaining([publicTrack, privateTrack]));
      expect(page.body.user.openReports).toBeGreaterThanOrEqual(1);
    });

    it('every admin action is in the audit log: who, what, when, why', async () => {
      const log = await as(admin, 'GET', '/api/v1/admin/audit?limit=100');
      const actions = log.body.items.map((e: any) =>
        `${e.action} ${e.subjectType}:${e.subjectId} ${e.reason ?? ''}`.trim(),
      );
      expect(actions).toEqual(
        expect.arrayContaining([
          `comment.takedown comment:${commentId} Harassment is not allowed`,
          `track.takedown track:${publicTrack} Copyright claim by the label`,
          `track.restore track:${publicTrack} Claim withdrawn`,
          expect.stringMatching(/^report\.dismiss report:\d+ Not an impersonation$/),
          `user.role user:${listener.id} Asked by mail`,
          `user.disable user:${other.id} Spam wave`,
          `user.enable user:${other.id}`,
        ]),
      );
      expect(
        log.body.items.every(
          (e: any) =>
            e.actor.id === admin.id && e.actor.handle === admin.handle && !Number.isNaN(Date.parse(e.createdAt)),
        ),
      ).toBe(true);
      expect(log.body.items.find((e: any) => e.action === 'user.role').details).toEqual({
        from: 'listener',
        to: 'artist',
      });
      // Refused actions leave no entry.
      expect(log.body.items.some((e: any) => e.subjectId === admin.id)).toBe(false);
    });
  });
});
