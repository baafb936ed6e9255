import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Api } from '../src/index.ts';
import type { TestInfra } from '../../../test/support/infra.ts';
import { createTestApi, type TestApi } from '../../../test/support/factories.ts';
import { signIn } from '../../../test/support/users.ts';

let t: TestInfra;
let app: Api;
let base: string;

let testApi: TestApi | undefined;
beforeAll(async () => {
  testApi = await createTestApi();
  ({ t, app } = testApi);
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `ws://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await testApi?.close();
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
    const owner = await signIn(app, t.infra.database.db, 'artist');
    const other = await signIn(app, t.infra.database.db, 'artist');
    const admin = await signIn(app, t.infra.database.db, 'admin');
    const a = await connect(owner.token);
    const b = await connect(other.token);
    const c = await connect(admin.token);
    await until(() => a.messages.length > 0 && b.messages.length > 0 && c.messages.length > 0);
    expect(a.messages[0]).toEqual({ type: 'hello', userId: owner.id });

    t.infra.progress.publish({
      type: 'version.step',
      trackId: '1',
      versionId: '7',
      ownerUserId: owner.id,
      step: 'transcode',
      state: 'active',
      progress: 42,
    });
    t.infra.progress.publish({
      type: 'version.status',
      trackId: '1',
      versionId: '7',
      ownerUserId: owner.id,
      status: 'ready',
    });
    await until(() => a.messages.length >= 3 && c.messages.length >= 3);
    expect(a.messages.slice(1)).toEqual([
      {
        type: 'version.step',
        trackId: '1',
        versionId: '7',
        ownerUserId: owner.id,
        step: 'transcode',
        state: 'active',
        progress: 42,
      },
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
    t.infra.progress.publish(forOther);
    await until(() => b.messages.length >= 2);
    expect(b.messages.slice(1)).toEqual([forOther]);
    for (const s of [a, b, c]) s.ws.terminate();
  });
});
