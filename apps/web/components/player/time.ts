import { formatDuration } from '@/lib/tracks';

/** Seconds → "1:05" (whole seconds played, never rounded up). */
export function formatTime(seconds: number): string {
  return formatDuration(Number.isFinite(seconds) ? Math.max(0, Math.floor(seconds)) * 1000 : null);
}
