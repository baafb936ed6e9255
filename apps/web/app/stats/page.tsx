import type { Metadata } from 'next';
import { InsightsDashboard } from '@/components/insights/InsightsDashboard';

export const metadata: Metadata = {
  title: 'Insights',
  description: 'Plays, listeners, likes, reposts, comments, downloads and sales of your tracks, day by day.',
  robots: { index: false },
};

export default function StatsPage() {
  return (
    <section className="section container" aria-labelledby="stats-title">
      <div className="section__head">
        <h1 id="stats-title" className="section__title">
          Insights
        </h1>
        <p className="section__hint">Day by day (UTC), updated every few minutes.</p>
      </div>
      <InsightsDashboard />
      <noscript>
        <p className="feed-message">Insights need JavaScript. Turn it on to see them.</p>
      </noscript>
    </section>
  );
}
