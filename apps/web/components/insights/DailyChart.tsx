/**
 * One figure per day as an SVG bar chart. For screen readers the chart is an image with a summary
 * (total, best day); the exact numbers are in the table view next to the charts (StatsTable).
 */
import { niceMax, shortDay } from '@/lib/insights';
import './insights.css';

const W = 600;
const H = 160;
const PAD_L = 36;
const PAD_B = 20;
const PAD_T = 8;

export function DailyChart({
  id,
  title,
  points,
}: {
  id: string;
  title: string;
  points: ReadonlyArray<{ day: string; value: number }>;
}) {
  const max = niceMax(Math.max(0, ...points.map((p) => p.value)));
  const total = points.reduce((s, p) => s + p.value, 0);
  const best = points.reduce<{ day: string; value: number } | null>(
    (b, p) => (p.value > (b?.value ?? 0) ? p : b),
    null,
  );
  const plotW = W - PAD_L;
  const plotH = H - PAD_B - PAD_T;
  const step = points.length ? plotW / points.length : plotW;
  const bar = Math.max(1, step * 0.7);
  const summary = `${title}: ${total.toLocaleString('en-GB')} in total over ${points.length} days${best ? `, most on ${shortDay(best.day)} (${best.value.toLocaleString('en-GB')})` : ''}.`;
  return (
    <figure className="insights-chart" data-testid={`chart-${id}`}>
      <figcaption className="insights-chart__title">
        <span>{title}</span>
        <strong>{total.toLocaleString('en-GB')}</strong>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} className="insights-chart__svg" role="img" aria-label={summary}>
        {[0, 0.5, 1].map((f) => {
          const y = PAD_T + plotH * (1 - f);
          return (
            <g key={f} aria-hidden="true">
              <line x1={PAD_L} x2={W} y1={y} y2={y} className="insights-chart__grid" />
              <text x={PAD_L - 6} y={y + 4} textAnchor="end" className="insights-chart__axis">
                {Number((max * f).toPrecision(3)).toLocaleString('en-GB')}
              </text>
            </g>
          );
        })}
        {points.map((p, i) => {
          const h = (p.value / max) * plotH;
          return (
            <rect
              key={p.day}
              x={PAD_L + i * step + (step - bar) / 2}
              y={PAD_T + plotH - h}
              width={bar}
              height={h}
              className="insights-chart__bar"
            >
              <title>{`${shortDay(p.day)}: ${p.value.toLocaleString('en-GB')}`}</title>
            </rect>
          );
        })}
        {points.length > 0 && (
          <g aria-hidden="true">
            <text x={PAD_L} y={H - 4} className="insights-chart__axis">
              {shortDay(points[0]!.day)}
            </text>
            <text x={W} y={H - 4} textAnchor="end" className="insights-chart__axis">
              {shortDay(points[points.length - 1]!.day)}
            </text>
          </g>
        )}
      </svg>
    </figure>
  );
}
