/**
 * Shapes of the insights API (`GET /api/v1/me/stats`, `/admin/stats`, `/tracks/:id/stats`,
 * `/trending`) and the pure helpers the insights pages use (ranges, CSV, chart scales).
 */
import type { ApiResponse } from '@/lib/api/client';

export const FIGURES = ['plays', 'listeners', 'likes', 'reposts', 'comments', 'downloads', 'sales'] as const;
export type Figure = (typeof FIGURES)[number];

export const FIGURE_LABELS: Record<Figure | 'secondsHeard' | 'revenueMinor', string> = {
  plays: 'Plays',
  listeners: 'Listeners',
  likes: 'Likes',
  reposts: 'Reposts',
  comments: 'Comments',
  downloads: 'Downloads',
  sales: 'Sales',
  secondsHeard: 'Seconds heard',
  revenueMinor: 'Revenue (minor units)',
};

/** `GET /api/v1/me/stats` and `/admin/stats`: the series, its totals and the top tracks. */
export type ArtistStats = ApiResponse<'/api/v1/me/stats'>;
/** `GET /api/v1/tracks/:id/stats`: the series, its reach and the comment markers. */
export type TrackStats = ApiResponse<'/api/v1/tracks/{id}/stats'>;
export type SeriesStats = Pick<ArtistStats, 'from' | 'to' | 'days' | 'totals'>;
export type DayFigures = SeriesStats['days'][number];

const CSV_COLUMNS: Array<keyof DayFigures> = [
  'day',
  'plays',
  'listeners',
  'secondsHeard',
  'likes',
  'reposts',
  'comments',
  'downloads',
  'sales',
  'revenueMinor',
];

/** The daily figures as CSV (RFC 4180: CRLF line ends, a header row). Values are numbers and dates, never quoted text. */
export function toCsv(days: readonly DayFigures[]): string {
  const rows = [CSV_COLUMNS.join(','), ...days.map((d) => CSV_COLUMNS.map((c) => String(d[c])).join(','))];
  return `${rows.join('\r\n')}\r\n`;
}

/** `YYYY-MM-DD` (UTC) `n` days before `day`. */
export function daysBefore(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
}

export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** A "nice" top of the y axis for values up to `max` (1, 2, 5 × 10^n), at least 1. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const exp = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (max <= m * exp) return m * exp;
  return 10 * exp;
}

/** Short day label: "2 Dec". */
export function shortDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
}

export const statsApi = {
  me: (from: string, to: string) => `/api/v1/me/stats?${new URLSearchParams({ from, to })}`,
  platform: (from: string, to: string) => `/api/v1/admin/stats?${new URLSearchParams({ from, to })}`,
  track: (id: string, from: string, to: string) =>
    `/api/v1/tracks/${encodeURIComponent(id)}/stats?${new URLSearchParams({ from, to })}`,
};
