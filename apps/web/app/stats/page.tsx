import type { Metadata } from 'next';
import { PageSection } from '@/components/PageSection';
import { InsightsDashboard } from '@/components/insights/InsightsDashboard';

export const metadata: Metadata = {
  title: 'Insights',
  description: 'Plays, listeners, likes, reposts, comments, downloads and sales of your tracks, day by day.',
  robots: { index: false },
};

export default function StatsPage() {
  return (
    <PageSection
      id="stats"
      title="Insights"
      hint="Day by day (UTC), updated every few minutes."
      needsScript="Insights need JavaScript. Turn it on to see them."
    >
      <InsightsDashboard />
    </PageSection>
  );
}
