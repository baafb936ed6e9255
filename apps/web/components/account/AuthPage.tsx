import { Suspense, type ComponentType, type ReactNode } from 'react';

/** The card of the signed-out pages (sign in, register, password reset, email confirmation). */
export function AuthPage({ title, intro, children }: { title: string; intro: ReactNode; children: ReactNode }) {
  return (
    <section className="auth-page container" aria-labelledby="auth-title">
      <div className="auth-card">
        <h1 id="auth-title" className="auth-card__title">
          {title}
        </h1>
        <p className="auth-card__intro">{intro}</p>
        {/* useSearchParams needs a Suspense boundary when the page is rendered statically. */}
        <Suspense fallback={null}>{children}</Suspense>
      </div>
    </section>
  );
}

/** A signed-out page's component: `Form` in the card, under `title` and `intro`. */
export function authPage(title: string, intro: string, Form: ComponentType) {
  return function Page() {
    return (
      <AuthPage title={title} intro={intro}>
        <Form />
      </AuthPage>
    );
  };
}
