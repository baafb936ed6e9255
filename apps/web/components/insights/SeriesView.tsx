'use client';

/** Charts of every daily figure, a table view of the same numbers, and the CSV export. */
import { useState } from 'react';
import { FIGURES, FIGURE_LABELS, toCsv, type SeriesStats } from '@/lib/insights';
import { DailyChart } from './DailyChart';
import { StatsTable } from './StatsTable';
import { downloadText } from './useStats';
import { OptionButtons } from './OptionButtons';
import './insights.css';

export function SeriesView({ stats, name }: { stats: SeriesStats; name: string }) {
  const [view, setView] = useState<'charts' | 'table'>('charts');
  return (
    <section className="insights-series" aria-label="Daily figures">
      <div className="insights-series__bar">
        <OptionButtons label="View" value={view} options={{ charts: 'Charts', table: 'Table' }} onChange={setView} />
        <button
          type="button"
          className="button button--small"
          onClick={() => downloadText(`${name}-${stats.from}-${stats.to}.csv`, toCsv(stats.days))}
        >
          Export CSV
        </button>
      </div>
      {view === 'charts' ? (
        <div className="insights-grid">
          {FIGURES.map((f) => (
            <DailyChart
              key={f}
              id={f}
              title={FIGURE_LABELS[f]}
              points={stats.days.map((d) => ({ day: d.day, value: d[f] }))}
            />
          ))}
        </div>
      ) : (
        <StatsTable caption={`Daily figures from ${stats.from} to ${stats.to}`} days={stats.days} />
      )}
    </section>
  );
}
