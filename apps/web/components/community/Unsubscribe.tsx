'use client';

import { useEffect, useState } from 'react';
import { describeApiError } from '@/lib/api';
import { api, ok } from '@/lib/api/client';

const NAMES: Record<string, string> = {
  follow: 'new followers',
  comment: 'comments on your tracks',
  reply: 'replies to you',
  like: 'likes',
  repost: 'reposts',
  sale: 'sales',
};

/** Sends the link's token once and says which kind of email is now off. */
export function Unsubscribe() {
  const [state, setState] = useState<
    { kind: 'working' } | { kind: 'done'; type: string } | { kind: 'error'; message: string }
  >({ kind: 'working' });
  useEffect(() => {
    const token = new URLSearchParams(window.location.search).get('token') ?? '';
    ok(api.POST('/api/v1/notifications/unsubscribe', { body: { token } })).then(
      (b) => setState({ kind: 'done', type: b.unsubscribed }),
      (err: unknown) => setState({ kind: 'error', message: describeApiError(err) }),
    );
  }, []);
  if (state.kind === 'working') return <p role="status">Unsubscribing…</p>;
  if (state.kind === 'error') return <p role="alert">{state.message}</p>;
  return (
    <p role="status">
      Done: you will no longer get emails about {NAMES[state.type] ?? state.type}. You can turn them back on in your
      settings.
    </p>
  );
}
