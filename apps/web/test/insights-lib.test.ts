/** The insights pages' pure helpers: CSV export, date ranges, chart scales. */
import { describe, expect, it } from 'vitest';
import { daysBefore, niceMax, shortDay, toCsv } from '../lib/insights';

describe('insights helpers', () => {
  it('CSV has a header row and one CRLF line per day', () => {
    const csv = toCsv([
      {
        day: '2026-12-01',
        plays: 3,
        listeners: 2,
        secondsHeard: 95,
        likes: 1,
        reposts: 0,
        comments: 0,
        downloads: 0,
        sales: 1,
        revenueMinor: 450,
      },
    ]);
    expect(csv).toBe(
      'day,plays,listeners,secondsHeard,likes,reposts,comments,downloads,sales,revenueMinor\r\n2026-12-01,3,2,95,1,0,0,0,1,450\r\n',
    );
  });

  it('dates and scales', () => {
    expect(daysBefore('2026-03-01', 1)).toBe('2026-02-28');
    expect(daysBefore('2026-12-02', 29)).toBe('2026-11-03');
    expect([0, 0.4, 1, 3, 7, 11, 480].map(niceMax)).toEqual([1, 0.5, 1, 5, 10, 20, 500]);
    expect(shortDay('2026-12-02')).toBe('2 Dec');
  });
});
