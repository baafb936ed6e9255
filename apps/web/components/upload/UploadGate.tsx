'use client';

/**
 * Who is asking decides what the upload page shows: the uploader for artists (and admins), how to become
 * an artist for listeners, a prompt to sign in for everyone else. Asked in the browser, with the session
 * cookie (`GET /api/v1/auth/me`).
 */
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { apiFetch, ApiError, describeApiError } from '@/lib/api';
import { routes } from '@/lib/routes';
import { Uploader } from './Uploader';

interface Me {
  id: string;
  handle: string;
  displayName: string;
  role: 'listener' | 'artist' | 'admin';
}

type State = { status: 'checking' } | { status: 'signed-out' } | { status: 'error'; message: string } | { status: 'signed-in'; user: Me };

export function UploadGate() {
  const [state, setState] = useState<State>({ status: 'checking' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    apiFetch<{ user?: Me }>('/api/v1/auth/me', { signal: controller.signal }).then(
      (body) => setState(body.user ? { status: 'signed-in', user: body.user } : { status: 'signed-out' }),
      (err: unknown) => {
        if (controller.signal.aborted) return;
        if (err instanceof ApiError && (err.status === 401 || err.status === 403)) setState({ status: 'signed-out' });
        else setState({ status: 'error', message: describeApiError(err) });
      },
    );
    return () => controller.abort();
  }, [attempt]);

  if (state.status === 'checking') {
    return (
      <p className="upload-gate__checking" role="status">
        Checking your account…
      </p>
    );
  }
  if (state.status === 'error') {
    return (
      <div className="feed-message feed-message--error" role="alert">
        <h2 className="feed-message__title">Couldn’t check your account</h2>
        <p className="feed-message__text">{state.message}</p>
        <button type="button" className="button button--ghost" onClick={() => setAttempt((n) => n + 1)}>
          Try again
        </button>
      </div>
    );
  }
  if (state.status === 'signed-out') {
    return (
      <div className="feed-message" data-testid="upload-signed-out">
        <h2 className="feed-message__title">Sign in to upload</h2>
        <p className="feed-message__text">Uploading is for artists. Sign in, or create an artist account — it is free.</p>
        <div className="upload-gate__actions">
          <Link className="button button--accent" href={`${routes.login}?next=${encodeURIComponent(routes.upload)}`} prefetch={false}>
            Sign in
          </Link>
          <Link className="button button--ghost" href={routes.register} prefetch={false}>
            Create an account
          </Link>
        </div>
      </div>
    );
  }
  if (state.user.role === 'listener') {
    return (
      <div className="feed-message" data-testid="upload-listener">
        <h2 className="feed-message__title">Become an artist to upload</h2>
        <p className="feed-message__text">
          Your account, {state.user.displayName}, is a listener account. Switch it to an artist account in your settings to publish tracks —
          your likes, playlists and purchases stay as they are.
        </p>
        <Link className="button button--accent" href={routes.settings} prefetch={false}>
          Go to settings
        </Link>
      </div>
    );
  }
  return <Uploader />;
}
