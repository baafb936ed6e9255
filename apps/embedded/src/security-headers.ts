import type { FastifyRequest } from 'fastify';
import type { Api } from '@earshot/api';
import { securityHeaders, websocketOriginOf } from '@earshot/security-headers';

export type HeadersFor = (request: FastifyRequest) => Record<string, string>;

/**
 * Embedded mode has no nginx in front: the process sends the security headers itself, the same
 * set (packages/security-headers) nginx adds in production. Every Fastify reply — routes, 404s,
 * errors, media — gets them in onSend; the web app's pages, answered on the raw response after
 * `reply.hijack()`, get them from `headersFor` before Next writes. HTTPS as the trust-proxy rules
 * resolve it (`request.protocol`), so HSTS only when the visitor's connection is HTTPS.
 */
export function installSecurityHeaders(app: Api, publicUrl: string): HeadersFor {
  const websocketOrigin = websocketOriginOf(publicUrl);
  const headersFor: HeadersFor = (request) =>
    securityHeaders({ path: request.url, https: request.protocol === 'https', websocketOrigin });
  app.addHook('onSend', async (request, reply, payload) => {
    reply.headers(headersFor(request));
    return payload;
  });
  return headersFor;
}
