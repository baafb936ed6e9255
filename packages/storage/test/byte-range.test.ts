import { describe, expect, it } from 'vitest';
import { parseRangeHeader } from '../src/byte-range.ts';

describe('parseRangeHeader', () => {
  it('reads one closed or open range', () => {
    expect(parseRangeHeader('bytes=0-99')).toEqual({ start: 0, end: 99 });
    expect(parseRangeHeader(' bytes=5- ')).toEqual({ start: 5, end: undefined });
  });

  it('leaves no header, multi-range and suffix ranges to a whole-file answer', () => {
    for (const header of [undefined, '', 'bytes=0-1,4-5', 'bytes=-500'])
      expect(parseRangeHeader(header), String(header)).toBeUndefined();
  });

  it('calls reversed, negative, overlong and foreign units invalid', () => {
    for (const header of ['bytes=9-3', 'bytes=a-b', 'items=0-1', 'bytes=1234567890123456-', 'bytes=0-1x'])
      expect(parseRangeHeader(header), header).toBe('invalid');
  });
});
