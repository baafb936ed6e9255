'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import { describeApiError } from '@/lib/api';
import { api, ok } from '@/lib/api/client';
import { routes } from '@/lib/routes';
import './account.css';

/** Follows the mailed link: the token goes to the API once, from the page (mail scanners do not run it). */
export function VerifyEmail() {
  const token = useSearchParams().get('token') ?? '';
  const [state, setState] = useState<
    { status: 'working' } | { status: 'done' } | { status: 'failed'; message: string }
  >({ status: 'working' });

  useEffect(() => {
    if (!token) {
      setState({ status: 'failed', message: 'This page needs the link from the mail.' });
      return;
    }
    let live = true;
    // Not useResource: a write, sent once and not aborted (the token works once).
    ok(api.POST('/api/v1/auth/verify-email', { body: { token } })).then(
      () => live && setState({ status: 'done' }),
      (err: unknown) => live && setState({ status: 'failed', message: describeApiError(err) }),
    );
    return () => {
      live = false;
    };
  }, [token]);

  if (state.status === 'working') return <p role="status">Confirming your address…</p>;
  if (state.status === 'done') {
    return (
      <div className="form__done" role="status" data-testid="email-verified">
        <p>Your email address is confirmed. Thank you!</p>
        <Link className="button button--accent" href={routes.home}>
          Go to Earshot
        </Link>
      </div>
    );
  }
  return (
    <div className="form__done" role="alert">
      <p className="form__error">{state.message}</p>
      <p>
        Signed in? Ask for a new link in{' '}
        <Link href={routes.settings} prefetch={false}>
          your settings
        </Link>
        .
      </p>
    </div>
  );
}
