import { unindexed } from '@/lib/metadata';
import { FeedList } from '@/components/community/FeedList';
import { FollowingList } from '@/components/community/FollowingList';
import { LibraryPlaylists } from '@/components/community/LibraryPlaylists';

export const metadata = unindexed('Your library');

/** `/library`: tracks you liked, your playlists, who you follow, and what you played recently. */
export default function LibraryPage() {
  return (
    <div className="library-page container">
      <h1>Your library</h1>
      <section aria-labelledby="library-likes">
        <h2 id="library-likes">Likes</h2>
        <FeedList source="likes" testId="library-likes" empty={<p>Tracks you like show up here.</p>} />
      </section>
      <section aria-labelledby="library-playlists">
        <h2 id="library-playlists">Your playlists</h2>
        <LibraryPlaylists />
      </section>
      <section aria-labelledby="library-following">
        <h2 id="library-following">Following</h2>
        <FollowingList />
      </section>
      <section aria-labelledby="library-history">
        <h2 id="library-history">Recently played</h2>
        <FeedList source="history" testId="library-history" empty={<p>Tracks you listen to show up here.</p>} />
      </section>
    </div>
  );
}
