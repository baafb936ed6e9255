import { describe, expect, it } from 'vitest';
import { formatPosition, parsePosition, splitLinks } from '../components/community/links';

describe('comment bodies: text and http(s) links only', () => {
  it('makes http and https URLs links, without the sentence punctuation after them', () => {
    expect(splitLinks('see https://example.org/a?b=1, and http://x.test.')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.org/a?b=1', href: 'https://example.org/a?b=1' },
      { kind: 'text', text: ', and ' },
      { kind: 'link', text: 'http://x.test', href: 'http://x.test/' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('never links javascript:, data: or markup; keeps it all as text', () => {
    for (const body of [
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      '<a href="javascript:alert(1)">x</a>',
      '<img src=x onerror=alert(1)>',
    ]) {
      expect(splitLinks(body)).toEqual([{ kind: 'text', text: body }]);
    }
    // A URL cannot swallow a quote or an angle bracket.
    expect(splitLinks('"https://a.test/"onmouseover=x').find((p) => p.kind === 'link')?.href).toBe('https://a.test/');
  });

  it('times: m:ss both ways, within reason', () => {
    expect(formatPosition(12_000)).toBe('0:12');
    expect(formatPosition(3_723_000)).toBe('1:02:03');
    expect(parsePosition('0:12')).toBe(12_000);
    expect(parsePosition('75')).toBe(75_000);
    expect(parsePosition('1:02:03')).toBe(3_723_000);
    expect(parsePosition('1:75')).toBeNull();
    expect(parsePosition('soon')).toBeNull();
  });
});
