import type { Metadata } from 'next';
import { PageSection } from '@/components/PageSection';
import { TrendingList } from '@/components/insights/TrendingList';

export const metadata: Metadata = {
  title: 'Trending',
  description: 'What people are listening to, liking and buying on Earshot, today and this week.',
};

export default function TrendingPage() {
  return (
    <PageSection
      id="trending"
      title="Trending"
      hint="Distinct listeners, likes, reposts, comments and sales, the newest weighing most."
      needsScript="The list needs JavaScript. Turn it on to see it."
    >
      <TrendingList />
    </PageSection>
  );
}
