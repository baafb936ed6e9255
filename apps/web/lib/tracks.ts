/** The track card as returned by `GET /api/v1/tracks`. */
export interface TrackSummary {
  id: string;
  title: string;
  slug?: string;
  artist: { handle: string; displayName: string };
  artworkUrl: string | null;
  /** null while the audio has not been analysed yet. */
  durationMs: number | null;
  createdAt: string;
  /** Counts (absent from older servers). */
  likeCount?: number;
  repostCount?: number;
  commentCount?: number;
  playCount?: number;
}

export interface TrackPage {
  tracks: TrackSummary[];
  nextCursor: string | null;
}

/** 205_000 → "3:25"; 3_723_000 → "1:02:03". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms) || ms < 0) return '–:––';
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** 205_000 → "PT205S" (a valid HTML duration string), for `<time dateTime>`. */
export function isoDuration(ms: number): string {
  return `PT${Math.round(Math.max(0, ms) / 1000)}S`;
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "3 days ago", "just now". */
export function formatAge(iso: string, now: number = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const seconds = Math.round((then - now) / 1000);
  for (const [unit, size] of STEPS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return 'just now';
}

/** A stable pair of hues for a track without artwork, derived from its id. */
export function placeholderHues(seed: string): [number, number] {
  let hash = 2166136261;
  for (let i = 0; i < seed.length; i++) {
    hash ^= seed.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  const h1 = (hash >>> 0) % 360;
  const h2 = (h1 + 30 + ((hash >>> 9) % 60)) % 360;
  return [h1, h2];
}

function isTrack(value: unknown): value is TrackSummary {
  if (!value || typeof value !== 'object') return false;
  const t = value as Record<string, unknown>;
  const artist = t.artist as Record<string, unknown> | null | undefined;
  return (
    typeof t.id === 'string' &&
    typeof t.title === 'string' &&
    !!artist &&
    typeof artist.handle === 'string' &&
    typeof artist.displayName === 'string'
  );
}

/** Narrow an unknown JSON body to a TrackPage, or throw. */
export function parseTrackPage(body: unknown): TrackPage {
  const b = body as { tracks?: unknown; nextCursor?: unknown } | null;
  if (!b || !Array.isArray(b.tracks)) throw new Error('unexpected response from the tracks API');
  return {
    tracks: b.tracks.filter(isTrack),
    nextCursor: typeof b.nextCursor === 'string' ? b.nextCursor : null,
  };
}
