import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ForgotPasswordForm } from '@/components/account/ForgotPasswordForm';

export const metadata: Metadata = { title: 'Forgot password', robots: { index: false } };

export default function Page() {
  return (
    <section className="auth-page container" aria-labelledby="auth-title">
      <div className="auth-card">
        <h1 id="auth-title" className="auth-card__title">
          Forgot your password?
        </h1>
        <p className="auth-card__intro">
          Enter your account’s email address and we will send you a link to choose a new one.
        </p>
        {/* useSearchParams needs a Suspense boundary when the page is rendered statically. */}
        <Suspense fallback={null}>
          <ForgotPasswordForm />
        </Suspense>
      </div>
    </section>
  );
}
