import { unindexed } from '@/lib/metadata';
import Link from 'next/link';
import { FeedList } from '@/components/community/FeedList';
import { routes } from '@/lib/routes';

export const metadata = unindexed('Your feed');

/** `/feed`: uploads, releases and reposts of the accounts you follow, newest first. */
export default function FeedPage() {
  return (
    <section className="feed-page container" aria-labelledby="feed-title">
      <h1 id="feed-title">Your feed</h1>
      <FeedList
        source="feed"
        testId="feed"
        empty={
          <p>
            Nothing here yet. Follow artists and the people whose taste you like; their uploads and reposts show up
            here. <Link href={routes.home}>Find new tracks</Link>.
          </p>
        }
      />
    </section>
  );
}
