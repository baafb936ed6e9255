import { describe, expect, it } from 'vitest';
import {
  isFrameable,
  renderNginxSecurityTemplates,
  securityHeaders,
  SECURITY_HEADER_NAMES,
  websocketOriginOf,
} from '../src/index.ts';

describe('securityHeaders', () => {
  const ws = 'wss://yoursite.com';
  it('sends HSTS on HTTPS requests only', () => {
    expect(securityHeaders({ path: '/', https: true, websocketOrigin: ws })['Strict-Transport-Security']).toBe(
      'max-age=31536000; includeSubDomains',
    );
    expect(securityHeaders({ path: '/', https: false, websocketOrigin: ws })).not.toHaveProperty(
      'Strict-Transport-Security',
    );
  });

  it('lets /embed/ be framed by anyone and nothing else', () => {
    const embed = securityHeaders({ path: '/embed/track/1?autoplay=1', https: true, websocketOrigin: ws });
    expect(embed).not.toHaveProperty('X-Frame-Options');
    expect(embed['Content-Security-Policy']).toMatch(/frame-ancestors \*$/);
    for (const p of ['/', '/embed', '/embedded/x', '/embed/../settings', '/embed/%2e%2e/settings', '/x/embed/1']) {
      const h = securityHeaders({ path: p, https: true, websocketOrigin: ws });
      expect(h['X-Frame-Options'], p).toBe('DENY');
      expect(h['Content-Security-Policy'], p).toMatch(/frame-ancestors 'none'$/);
    }
    expect(isFrameable('/embed/./track/1')).toBe(true);
  });

  it('allows the live-events WebSocket of the public URL', () => {
    expect(websocketOriginOf('https://yoursite.com')).toBe('wss://yoursite.com');
    expect(websocketOriginOf('http://localhost:3000/')).toBe('ws://localhost:3000');
    expect(
      securityHeaders({ path: '/', https: false, websocketOrigin: 'ws://localhost:3000' })['Content-Security-Policy'],
    ).toContain("connect-src 'self' ws://localhost:3000;");
  });

  it('every header the module can send has an nginx add_header', () => {
    const { headers, maps } = renderNginxSecurityTemplates();
    for (const name of SECURITY_HEADER_NAMES)
      expect(headers).toMatch(new RegExp(`^add_header ${name} .* always;$`, 'm'));
    expect(headers).toContain("connect-src 'self' wss://${DOMAIN}; frame-ancestors $frame_ancestors");
    expect(maps).toContain('"~^/embed/" "*";');
    expect(maps).toContain('on "max-age=31536000; includeSubDomains";');
  });
});
