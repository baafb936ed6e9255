import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ResetPasswordForm } from '@/components/account/ResetPasswordForm';

export const metadata: Metadata = { title: 'Choose a new password', robots: { index: false } };

export default function Page() {
  return (
    <section className="auth-page container" aria-labelledby="auth-title">
      <div className="auth-card">
        <h1 id="auth-title" className="auth-card__title">
          Choose a new password
        </h1>
        <p className="auth-card__intro">Pick something long that you do not use elsewhere.</p>
        {/* useSearchParams needs a Suspense boundary when the page is rendered statically. */}
        <Suspense fallback={null}>
          <ResetPasswordForm />
        </Suspense>
      </div>
    </section>
  );
}
