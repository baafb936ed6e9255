/**
 * The feed written ahead (docs/architecture.md, "Community": feed), on PGlite and PostgreSQL:
 * `feed_items` follows every change that adds or removes an event of a followed account, and
 * what may be seen is decided when the page is read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Kysely, sql } from 'kysely';
import type { Database } from '@earshot/db';
import { createReadyTrack, createTestApi, type TestApi } from '../../../test/support/factories.ts';
import { createRelease } from '../../../test/support/commerce.ts';
import { bearer, createUser, sessionFor, type TestUser } from './support/accounts.ts';

describe.each(['pglite', 'postgres'] as const)('feed written ahead (%s)', (database) => {
  let api: TestApi;
  let db: Kysely<Database>;
  const tokens = new Map<string, string>();

  async function user(role: 'artist' | 'listener'): Promise<TestUser> {
    const u = await createUser(db, role);
    tokens.set(u.id, (await sessionFor(db, api.t.config, u.id)).token);
    return u;
  }
  const call = (u: TestUser, method: 'GET' | 'PUT' | 'DELETE', url: string) =>
    api.app.inject({ method, url, headers: bearer(tokens.get(u.id)!) });
  /** The whole feed, a page of two at a time, as `t<id>` / `r<id>`. */
  async function feed(u: TestUser): Promise<string[]> {
    const keys: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await call(u, 'GET', `/api/v1/feed?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      for (const e of res.json().items) keys.push(e.kind === 'release' ? `r${e.release.id}` : `t${e.track.id}`);
      cursor = res.json().nextCursor;
    } while (cursor);
    return keys;
  }
  // `created_at` is not updatable through the typed builder: dated by hand, as a backfill would.
  const at = (id: string, minutesAgo: number) =>
    sql`update tracks set created_at = ${new Date(Date.now() - minutesAgo * 60_000)} where id = ${id}`.execute(db);

  beforeAll(async () => {
    api = await createTestApi({ infra: { database } });
    db = api.db;
  });
  afterAll(async () => api?.close());

  it('a follow brings the account’s earlier events, an unfollow takes them away; reposts undone leave', async () => {
    const reader = await user('listener');
    const a = await user('artist');
    const b = await user('artist');
    const a1 = await createReadyTrack(db, a.id, 'before-follow');
    const other = await createReadyTrack(db, b.id, 'b-own');
    await call(a, 'PUT', `/api/v1/tracks/${other.id}/repost`);
    expect(await feed(reader)).toEqual([]);
    await call(reader, 'PUT', `/api/v1/users/${a.handle}/follow`);
    expect(await feed(reader)).toEqual([`t${other.id}`, `t${a1.id}`]);
    const a2 = await createReadyTrack(db, a.id, 'after-follow');
    expect(await feed(reader)).toEqual([`t${a2.id}`, `t${other.id}`, `t${a1.id}`]);
    await call(a, 'DELETE', `/api/v1/tracks/${other.id}/repost`);
    expect(await feed(reader)).toEqual([`t${a2.id}`, `t${a1.id}`]);
    await call(reader, 'DELETE', `/api/v1/users/${a.handle}/follow`);
    expect(await feed(reader)).toEqual([]);
    expect(await db.selectFrom('feed_items').select('k').where('user_id', '=', reader.id).execute()).toEqual([]);
  });

  it('visibility is read with the page: private, taken down, disabled, deleted and album tracks leave; a new release date moves the release', async () => {
    const reader = await user('listener');
    const a = await user('artist');
    await call(reader, 'PUT', `/api/v1/users/${a.handle}/follow`);
    const [t1, t2, t3, t4] = [
      await createReadyTrack(db, a.id, 'v-one'),
      await createReadyTrack(db, a.id, 'v-two'),
      await createReadyTrack(db, a.id, 'v-three'),
      await createReadyTrack(db, a.id, 'v-four'),
    ];
    // Dated out of the order they were made in: the feed follows the dates.
    for (const [i, tr] of [t1!, t2!, t3!, t4!].entries()) await at(tr.id, 10 + ((i * 10 + 20) % 40));
    expect(await feed(reader)).toEqual([`t${t3!.id}`, `t${t4!.id}`, `t${t1!.id}`, `t${t2!.id}`]);
    for (const [i, tr] of [t1!, t2!, t3!, t4!].entries()) await at(tr.id, 40 - i * 10);
    expect(await feed(reader)).toEqual([`t${t4!.id}`, `t${t3!.id}`, `t${t2!.id}`, `t${t1!.id}`]);
    await db.updateTable('tracks').set({ visibility: 'private' }).where('id', '=', t4!.id).execute();
    await db.updateTable('tracks').set({ taken_down_at: new Date() }).where('id', '=', t3!.id).execute();
    await db.deleteFrom('tracks').where('id', '=', t2!.id).execute();
    expect(await feed(reader)).toEqual([`t${t1!.id}`]);
    await db.updateTable('tracks').set({ visibility: 'public' }).where('id', '=', t4!.id).execute();
    expect(await feed(reader)).toEqual([`t${t4!.id}`, `t${t1!.id}`]);
    // On an album: the album comes instead; dated back, it takes its place in time.
    const album = await createRelease(db, a.id, 'Album', [t1!.id], null);
    expect(await feed(reader)).toEqual([`r${album}`, `t${t4!.id}`]);
    await sql`update releases set created_at = ${new Date(Date.now() - 3_600_000)} where id = ${album}`.execute(db);
    expect(await feed(reader)).toEqual([`t${t4!.id}`, `r${album}`]);
    await db.updateTable('users').set({ disabled_at: new Date() }).where('id', '=', a.id).execute();
    expect(await feed(reader)).toEqual([]);
  });
});
