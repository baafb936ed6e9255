import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@earshot/config';
import { createObjectStore } from '@earshot/storage';
import { freePort, spawnTs, waitForHttp } from '../support/process.ts';
import { temporaryFolders } from '../support/temp-dirs.ts';

const dataFolder = temporaryFolders('earshot-shutdown-');

/** An embedded server's settings on a fresh data folder and a free port, with `extra` on top. */
async function embeddedEnv(extra: Record<string, string> = {}) {
  const port = await freePort();
  const env = {
    DATA_DIR: await dataFolder(),
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    NODE_ENV: 'development',
    ...extra,
  };
  return { port, env };
}

describe('SIGTERM', () => {
  it('lets an in-flight download finish, refuses new work, then exits 0', async () => {
    const { port, env } = await embeddedEnv();

    // A 24 MiB public file: big enough that a paused reader keeps the response in flight.
    const payload = randomBytes(24 * 1024 * 1024);
    const store = createObjectStore(loadConfig(env).storage);
    await store.ensureBuckets();
    await store.put('images', 'big/file.bin', payload, { contentType: 'application/octet-stream' });
    await store.close();

    const proc = spawnTs('test/fixtures/serve-embedded.ts', env);
    await waitForHttp(`http://127.0.0.1:${port}/api/v1/health`, proc);

    const received: Buffer[] = [];
    const done = new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/images/big/file.bin', agent: false }, (res) => {
        res.once('data', (chunk: Buffer) => {
          received.push(chunk);
          res.pause();
          // The response has started and the client stops reading: now ask the server to stop.
          proc.child.kill('SIGTERM');
          setTimeout(() => {
            res.on('data', (c: Buffer) => received.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(received) }));
            res.resume();
          }, 1_500);
        });
        res.on('error', reject);
      });
      req.on('error', reject);
    });

    // While draining, the port no longer takes new connections. The first shutdown step (HTTP) starts
    // in the same tick as the "shutting down" line, so once the line is out the port is closing.
    while (!/shutting down/.test(proc.output())) await new Promise((r) => setTimeout(r, 20));
    const refused = await fetch(`http://127.0.0.1:${port}/api/v1/health`).then(
      (r) => r.status,
      () => 'refused' as const,
    );
    expect([503, 'refused']).toContain(refused);

    const { status, body } = await done;
    expect(status).toBe(200);
    expect(body.length).toBe(payload.length);
    expect(createHash('sha256').update(body).digest('hex')).toBe(createHash('sha256').update(payload).digest('hex'));

    const exit = await proc.exited;
    expect(exit, proc.output()).toEqual({ code: 0, signal: null });
    expect(proc.output()).toMatch(/shutting down/);
  });

  it('drains with stalled clients connected (body, headers, refused upgrade): exits 0 well before its deadline', async () => {
    // The forced deadline is far away: only the request timeouts can free the stalled sockets.
    const { port, env } = await embeddedEnv({
      SHUTDOWN_TIMEOUT_MS: '600000',
      HTTP_BODY_IDLE_TIMEOUT_MS: '1000',
      HTTP_HEADERS_TIMEOUT_MS: '1000',
    });
    const proc = spawnTs('test/fixtures/serve-embedded.ts', env);
    await waitForHttp(`http://127.0.0.1:${port}/api/v1/health`, proc);

    const stalled = (raw: string) =>
      new Promise<net.Socket>((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => {
          socket.write(raw);
          resolve(socket);
        });
        socket.on('error', () => {});
      });
    const sockets = await Promise.all([
      stalled(
        'POST /api/v1/tracks/1/plays HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"secondsListened":',
      ),
      stalled('GET /api/v1/health HTTP/1.1\r\nHost: x\r\n'),
      stalled(
        'GET /api/v1/ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: Bearer x.y.z\r\n\r\n',
      ),
    ]);
    // The server has the body request in hand (it is waiting for the rest of the body).
    await new Promise((r) => setTimeout(r, 300));
    proc.child.kill('SIGTERM');
    const exit = await proc.exited;
    for (const s of sockets) s.destroy();
    expect(exit, proc.output()).toEqual({ code: 0, signal: null });
    expect(proc.output()).toMatch(/shutdown step done/);
    expect(proc.output()).not.toMatch(/deadline passed/);
  });
});
