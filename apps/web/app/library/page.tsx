import type { Metadata } from 'next';
import { FeedList } from '@/components/community/FeedList';
import { FollowingList } from '@/components/community/FollowingList';

export const metadata: Metadata = { title: 'Your library', robots: { index: false } };

/** `/library`: tracks you liked, who you follow, and what you played recently. */
export default function LibraryPage() {
  return (
    <div className="library-page container">
      <h1>Your library</h1>
      <section aria-labelledby="library-likes">
        <h2 id="library-likes">Likes</h2>
        <FeedList source="/api/v1/me/likes" testId="library-likes" empty={<p>Tracks you like show up here.</p>} />
      </section>
      <section aria-labelledby="library-following">
        <h2 id="library-following">Following</h2>
        <FollowingList />
      </section>
      <section aria-labelledby="library-history">
        <h2 id="library-history">Recently played</h2>
        <FeedList
          source="/api/v1/me/history"
          testId="library-history"
          empty={<p>Tracks you listen to show up here.</p>}
        />
      </section>
    </div>
  );
}
