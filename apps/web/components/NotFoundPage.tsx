/**
 * The page for what a visitor may not see or that does not exist (docs/architecture.md, "What a
 * caller may see": hidden is not here): a 404, a title naming what is missing, an optional sentence,
 * and the way back home.
 */
import Link from 'next/link';
import type { ReactNode } from 'react';
import { routes } from '@/lib/routes';

export function NotFoundPage({ titleId, title, text }: { titleId: string; title: ReactNode; text?: string }) {
  return (
    <section className="status-page container" aria-labelledby={titleId}>
      <p className="status-page__code">404</p>
      <h1 id={titleId} className="status-page__title">
        {title}
      </h1>
      {text && <p className="status-page__text">{text}</p>}
      <Link className="button button--accent" href={routes.home}>
        Back to the home page
      </Link>
    </section>
  );
}
