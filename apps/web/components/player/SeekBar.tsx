'use client';

import { useEffect, useRef, useState, type CSSProperties } from 'react';
import { formatTime } from './time';
import './player.css';

/**
 * A range input for the position. While it is dragged it shows the dragged value and seeks once, on
 * release (or on each arrow key press), instead of asking the stream for every pixel crossed.
 */
export function SeekBar({
  value,
  max,
  onSeek,
  label,
  disabled,
}: {
  value: number;
  max: number;
  onSeek: (seconds: number) => void;
  label: string;
  disabled?: boolean;
}) {
  const [dragValue, setDragValue] = useState<number | null>(null);
  const ref = useRef<HTMLInputElement>(null);
  const onSeekRef = useRef(onSeek);
  onSeekRef.current = onSeek;

  useEffect(() => {
    const input = ref.current!;
    const commit = () => {
      onSeekRef.current(Number(input.value));
      setDragValue(null);
    };
    input.addEventListener('change', commit);
    return () => input.removeEventListener('change', commit);
  }, []);

  const shown = dragValue ?? value;
  const safeMax = max > 0 ? max : 1;
  const style = { '--fill': `${Math.min(100, (shown / safeMax) * 100)}%` } as CSSProperties;
  return (
    <input
      ref={ref}
      className="range"
      type="range"
      min={0}
      max={safeMax}
      step={0.1}
      value={Math.min(shown, safeMax)}
      onChange={(e) => setDragValue(Number(e.currentTarget.value))}
      aria-label={label}
      aria-valuetext={`${formatTime(shown)} of ${formatTime(max)}`}
      disabled={disabled}
      style={style}
      data-testid="player-seek"
    />
  );
}
