import { describe, expect, it } from 'vitest';
import { embedCode, formatStartTime, parseStartTime } from '../lib/share-time';

describe('?t= in shared links', () => {
  it('reads the forms people paste', () => {
    expect(parseStartTime('1m23s')).toBe(83);
    expect(parseStartTime('83')).toBe(83);
    expect(parseStartTime('45s')).toBe(45);
    expect(parseStartTime('2m')).toBe(120);
    expect(parseStartTime('1h2m3s')).toBe(3723);
    expect(parseStartTime(' 1M5S ')).toBe(65);
  });

  it('ignores anything else', () => {
    for (const bad of [
      null,
      undefined,
      '',
      'abc',
      '-5',
      '1.5',
      '1m-2s',
      'm',
      's',
      '1s2m',
      '99999999',
      'javascript:alert(1)',
    ])
      expect(parseStartTime(bad), String(bad)).toBeNull();
    expect(parseStartTime('99999')).toBe(86_400);
  });

  it('writes what it reads', () => {
    for (const s of [0, 5, 59, 60, 83, 3599, 3600, 3723]) expect(parseStartTime(formatStartTime(s))).toBe(s);
    expect(formatStartTime(83.9)).toBe('1m23s');
    expect(formatStartTime(3723)).toBe('1h2m3s');
    expect(formatStartTime(-3)).toBe('0s');
  });

  it('embed code escapes the title', () => {
    expect(embedCode('https://music.example', 'track', '7', 'A "quoted" <b>title</b> & more')).toBe(
      '<iframe src="https://music.example/embed/track/7" width="600" height="166" style="border:0" allow="autoplay; encrypted-media" loading="lazy" title="A &quot;quoted&quot; &lt;b&gt;title&lt;/b&gt; &amp; more"></iframe>',
    );
  });
});
