import { describe, expect, it } from 'vitest';
import { acceptsGzip } from '../src/http/accepts-gzip.ts';

describe('acceptsGzip', () => {
  it('accepts gzip, its old name and the wildcard, case-insensitively, unless weighted q=0', () => {
    for (const header of ['gzip', 'GZIP', 'x-gzip', '*', 'br, gzip', 'gzip;q=0.5, br'])
      expect(acceptsGzip({ 'accept-encoding': header }), header).toBe(true);
  });

  it('refuses no header, identity only, q=0 and a wildcard refused', () => {
    for (const header of [undefined, '', 'identity', 'gzip;q=0', 'br;q=1, gzip;q=0', 'deflate, *;q=0', 'gzip;q=0, *'])
      expect(acceptsGzip({ 'accept-encoding': header }), String(header)).toBe(false);
  });
});
