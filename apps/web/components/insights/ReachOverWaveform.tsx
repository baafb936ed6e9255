'use client';

/**
 * "Where listeners stop": the share of plays still listening at each 1% of the track, drawn as a
 * line over the track's waveform, with a marker at each comment's moment. For screen readers: a
 * summary (how many are still there at a quarter, half, three quarters and the end) and the table
 * view of the curve.
 */
import { useEffect, useState } from 'react';
import { parseWaveform, toBars } from '@/components/waveform/peaks';
import './insights.css';

const W = 1000;
const H = 220;
const BARS = 200;

function pct(v: number): string {
  return `${Math.round(v * 100)}%`;
}

export function ReachOverWaveform({
  trackId,
  curve,
  plays,
  durationMs,
  commentPositionsMs,
}: {
  trackId: string;
  curve: readonly number[];
  plays: number;
  durationMs: number | null;
  commentPositionsMs: readonly number[];
}) {
  const [bars, setBars] = useState<Float32Array | null>(null);
  const [showTable, setShowTable] = useState(false);
  useEffect(() => {
    const controller = new AbortController();
    (async () => {
      const res = await fetch(`/api/v1/tracks/${encodeURIComponent(trackId)}`, {
        signal: controller.signal,
        credentials: 'same-origin',
      });
      if (!res.ok) return;
      const body = (await res.json()) as { track?: { waveformUrl?: string | null } };
      const url = body.track?.waveformUrl;
      if (!url) return;
      const wave = await fetch(url, { signal: controller.signal });
      if (wave.ok) setBars(toBars(parseWaveform(await wave.json()), BARS));
    })().catch(() => undefined);
    return () => controller.abort();
  }, [trackId]);

  const at = (f: number) => curve[Math.min(curve.length - 1, Math.floor(f * curve.length))] ?? 0;
  const summary =
    plays === 0
      ? 'No plays have reported where they stopped yet.'
      : `Of ${plays} plays: ${pct(at(0.25))} still listening at a quarter of the track, ${pct(at(0.5))} at half, ${pct(at(0.75))} at three quarters, ${pct(at(0.995))} at the end.`;
  const line = curve.map((v, i) => `${((i + 0.5) / curve.length) * W},${H - v * (H - 10) - 5}`).join(' ');
  const barW = W / BARS;
  return (
    <figure className="insights-reach" data-testid="reach">
      <figcaption className="insights-chart__title">
        <span>Where listeners stop</span>
        <small>{summary}</small>
      </figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="insights-reach__svg"
        role="img"
        aria-label={`Where listeners stop. ${summary}`}
        preserveAspectRatio="none"
      >
        <g aria-hidden="true" className="insights-reach__wave">
          {bars &&
            Array.from(bars, (b, i) => {
              const h = Math.max(2, b * (H * 0.8));
              return <rect key={i} x={i * barW + 0.5} y={(H - h) / 2} width={Math.max(1, barW - 1)} height={h} />;
            })}
        </g>
        {plays > 0 && (
          <>
            <polygon points={`0,${H} ${line} ${W},${H}`} className="insights-reach__area" aria-hidden="true" />
            <polyline points={line} className="insights-reach__line" aria-hidden="true" />
          </>
        )}
        {durationMs !== null &&
          durationMs > 0 &&
          commentPositionsMs.map((ms, i) => {
            const x = Math.min(W - 2, (ms / durationMs) * W);
            return (
              <g key={i} className="insights-reach__comment" data-testid="comment-marker">
                <line x1={x} x2={x} y1={0} y2={H} />
                <circle cx={x} cy={8} r={5} />
              </g>
            );
          })}
      </svg>
      <button
        type="button"
        className="button button--small"
        aria-expanded={showTable}
        onClick={() => setShowTable(!showTable)}
      >
        {showTable ? 'Hide' : 'Show'} the curve as a table
      </button>
      {showTable && (
        <div
          className="insights-table__wrap"
          tabIndex={0}
          role="region"
          aria-label="Share still listening at each 10% of the track"
        >
          <table className="insights-table">
            <thead>
              <tr>
                <th scope="col">Position</th>
                <th scope="col">Still listening</th>
              </tr>
            </thead>
            <tbody>
              {Array.from({ length: 10 }, (_, i) => (
                <tr key={i}>
                  <th scope="row">{i * 10}%</th>
                  <td>{pct(curve[i * 10] ?? 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </figure>
  );
}
