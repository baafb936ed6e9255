/** Player glyphs: 24×24 paths in currentColor, hidden from assistive tech (buttons carry the labels). */
const PATHS = {
  play: 'M8 5.5v13l10.5-6.5z',
  pause: 'M7 5h3.5v14H7zM13.5 5H17v14h-3.5z',
  previous: 'M6 5h2.5v14H6zM9.5 12 19 5.5v13z',
  next: 'M15.5 5H18v14h-2.5zM14.5 12 5 18.5v-13z',
  volume:
    'M4 9.5h3.5L12 5.5v13l-4.5-4H4zM15 8.6a4.5 4.5 0 0 1 0 6.8l-1.1-1.1a3 3 0 0 0 0-4.6zM17.2 6.4a7.6 7.6 0 0 1 0 11.2l-1.1-1.1a6 6 0 0 0 0-9z',
  muted:
    'M4 9.5h3.5L12 5.5v13l-4.5-4H4zM14.8 9.3l1.1-1.1 2.1 2.1 2.1-2.1 1.1 1.1-2.1 2.1 2.1 2.1-1.1 1.1-2.1-2.1-2.1 2.1-1.1-1.1 2.1-2.1z',
  loudness: 'M3 11h2v2H3zM7 8h2v8H7zM11 5h2v14h-2zM15 8h2v8h-2zM19 11h2v2h-2z',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 20 }: { name: IconName; size?: number }) {
  return (
    <svg viewBox="0 0 24 24" width={size} height={size} aria-hidden="true" focusable="false">
      <path d={PATHS[name]} fill="currentColor" />
    </svg>
  );
}

/** A ring that turns while audio loads (still under reduced motion: it is the only loading cue). */
export function Spinner({ size = 20 }: { size?: number }) {
  return (
    <svg className="spinner" viewBox="0 0 24 24" width={size} height={size} aria-hidden="true" focusable="false">
      <circle
        cx="12"
        cy="12"
        r="8.5"
        fill="none"
        stroke="currentColor"
        strokeWidth="2.5"
        strokeDasharray="40 60"
        strokeLinecap="round"
      />
    </svg>
  );
}
