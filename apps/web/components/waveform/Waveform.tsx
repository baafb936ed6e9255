'use client';

/**
 * The track's waveform on a <canvas>: bars from the worker's peaks, the played part in the accent
 * colour, a lighter band up to the pointer while hovering, click (or arrow keys) to seek. Redrawn on
 * resize at the screen's pixel density; while the track plays, an animation frame reads the live position.
 */
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { formatTime } from '@/components/player/time';
import { coveredFraction, parseWaveform, toBars, type Bars } from './peaks';
import './waveform.css';

const BAR = 2;
const GAP = 1;
/** Share of the height above the baseline; the rest is the reflection. */
const TOP = 0.72;
const KEY_STEP_S = 5;

type Peaks = { min: number[]; max: number[]; seconds: number };

export function Waveform({
  url,
  duration,
  position,
  playing,
  getPosition,
  onSeek,
  label,
}: {
  url: string | null;
  /** Seconds. */
  duration: number;
  /** Seconds, as last reported (used while paused). */
  position: number;
  /** While true, every animation frame reads getPosition(). */
  playing: boolean;
  getPosition: () => number;
  /** 0..1 */
  onSeek: (fraction: number) => void;
  label: string;
}) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [peaks, setPeaks] = useState<Peaks | null>(null);
  const [failed, setFailed] = useState(false);
  const [hover, setHover] = useState<number | null>(null);
  const geometry = useRef<{ width: number; height: number; dpr: number; bars: Bars; count: number }>({
    width: 0,
    height: 0,
    dpr: 1,
    bars: new Float32Array(0),
    count: 0,
  });
  const progressRef = useRef(0);
  const hoverRef = useRef<number | null>(null);
  hoverRef.current = hover;

  useEffect(() => {
    if (!url) return;
    const controller = new AbortController();
    setFailed(false);
    fetch(url, { signal: controller.signal })
      .then((r) => {
        if (!r.ok) throw new Error(`waveform ${r.status}`);
        return r.json();
      })
      .then((json: unknown) => setPeaks(parseWaveform(json)))
      .catch(() => {
        if (!controller.signal.aborted) setFailed(true);
      });
    return () => controller.abort();
  }, [url]);

  const draw = useCallback(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const { width, height, dpr, bars, count } = geometry.current;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const style = getComputedStyle(canvas);
    const played = style.getPropertyValue('--accent').trim() || '#ffb45e';
    const rest = style.getPropertyValue('--wf-rest').trim() || '#4a5160';
    const hoverColour = style.getPropertyValue('--wf-hover').trim() || '#8a8f9c';
    const base = Math.round(height * TOP);
    const playedX = progressRef.current * width;
    const hoverX = hoverRef.current == null ? null : hoverRef.current * width;

    const colourAt = (x: number): string => {
      if (hoverX != null) {
        if (x < Math.min(playedX, hoverX)) return played;
        if (x < Math.max(playedX, hoverX)) return hoverX > playedX ? hoverColour : played;
        return rest;
      }
      return x < playedX ? played : rest;
    };

    if (!bars.length) {
      // No peaks (still loading or unavailable): a thin timeline that still shows progress and seeks.
      ctx.fillStyle = rest;
      ctx.fillRect(0, base - 1, width, 2);
      ctx.fillStyle = played;
      ctx.fillRect(0, base - 1, playedX, 2);
      return;
    }
    for (let i = 0; i < bars.length; i++) {
      const x = i * (BAR + GAP);
      const v = Math.max(0.02, bars[i]!);
      const up = Math.max(1, v * (base - 2));
      const down = Math.max(1, v * (height - base - 1));
      ctx.fillStyle = colourAt(x + BAR / 2);
      ctx.globalAlpha = 1;
      ctx.fillRect(x, base - up, BAR, up);
      ctx.globalAlpha = 0.35;
      ctx.fillRect(x, base + 1, BAR, down);
    }
    ctx.globalAlpha = 1;
    if (bars.length < count) {
      // A waveform still growing: the part not decoded yet is a thin timeline.
      const from = bars.length * (BAR + GAP);
      ctx.fillStyle = rest;
      ctx.fillRect(from, base - 1, width - from, 2);
      ctx.fillStyle = played;
      if (playedX > from) ctx.fillRect(from, base - 1, playedX - from, 2);
    }
    if (playedX > 0 && playedX < width) {
      ctx.fillStyle = style.getPropertyValue('--text').trim() || '#ecebe7';
      ctx.fillRect(Math.round(playedX) - 1, 0, 2, height);
    }
  }, []);

  // Size the canvas to its box at device pixels; recompute the bars for that width.
  useEffect(() => {
    const wrap = wrapRef.current;
    const canvas = canvasRef.current;
    if (!wrap || !canvas) return;
    const layout = () => {
      const rect = wrap.getBoundingClientRect();
      const dpr = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
      const width = Math.max(1, Math.floor(rect.width));
      const height = Math.max(1, Math.floor(rect.height));
      canvas.width = Math.round(width * dpr);
      canvas.height = Math.round(height * dpr);
      const count = Math.floor((width + GAP) / (BAR + GAP));
      const drawn = peaks ? Math.floor(count * coveredFraction(peaks.seconds, duration)) : 0;
      geometry.current = { width, height, dpr, bars: peaks ? toBars(peaks, drawn) : new Float32Array(0), count };
      draw();
    };
    layout();
    const observer = new ResizeObserver(layout);
    observer.observe(wrap);
    // A window moved to a screen of another density resizes nothing: listen for the change itself.
    const media = window.matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
    media.addEventListener('change', layout);
    return () => {
      observer.disconnect();
      media.removeEventListener('change', layout);
    };
  }, [peaks, duration, draw]);

  // Progress: from props while paused, from the element every frame while playing.
  useEffect(() => {
    const fraction = (t: number) => (duration > 0 ? Math.min(1, Math.max(0, t / duration)) : 0);
    progressRef.current = fraction(position);
    draw();
    if (!playing) return;
    let frame = 0;
    let lastX = -1;
    const tick = () => {
      progressRef.current = fraction(getPosition());
      const x = Math.round(progressRef.current * geometry.current.width);
      if (x !== lastX) {
        lastX = x;
        draw();
      }
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [playing, position, duration, getPosition, draw]);

  useEffect(() => draw(), [hover, draw]);

  const fractionOf = (event: { clientX: number; currentTarget: HTMLElement }) => {
    const rect = event.currentTarget.getBoundingClientRect();
    return rect.width > 0 ? Math.min(1, Math.max(0, (event.clientX - rect.left) / rect.width)) : 0;
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!(duration > 0)) return;
    const now = getPosition();
    let target: number | null = null;
    if (event.key === 'ArrowRight' || event.key === 'ArrowUp') target = now + KEY_STEP_S;
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowDown') target = now - KEY_STEP_S;
    else if (event.key === 'PageUp') target = now + duration / 10;
    else if (event.key === 'PageDown') target = now - duration / 10;
    else if (event.key === 'Home') target = 0;
    else if (event.key === 'End') target = duration;
    if (target == null || event.ctrlKey || event.altKey || event.metaKey) return;
    event.preventDefault();
    onSeek(Math.min(1, Math.max(0, target / duration)));
  };

  const now = Math.min(position, duration);
  return (
    <div
      ref={wrapRef}
      className={`waveform${peaks ? '' : failed ? ' waveform--missing' : ' waveform--loading'}`}
      role="slider"
      tabIndex={0}
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={Math.round(duration)}
      aria-valuenow={Math.round(now)}
      aria-valuetext={`${formatTime(now)} of ${formatTime(duration)}`}
      data-testid="waveform"
      data-covered={peaks ? coveredFraction(peaks.seconds, duration).toFixed(3) : undefined}
      onPointerMove={(e) => setHover(fractionOf(e))}
      onPointerLeave={() => setHover(null)}
      onClick={(e) => onSeek(fractionOf(e))}
      onKeyDown={onKeyDown}
    >
      <canvas ref={canvasRef} className="waveform__canvas" aria-hidden="true" />
      {hover != null && duration > 0 && (
        <span className="waveform__hover-time" style={{ left: `${hover * 100}%` }} aria-hidden="true">
          {formatTime(hover * duration)}
        </span>
      )}
    </div>
  );
}
