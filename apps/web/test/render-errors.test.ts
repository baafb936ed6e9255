import { describe, expect, it } from 'vitest';
import { onRequestError } from '../instrumentation';
import { renderErrorLine } from '../lib/render-errors';

describe('page render crashes', () => {
  it('are logged at error level with the path (without its query string)', async () => {
    const lines: string[] = [];
    const original = console.error;
    console.error = (line: string) => lines.push(line);
    try {
      const err = Object.assign(new Error('boom in a server component'), { digest: '12345' });
      await onRequestError(
        err,
        { path: '/reset-password?token=secret', method: 'GET', headers: {} },
        {
          routerKind: 'App Router',
          routePath: '/reset-password',
          routeType: 'render',
          renderSource: 'react-server-components',
          revalidateReason: undefined,
        },
      );
    } finally {
      console.error = original;
    }
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as Record<string, any>;
    expect(line).toMatchObject({
      level: 'error',
      service: 'web',
      msg: 'page render failed',
      path: '/reset-password',
      method: 'GET',
      route: '/reset-password',
      err: { message: 'boom in a server component', digest: '12345' },
    });
    expect(lines[0]).not.toContain('secret');
  });

  it('log what was thrown even when it is not an Error', () => {
    const line = JSON.parse(renderErrorLine('a string', { path: '/x', method: 'GET' }, {})) as Record<string, any>;
    expect(line.err.message).toBe('a string');
  });
});
