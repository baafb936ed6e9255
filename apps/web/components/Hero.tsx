import Link from 'next/link';
import { routes } from '@/lib/routes';
import './hero.css';

const BARS = 96;
const PLAYED = 0.42;

/** Deterministic bar heights (0..1) that look like a song: an intro, a build, a drop, an outro. */
function waveformBars(): number[] {
  let seed = 7;
  const rand = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  return Array.from({ length: BARS }, (_, i) => {
    const x = i / (BARS - 1);
    const envelope =
      x < 0.12 ? 0.3 + x * 2 : x < 0.38 ? 0.45 + (x - 0.12) : x < 0.46 ? 0.35 : x < 0.86 ? 0.9 : 0.9 - (x - 0.86) * 5;
    const texture = 0.55 + 0.45 * Math.abs(Math.sin(i * 0.61) * Math.cos(i * 0.23));
    return Math.max(0.08, Math.min(1, envelope * texture * (0.8 + rand() * 0.4)));
  });
}

/** Bars as one SVG path per colour, so the static HTML stays small. */
function barsPath(
  bars: number[],
  from: number,
  to: number,
  top: (v: number) => number,
  height: (v: number) => number,
): string {
  let d = '';
  for (let i = from; i < to; i++) {
    const v = bars[i]!;
    d += `M${i * 6} ${top(v).toFixed(1)}h4v${height(v).toFixed(1)}h-4z`;
  }
  return d;
}

/** The hero's illustration: an abstract player — waveform, playhead, and comments pinned to moments. */
function HeroPlayer() {
  const bars = waveformBars();
  const width = BARS * 6;
  const height = 150;
  const mid = 100;
  const split = Math.round(PLAYED * BARS);
  const up = (v: number) => v * 84;
  const markers = [0.27, 0.63];
  return (
    <div className="hero__art" aria-hidden="true">
      <div className="mock-player__head">
        <div className="mock-player__play">
          <svg viewBox="0 0 24 24" width="18" height="18" focusable="false">
            <path d="M8 5.5v13l10.5-6.5z" fill="currentColor" />
          </svg>
        </div>
        <div className="mock-player__lines">
          <span className="mock-line mock-line--strong" />
          <span className="mock-line" />
        </div>
        <div className="mock-player__cover" />
      </div>
      <div className="mock-player__wave">
        <svg className="hero__waveform" viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" focusable="false">
          <path className="wf-played" d={barsPath(bars, 0, split, (v) => mid - up(v), up)} />
          <path className="wf-rest" d={barsPath(bars, split, BARS, (v) => mid - up(v), up)} />
          <path
            className="wf-played wf-reflection"
            d={barsPath(
              bars,
              0,
              split,
              () => mid + 2,
              (v) => up(v) * 0.36,
            )}
          />
          <path
            className="wf-rest wf-reflection"
            d={barsPath(
              bars,
              split,
              BARS,
              () => mid + 2,
              (v) => up(v) * 0.36,
            )}
          />
          <rect x={split * 6 - 1} y={4} width={2} height={height - 8} className="wf-playhead" />
        </svg>
        {markers.map((m, i) => (
          <span key={m} className={`mock-comment mock-comment--${i}`} style={{ left: `${m * 100}%` }} />
        ))}
        <span className="mock-bubble" style={{ left: `${markers[1]! * 100}%` }}>
          <span className="mock-line mock-line--short" />
        </span>
      </div>
      <div className="mock-player__times">
        <span>1:36</span>
        <span>3:48</span>
      </div>
    </div>
  );
}

export function Hero() {
  return (
    <section className="hero" aria-labelledby="hero-title">
      <div className="container hero__inner">
        <div className="hero__copy">
          <p className="eyebrow">Independent music, self-hosted</p>
          <h1 id="hero-title" className="hero__title">
            Listen closely. <span className="accent-text">Pay artists directly.</span>
          </h1>
          <p className="hero__lede">
            Earshot is a home for independent music where you follow every track’s waveform, leave comments on the exact
            moment that moved you, and buy straight from the artist — often for whatever you think it’s worth.
          </p>
          <div className="hero__actions">
            <a className="button button--accent" href="#new-tracks">
              Start listening
            </a>
            <Link className="button button--ghost" href={routes.register} prefetch={false}>
              Share your music
            </Link>
          </div>
        </div>
        <HeroPlayer />
      </div>
    </section>
  );
}
