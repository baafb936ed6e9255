import Link from 'next/link';
import type { ReactNode } from 'react';
import { routes } from '@/lib/routes';

/** What a page for signed-in users shows a visitor: why to sign in, and a way back here afterwards. */
export function SignInPrompt({
  title,
  back,
  testId,
  children,
}: {
  title: string;
  back: string;
  testId?: string;
  children?: ReactNode;
}) {
  return (
    <div className="feed-message" data-testid={testId}>
      <h2 className="feed-message__title">{title}</h2>
      {children}
      <Link className="button button--accent" href={routes.loginThen(back)} prefetch={false}>
        Sign in
      </Link>
    </div>
  );
}
