import Link from 'next/link';
import type { Metadata } from 'next';
import { routes } from '@/lib/routes';

export const metadata: Metadata = { title: 'Page not found' };

export default function NotFound() {
  return (
    <section className="status-page container" aria-labelledby="not-found-title">
      <p className="status-page__code">404</p>
      <h1 id="not-found-title" className="status-page__title">
        This page is out of earshot
      </h1>
      <p className="status-page__text">The link may be broken, or the track may have been removed.</p>
      <Link className="button button--accent" href={routes.home}>
        Back to the home page
      </Link>
    </section>
  );
}
