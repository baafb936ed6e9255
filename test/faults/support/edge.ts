/**
 * The production nginx (nginx/templates/ rendered by scripts/render-nginx.ts for loopback) in
 * front of one or more API processes and the S3 store, with a throwaway certificate for localhost.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { renderNginx } from '../../../scripts/render-nginx.ts';
import { startNginx, findNginx, type NginxProcess } from '../../edge/support/nginx-process.ts';
import { freePort } from '../../support/process.ts';
import { SECRETS } from './platform.ts';
import { selfSignedCert } from '../../support/certs.ts';

export const EDGE_DOMAIN = 'localhost';

export interface Edge {
  httpsPort: number;
  ca: string;
  prefix: string;
  confPath: string;
  nginx: NginxProcess;
  /** `nginx -s reload`: new workers with the configuration read again, old ones finish their requests. */
  reload(): void;
  stop(): Promise<void>;
}

export async function startEdge(options: { apis: string[]; s3Port: number }): Promise<Edge> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'earshot-fault-edge-'));
  const { certPath, keyPath } = await selfSignedCert(tmp, {
    cn: 'localhost',
    days: 1,
    altNames: 'DNS:localhost,IP:127.0.0.1',
  });
  // Stand-in for the Next.js app (not under test here).
  const web = http.createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>web</title>'),
  );
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  const httpsPort = await freePort();
  const prefix = path.join(tmp, 'nginx');
  const { confPath } = await renderNginx({
    outDir: path.join(tmp, 'conf'),
    env: { DOMAIN: EDGE_DOMAIN, SECURE_LINK_SECRET: SECRETS.SECURE_LINK_SECRET },
    local: {
      prefix,
      listenHttp: `127.0.0.1:${await freePort()}`,
      listenHttps: `127.0.0.1:${httpsPort}`,
      upstreams: {
        api: options.apis,
        web: `127.0.0.1:${(web.address() as AddressInfo).port}`,
        minio: `127.0.0.1:${options.s3Port}`,
      },
      certificate: { cert: certPath, key: keyPath },
    },
  });
  const nginx = await startNginx({ confPath, prefix, readyPort: httpsPort });
  return {
    httpsPort,
    ca: await readFile(certPath, 'utf8'),
    prefix,
    confPath,
    nginx,
    reload() {
      const r = spawnSync(
        findNginx(),
        ['-p', prefix, '-c', confPath, '-e', path.join(prefix, 'logs', 'error.log'), '-s', 'reload'],
        { encoding: 'utf8' },
      );
      if (r.status !== 0) throw new Error(`nginx -s reload: ${r.stderr}`);
    },
    async stop() {
      await nginx.stop();
      await new Promise<void>((resolve) => web.close(() => resolve()));
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

/** An HTTPS client of the edge with keep-alive connections (as browsers and players keep them). */
export function edgeClient(edge: Edge, options: { localAddress?: string; maxSockets?: number } = {}) {
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: options.maxSockets ?? 4,
    ca: edge.ca,
    servername: EDGE_DOMAIN,
    localAddress: options.localAddress,
  });
  const stats = { staleRetries: 0 };
  const once = (method: string, p: string, body?: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; body: Buffer; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
      const req = https.request(
        {
          host: '127.0.0.1',
          port: edge.httpsPort,
          path: p,
          method,
          agent,
          headers: {
            host: EDGE_DOMAIN,
            ...(body ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }),
          );
          res.on('error', reject);
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error(`no answer to ${method} ${p} within 30 s`)));
      req.on('error', (err: NodeJS.ErrnoException) =>
        reject(Object.assign(err, { staleSocket: req.reusedSocket && !answered })),
      );
      let answered = false;
      req.on('response', () => (answered = true));
      req.end(body);
    });
  /**
   * A keep-alive connection the server closed while idle (nginx's old workers do on reload) can
   * race a request sent on it: the request fails before any answer. Browsers then send a GET again
   * on a new connection, and so does this client (Node's documented `reusedSocket` pattern), once;
   * every other failure is a failure.
   */
  const send = async (method: string, p: string, body?: string, headers: Record<string, string> = {}) => {
    try {
      return await once(method, p, body, headers);
    } catch (err) {
      if (!(err as { staleSocket?: boolean }).staleSocket || (method !== 'GET' && method !== 'HEAD')) throw err;
      stats.staleRetries++;
      return once(method, p, body, headers);
    }
  };
  return {
    send,
    stats,
    get: (p: string, headers?: Record<string, string>) => send('GET', p, undefined, headers),
    close: () => agent.destroy(),
  };
}

/** The media files a signed master playlist leads to: variant playlists, init segments, segments (relative to the master). */
export function playlistEntries(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const uri = /URI="([^"]+)"/.exec(line)?.[1] ?? (line && !line.startsWith('#') ? line.trim() : undefined);
    if (uri) out.push(uri);
  }
  return out;
}
