import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createReadyTrack } from '../../../test/support/factories.ts';
import { useTestApi } from '../../../test/support/use-test-api.ts';
import { signIn } from '../../../test/support/users.ts';
import { createUser, sessionFor } from './support/accounts.ts';

let base: string;

const api = useTestApi();
beforeAll(async () => {
  await api.app.listen({ port: 0, host: '127.0.0.1' });
  base = `ws://127.0.0.1:${(api.app.server.address() as { port: number }).port}`;
});

function connect(token?: string): Promise<{ ws: WebSocket; messages: unknown[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base}/api/v1/ws`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const messages: unknown[] = [];
    ws.on('message', (m) => messages.push(JSON.parse(m.toString())));
    ws.once('open', () => resolve({ ws, messages }));
    ws.once('unexpected-response', (req, res) => {
      req.destroy();
      reject(Object.assign(new Error(`status ${res.statusCode}`), { status: res.statusCode }));
    });
    ws.once('error', reject);
  });
}

/** Made in the database (registering more would meet the sign-up rate limit). */
async function made(role: 'artist' | 'listener') {
  const db = api.t.infra.database.db;
  const u = await createUser(db, role);
  return { id: u.id, token: (await sessionFor(db, api.t.config, u.id)).token };
}

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 20));
}

describe('/api/v1/ws', () => {
  it('closes anonymous sockets with 4401', async () => {
    const { ws } = await connect();
    const code = await new Promise<number>((resolve) => ws.once('close', (c) => resolve(c)));
    expect(code).toBe(4401);
  });

  it("relays only the signed-in user's processing events; admins see all", async () => {
    const owner = await signIn(api.app, api.t.infra.database.db, 'artist');
    const other = await signIn(api.app, api.t.infra.database.db, 'artist');
    const admin = await signIn(api.app, api.t.infra.database.db, 'admin');
    const a = await connect(owner.token);
    const b = await connect(other.token);
    const c = await connect(admin.token);
    await until(() => a.messages.length > 0 && b.messages.length > 0 && c.messages.length > 0);
    expect(a.messages[0]).toEqual({ type: 'hello', userId: owner.id });

    const step = {
      type: 'version.step',
      trackId: '1',
      versionId: '7',
      ownerUserId: owner.id,
      step: 'transcode',
      state: 'active',
      progress: 42,
    } as const;
    api.t.infra.progress.publish(step);
    api.t.infra.progress.publish({
      type: 'version.status',
      trackId: '1',
      versionId: '7',
      ownerUserId: owner.id,
      status: 'ready',
    });
    await until(() => a.messages.length >= 3 && c.messages.length >= 3);
    expect(a.messages.slice(1)).toEqual([
      step,
      { type: 'version.status', trackId: '1', versionId: '7', ownerUserId: owner.id, status: 'ready' },
    ]);
    expect(c.messages).toHaveLength(3);
    // An event for `other`, published after the owner's: once it reaches b, anything of the owner's
    // sent to b would have reached it before (one ordered stream per socket). It must be the only one.
    const forOther = {
      type: 'version.status',
      trackId: '2',
      versionId: '8',
      ownerUserId: other.id,
      status: 'ready',
    } as const;
    api.t.infra.progress.publish(forOther);
    await until(() => b.messages.length >= 2);
    expect(b.messages.slice(1)).toEqual([forOther]);
    for (const s of [a, b, c]) s.ws.terminate();
  });

  it('relays comment events of a watched track page to whoever may see it; a private track is refused like a missing one; bad messages are ignored', async () => {
    const db = api.t.infra.database.db;
    const artist = await made('artist');
    const listener = await made('listener');
    const outsider = await made('listener');
    const open = await createReadyTrack(db, artist.id, `open-${Date.now()}`);
    const secret = await createReadyTrack(db, artist.id, `secret-${Date.now()}`, { visibility: 'private' });
    const a = await connect(listener.token);
    const o = await connect(outsider.token);
    const owner = await connect(artist.token);
    await until(() => a.messages.length > 0 && o.messages.length > 0 && owner.messages.length > 0);
    // Hostile or malformed messages: not JSON, a number id, an id with SQL, an oversized one, binary.
    for (const bad of [
      'nope',
      JSON.stringify({ type: 'watch', trackId: Number(open.id) }),
      JSON.stringify({ type: 'watch', trackId: `${open.id} or 1=1` }),
      JSON.stringify({ type: 'watch', trackId: open.id, pad: 'x'.repeat(500) }),
      JSON.stringify({ type: 'subscribe-all' }),
    ])
      o.ws.send(bad);
    o.ws.send(Buffer.from([0xff, 0xfe, 0x00]));
    a.ws.send(JSON.stringify({ type: 'watch', trackId: open.id }));
    o.ws.send(JSON.stringify({ type: 'watch', trackId: secret.id }));
    o.ws.send(JSON.stringify({ type: 'watch', trackId: '999999999' }));
    owner.ws.send(JSON.stringify({ type: 'watch', trackId: secret.id }));
    await until(() => a.messages.length >= 2 && o.messages.length >= 3 && owner.messages.length >= 2);
    expect(a.messages[1]).toEqual({ type: 'watching', trackId: open.id });
    expect(owner.messages[1]).toEqual({ type: 'watching', trackId: secret.id });
    // The same answer for a private track and for none.
    expect(o.messages.slice(1)).toEqual([
      { type: 'watch-refused', trackId: secret.id, reason: 'not_found' },
      { type: 'watch-refused', trackId: '999999999', reason: 'not_found' },
    ]);

    const post = (token: string, trackId: string, body: string) =>
      api.app.inject({
        method: 'POST',
        url: '/api/v1/comments',
        headers: { authorization: `Bearer ${token}` },
        payload: { trackId, body, positionMs: 1000 },
      });
    const onSecret = await post(artist.token, secret.id, 'a private thought');
    expect(onSecret.statusCode).toBe(201);
    const onOpen = await post(artist.token, open.id, 'hello listeners');
    expect(onOpen.statusCode).toBe(201);
    const openId = onOpen.json().comment.id;
    await until(() => a.messages.length >= 3 && owner.messages.length >= 3);
    expect(a.messages[2]).toEqual({ type: 'comment.created', trackId: open.id, commentId: openId });
    expect(owner.messages[2]).toEqual({
      type: 'comment.created',
      trackId: secret.id,
      commentId: onSecret.json().comment.id,
    });
    const del = await api.app.inject({
      method: 'DELETE',
      url: `/api/v1/comments/${openId}`,
      headers: { authorization: `Bearer ${artist.token}` },
    });
    expect(del.statusCode).toBe(204);
    await until(() => a.messages.length >= 4);
    expect(a.messages[3]).toEqual({ type: 'comment.deleted', trackId: open.id, commentId: openId });
    // After unwatching, nothing more of that track arrives; a marker event published after it
    // (the listener's own notification) proves the stream has moved past it.
    a.ws.send(JSON.stringify({ type: 'unwatch', trackId: open.id }));
    o.ws.send(JSON.stringify({ type: 'watch', trackId: open.id }));
    await until(() => o.messages.length >= 4);
    expect((await post(artist.token, open.id, 'second')).statusCode).toBe(201);
    await until(() => o.messages.length >= 5);
    api.t.infra.progress.publish({ type: 'notification', userId: listener.id, unreadCount: 0, kind: 'follow' });
    await until(() => a.messages.length >= 5);
    expect(a.messages.slice(4)).toEqual([
      { type: 'notification', userId: listener.id, unreadCount: 0, kind: 'follow' },
    ]);
    // The outsider never heard of the private track's comment.
    expect(JSON.stringify(o.messages)).not.toContain('a private thought');
    expect(o.messages.filter((m) => (m as { trackId?: string }).trackId === secret.id)).toHaveLength(1);
    for (const s of [a, o, owner]) s.ws.terminate();
  });

  it('a track page still processing: its owner may watch it before it is playable, others only once its provisional stream is out; track.media reaches the watchers', async () => {
    const db = api.t.infra.database.db;
    const artist = await made('artist');
    const listener = await made('listener');
    const growing = await createReadyTrack(db, artist.id, `growing-${Date.now()}`, { ready: false });
    const owner = await connect(artist.token);
    const a = await connect(listener.token);
    await until(() => owner.messages.length > 0 && a.messages.length > 0);
    owner.ws.send(JSON.stringify({ type: 'watch', trackId: growing.id }));
    a.ws.send(JSON.stringify({ type: 'watch', trackId: growing.id }));
    await until(() => owner.messages.length >= 2 && a.messages.length >= 2);
    expect(owner.messages[1]).toEqual({ type: 'watching', trackId: growing.id });
    expect(a.messages[1]).toEqual({ type: 'watch-refused', trackId: growing.id, reason: 'not_found' });
    // The provisional master is out (docs/performance.md, "Playable in seconds"): the listener may watch now.
    await db
      .updateTable('track_versions')
      .set({ hls_key: 'x/playlist.m3u8' })
      .where('id', '=', growing.versionId)
      .execute();
    await db
      .updateTable('tracks')
      .set({ provisional_version_id: growing.versionId })
      .where('id', '=', growing.id)
      .execute();
    a.ws.send(JSON.stringify({ type: 'watch', trackId: growing.id }));
    await until(() => a.messages.length >= 3);
    expect(a.messages[2]).toEqual({ type: 'watching', trackId: growing.id });
    api.t.infra.progress.publish({ type: 'track.media', trackId: growing.id });
    await until(() => owner.messages.length >= 3 && a.messages.length >= 4);
    expect(owner.messages[2]).toEqual({ type: 'track.media', trackId: growing.id });
    expect(a.messages[3]).toEqual({ type: 'track.media', trackId: growing.id });
    for (const s of [owner, a]) s.ws.terminate();
  });
});
