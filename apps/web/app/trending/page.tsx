import type { Metadata } from 'next';
import { TrendingList } from '@/components/insights/TrendingList';

export const metadata: Metadata = {
  title: 'Trending',
  description: 'What people are listening to, liking and buying on Earshot, today and this week.',
};

export default function TrendingPage() {
  return (
    <section className="section container" aria-labelledby="trending-title">
      <div className="section__head">
        <h1 id="trending-title" className="section__title">
          Trending
        </h1>
        <p className="section__hint">
          Distinct listeners, likes, reposts, comments and sales, the newest weighing most.
        </p>
      </div>
      <TrendingList />
      <noscript>
        <p className="feed-message">The list needs JavaScript. Turn it on to see it.</p>
      </noscript>
    </section>
  );
}
