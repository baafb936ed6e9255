import { PageSection } from '@/components/PageSection';
import { unindexed } from '@/lib/metadata';
import { InsightsDashboard } from '@/components/insights/InsightsDashboard';

export const metadata = unindexed(
  'Insights',
  'Plays, listeners, likes, reposts, comments, downloads and sales of your tracks, day by day.',
);

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
