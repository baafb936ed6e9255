/**
 * The security headers of every response, and the rules that vary them by request: the one
 * definition both modes use. Embedded mode (`npm start`) applies `securityHeaders()` to every
 * response it sends; production's nginx snippets are generated from the same constants by
 * nginx.ts (nginx/templates/snippets/security-headers*.conf.template; a test and the renderer
 * refuse a snippet that drifted).
 */

/** HSTS, sent only on HTTPS requests (browsers ignore it over HTTP; RFC 6797 §8.1). */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000; includeSubDomains';

/** Headers that never vary. X-XSS-Protection `0`: current guidance disables the legacy auditor; the CSP protects. */
export const CONSTANT_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-XSS-Protection': '0',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
} as const;

/** Paths third-party sites may frame: the embeddable player. Every other page refuses framing. */
export const FRAMEABLE_PATH_PREFIXES = ['/embed/'] as const;

/**
 * Framing, per path. X-Frame-Options cannot say "anyone", so frameable paths send none and
 * rely on CSP frame-ancestors.
 */
export const FRAMING = {
  default: { xFrameOptions: 'DENY', frameAncestors: "'none'" },
  frameable: { xFrameOptions: undefined, frameAncestors: '*' },
} as const;

/** CSP with the two parts that vary: the WebSocket origin (live events) and frame-ancestors. */
export function contentSecurityPolicy(websocketOrigin: string, frameAncestors: string): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    "media-src 'self' blob:",
    `connect-src 'self' ${websocketOrigin}`,
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}

/** ws://host or wss://host for a public URL (its live-events WebSocket origin). */
export function websocketOriginOf(publicUrl: string): string {
  const u = new URL(publicUrl);
  return `${u.protocol === 'https:' ? 'wss:' : 'ws:'}//${u.host}`;
}

/**
 * Whether a request path may be framed. The path is normalised the way a router sees it (dot
 * segments and their percent-encoded forms resolved), so `/embed/../account` is not frameable.
 */
export function isFrameable(rawPath: string): boolean {
  let pathname: string;
  try {
    pathname = new URL(rawPath.split('?')[0] ?? '/', 'http://x').pathname;
  } catch {
    return false;
  }
  return FRAMEABLE_PATH_PREFIXES.some((p) => pathname.startsWith(p));
}

export interface HeaderRequest {
  /** Request target as received (path and query). */
  path: string;
  /** Whether the client's connection is HTTPS (as the trust-proxy rules resolve it). */
  https: boolean;
  websocketOrigin: string;
}

/** The headers of one response. */
export function securityHeaders(req: HeaderRequest): Record<string, string> {
  const framing = isFrameable(req.path) ? FRAMING.frameable : FRAMING.default;
  const headers: Record<string, string> = {};
  if (req.https) headers['Strict-Transport-Security'] = STRICT_TRANSPORT_SECURITY;
  Object.assign(headers, CONSTANT_HEADERS);
  if (framing.xFrameOptions) headers['X-Frame-Options'] = framing.xFrameOptions;
  headers['Content-Security-Policy'] = contentSecurityPolicy(req.websocketOrigin, framing.frameAncestors);
  return headers;
}

/** Every header name this module may send (for removing duplicates set upstream). */
export const SECURITY_HEADER_NAMES = [
  'Strict-Transport-Security',
  ...Object.keys(CONSTANT_HEADERS),
  'X-Frame-Options',
  'Content-Security-Policy',
] as const;
