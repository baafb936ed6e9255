import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';

export interface EdgeResponse {
  path: string;
  status: number;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Source address on loopback (127.0.0.x), so rate-limit zones see different clients. */
  localAddress?: string;
}

/** One request, no connection reuse, the raw path sent as is (no URL normalisation). */
export function request(
  target: { port: number; tls?: { ca: string | Buffer; servername: string } },
  path: string,
  options: RequestOptions = {},
): Promise<EdgeResponse> {
  const { method = 'GET', headers = {}, body, localAddress } = options;
  const mod = target.tls ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      {
        host: '127.0.0.1',
        port: target.port,
        path,
        method,
        headers: {
          host: target.tls?.servername ?? 'localhost',
          ...headers,
          ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
        },
        agent: false,
        localAddress,
        ...(target.tls ? { ca: target.tls.ca, servername: target.tls.servername } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            path,
            status: res.statusCode!,
            headers: res.headers,
            rawHeaders: res.rawHeaders,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A request line written byte for byte (NUL, backslash), over TLS; returns the status. */
export function rawTlsRequest(
  port: number,
  ca: string | Buffer,
  target: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => {
      socket.end(`GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`, 'latin1');
    });
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('end', () => resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1]), text }));
    socket.on('error', reject);
  });
}
