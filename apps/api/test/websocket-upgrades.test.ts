import { readdirSync } from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createMetricsRegistry } from '@earshot/runtime';
import type { Api } from '../src/index.ts';
import { createTestInfra, type TestInfra } from '../../../test/support/infra.ts';
import { buildTestApi } from '../../../test/support/factories.ts';
import { signIn } from '../../../test/support/users.ts';

// Hostile WebSocket upgrades against a real listening server (docs/security.md).

let t: TestInfra;
let app: Api;
let limited: Api;
let port: number;
let limitedPort: number;
let artist: { token: string; id: string };

const listen = async (a: Api) => {
  await a.listen({ port: 0, host: '127.0.0.1' });
  return (a.server.address() as net.AddressInfo).port;
};

beforeAll(async () => {
  t = await createTestInfra();
  app = await buildTestApi(t);
  port = await listen(app);
  // Same platform with a tiny `api` rate zone, for 429s.
  limited = await buildTestApi(t, {
    metrics: createMetricsRegistry('api'),
    config: { ...t.config, apiRateLimitPerMinute: 2 },
  });
  limitedPort = await listen(limited);
  artist = await signIn(app, t.infra.database.db, 'artist');
});
afterAll(async () => {
  await app?.close();
  await limited?.close();
  await t.cleanup();
});

const openFds = () => readdirSync('/proc/self/fd').length;

/**
 * Sends a WebSocket upgrade by hand and resolves with the status line once the server has closed
 * the connection. A server that answers but keeps the socket open never resolves (the test fails).
 */
function rawUpgrade(
  targetPort: number,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; serverClosed: true }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(targetPort, '127.0.0.1');
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (data += d));
    socket.on('error', reject);
    socket.on('end', () => {
      socket.end();
    });
    socket.on('close', () =>
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0), serverClosed: true }),
    );
    const lines = [
      `GET ${path} HTTP/1.1`,
      `Host: 127.0.0.1:${targetPort}`,
      'Connection: Upgrade',
      'Upgrade: websocket',
      'Sec-WebSocket-Version: 13',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
}

describe('refused WebSocket upgrades', () => {
  it('answer and close every socket: 401, 403, 404, 429 leave no descriptor behind', async () => {
    // Warm up (lazy modules, pools), so the baseline is the steady state.
    await rawUpgrade(port, '/api/v1/ws', { Authorization: 'Bearer x.y.z' });
    // …and spend the limited server's whole minute (2 requests): from here on it answers 429.
    for (let i = 0; i < 3; i++) await rawUpgrade(limitedPort, '/api/v1/nope', {});
    const before = openFds();

    const statuses: number[] = [];
    for (let round = 0; round < 10; round++) {
      const results = await Promise.all([
        rawUpgrade(port, '/api/v1/ws', { Authorization: 'Bearer x.y.z' }),
        rawUpgrade(port, '/api/v1/ws', { Authorization: 'Basic Zm9vOmJhcg==' }),
        rawUpgrade(port, '/api/v1/ws', { Cookie: `session=${artist.token}`, Origin: 'https://evil.example' }),
        rawUpgrade(port, '/api/v1/ws', { Origin: 'null' }),
        rawUpgrade(port, '/api/v1/no-such-socket', {}),
        rawUpgrade(limitedPort, '/api/v1/ws', { Authorization: `Bearer ${artist.token}` }),
        rawUpgrade(limitedPort, '/api/v1/ws', {}),
      ]);
      statuses.push(...results.map((r) => r.status));
    }
    expect(new Set(statuses)).toEqual(new Set([401, 403, 404, 429]));
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(18);
    expect(openFds()).toBe(before);
  });

  it('refuses a cookie-authenticated upgrade from another origin (403), accepts ours and Bearer clients without Origin', async () => {
    const refused = await rawUpgrade(port, '/api/v1/ws', {
      Cookie: `session=${artist.token}`,
      Origin: 'https://evil.example',
    });
    expect(refused.status).toBe(403);

    const hello = (headers: Record<string, string>) =>
      new Promise<unknown>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/ws`, { headers });
        ws.once('message', (m) => {
          ws.terminate();
          resolve(JSON.parse(m.toString()));
        });
        ws.once('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)));
        ws.once('error', reject);
      });
    expect(await hello({ Cookie: `session=${artist.token}`, Origin: `http://127.0.0.1:${port}` })).toEqual({
      type: 'hello',
      userId: artist.id,
    });
    expect(await hello({ Cookie: `session=${artist.token}`, Origin: t.config.publicUrl })).toEqual({
      type: 'hello',
      userId: artist.id,
    });
    expect(await hello({ Authorization: `Bearer ${artist.token}` })).toEqual({ type: 'hello', userId: artist.id });
    // A Bearer token is never attached by a browser on its own: its Origin does not matter.
    expect(await hello({ Authorization: `Bearer ${artist.token}`, Origin: 'https://tool.example' })).toEqual({
      type: 'hello',
      userId: artist.id,
    });
  });

  it('logs a client that sends a bad frame at warn, not error', async () => {
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/ws`, {
        headers: { Authorization: `Bearer ${artist.token}` },
      });
      ws.once('message', () => resolve((ws as unknown as { _socket: net.Socket })._socket));
      ws.once('error', reject);
    });
    const closed = new Promise((r) => socket.once('close', r));
    // An unmasked text frame: clients must mask (RFC 6455 §5.1), so the server fails the connection.
    socket.write(Buffer.from([0x81, 0x02, 0x68, 0x69]));
    await closed;
    await new Promise((r) => setImmediate(r));
    const lines = t.logLines.filter((l) => /websocket/.test(String(l.msg)));
    expect(lines.map((l) => [l.level, l.msg])).toContainEqual(['warn', 'websocket closed on a client error']);
    expect(lines.filter((l) => l.level === 'error' || l.level === 'fatal')).toEqual([]);
  });
});
