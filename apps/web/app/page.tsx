import { Hero } from '@/components/Hero';
import { TrackFeed } from '@/components/TrackFeed';
import { FeedRedirect } from '@/components/community/FeedRedirect';

// The page itself is static; the track list is fetched by the browser from `/api/v1/tracks` (see TrackFeed).
export default function HomePage() {
  return (
    <>
      <FeedRedirect />
      <Hero />
      <section id="new-tracks" className="section container" aria-labelledby="new-tracks-title">
        <div className="section__head">
          <h2 id="new-tracks-title" className="section__title">
            New tracks
          </h2>
          <p className="section__hint">Fresh uploads, newest first.</p>
        </div>
        <TrackFeed />
        <noscript>
          <p className="feed-message">The track list needs JavaScript. Turn it on to see the latest uploads.</p>
        </noscript>
      </section>
    </>
  );
}
