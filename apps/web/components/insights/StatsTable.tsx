/** The same daily figures as the charts, as a table (the accessible view, and the exact numbers). */
import { FIGURE_LABELS, type DayFigures } from '@/lib/insights';
import './insights.css';

const COLUMNS = ['plays', 'listeners', 'likes', 'reposts', 'comments', 'downloads', 'sales', 'revenueMinor'] as const;

export function StatsTable({ caption, days }: { caption: string; days: readonly DayFigures[] }) {
  return (
    <div className="insights-table__wrap" tabIndex={0} role="region" aria-label={caption}>
      <table className="insights-table" data-testid="stats-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            {COLUMNS.map((c) => (
              <th key={c} scope="col">
                {FIGURE_LABELS[c]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {[...days].reverse().map((d) => (
            <tr key={d.day}>
              <th scope="row">{d.day}</th>
              {COLUMNS.map((c) => (
                <td key={c}>{d[c].toLocaleString('en-GB')}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
