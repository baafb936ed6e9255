'use client';

/**
 * Who is asking decides what the upload page shows: the uploader for artists (and admins), how to become
 * an artist for listeners, a prompt to sign in for everyone else. Asked in the browser, with the session
 * cookie (`GET /api/v1/auth/me`).
 */
import Link from 'next/link';
import { ApiError } from '@/lib/api';
import { api, ok } from '@/lib/api/client';
import { useResource } from '@/lib/hooks/use-resource';
import { routes } from '@/lib/routes';
import { Uploader } from './Uploader';
import { LoadFailed } from '@/components/LoadFailed';
import './upload.css';

/** The account, or null when signed out (401, 403). */
async function whoIsAsking(signal: AbortSignal) {
  try {
    return (await ok(api.GET('/api/v1/auth/me', { signal }))).user ?? null;
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) return null;
    throw err;
  }
}

export function UploadGate() {
  const state = useResource('account', whoIsAsking);

  if (state.status === 'loading') {
    return (
      <p className="upload-gate__checking" role="status">
        Checking your account…
      </p>
    );
  }
  if (state.status === 'error') {
    return <LoadFailed heading="h2" title="Couldn’t check your account" text={state.message} retry={state.retry} />;
  }
  const user = state.data;
  if (!user) {
    return (
      <div className="feed-message" data-testid="upload-signed-out">
        <h2 className="feed-message__title">Sign in to upload</h2>
        <p className="feed-message__text">
          Uploading is for artists. Sign in, or create an artist account — it is free.
        </p>
        <div className="upload-gate__actions">
          <Link className="button button--accent" href={routes.loginThen(routes.upload)} prefetch={false}>
            Sign in
          </Link>
          <Link className="button button--ghost" href={routes.register} prefetch={false}>
            Create an account
          </Link>
        </div>
      </div>
    );
  }
  if (user.role === 'listener') {
    return (
      <div className="feed-message" data-testid="upload-listener">
        <h2 className="feed-message__title">Become an artist to upload</h2>
        <p className="feed-message__text">
          Your account, {user.displayName}, is a listener account. Switch it to an artist account in your settings to
          publish tracks — your likes, playlists and purchases stay as they are.
        </p>
        <Link className="button button--accent" href={routes.settings} prefetch={false}>
          Go to settings
        </Link>
      </div>
    );
  }
  return <Uploader />;
}
