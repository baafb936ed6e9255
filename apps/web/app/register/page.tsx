import type { Metadata } from 'next';
import { Suspense } from 'react';
import { RegisterForm } from '@/components/account/RegisterForm';

export const metadata: Metadata = { title: 'Create an account', robots: { index: false } };

export default function Page() {
  return (
    <section className="auth-page container" aria-labelledby="auth-title">
      <div className="auth-card">
        <h1 id="auth-title" className="auth-card__title">
          Create your account
        </h1>
        <p className="auth-card__intro">Listen, follow and support independent artists — or publish your own music.</p>
        {/* useSearchParams needs a Suspense boundary when the page is rendered statically. */}
        <Suspense fallback={null}>
          <RegisterForm />
        </Suspense>
      </div>
    </section>
  );
}
