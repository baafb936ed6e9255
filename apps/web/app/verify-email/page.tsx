import type { Metadata } from 'next';
import { Suspense } from 'react';
import { VerifyEmail } from '@/components/account/VerifyEmail';

export const metadata: Metadata = { title: 'Confirm your email', robots: { index: false } };

export default function Page() {
  return (
    <section className="auth-page container" aria-labelledby="auth-title">
      <div className="auth-card">
        <h1 id="auth-title" className="auth-card__title">
          Confirm your email
        </h1>
        <p className="auth-card__intro">One moment while we check your link.</p>
        {/* useSearchParams needs a Suspense boundary when the page is rendered statically. */}
        <Suspense fallback={null}>
          <VerifyEmail />
        </Suspense>
      </div>
    </section>
  );
}
