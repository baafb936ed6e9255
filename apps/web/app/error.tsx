'use client';

import Link from 'next/link';
import { useEffect } from 'react';
import { routes } from '@/lib/routes';

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);

  return (
    <section className="status-page container" aria-labelledby="error-title" role="alert">
      <p className="status-page__code">Error</p>
      <h1 id="error-title" className="status-page__title">
        Something skipped
      </h1>
      <p className="status-page__text">
        This page hit an unexpected problem. Try again, or head back home.
        {error.digest && <span className="status-page__digest"> Reference: {error.digest}</span>}
      </p>
      <div className="status-page__actions">
        <button type="button" className="button button--accent" onClick={() => reset()}>
          Try again
        </button>
        <Link className="button button--ghost" href={routes.home}>
          Home
        </Link>
      </div>
    </section>
  );
}
