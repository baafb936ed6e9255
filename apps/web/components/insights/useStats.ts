'use client';

import { useEffect, useState } from 'react';

export type Load<T> =
  | { status: 'loading' }
  | { status: 'ready'; body: T }
  | { status: 'error'; code: number; message: string };

/** GET a stats URL from the same origin with the session cookie; re-fetched when the URL changes. */
export function useStats<T>(url: string | null): Load<T> {
  const [state, setState] = useState<Load<T>>({ status: 'loading' });
  useEffect(() => {
    if (!url) return;
    const controller = new AbortController();
    setState({ status: 'loading' });
    fetch(url, {
      signal: controller.signal,
      cache: 'no-store',
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    })
      .then(async (res) => {
        const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
        if (!res.ok)
          setState({
            status: 'error',
            code: res.status,
            message: body?.error?.message ?? `The server answered ${res.status}.`,
          });
        else setState({ status: 'ready', body: body as T });
      })
      .catch(() => {
        if (!controller.signal.aborted)
          setState({ status: 'error', code: 0, message: 'The server could not be reached.' });
      });
    return () => controller.abort();
  }, [url]);
  return state;
}

/** Offers `text` as a file download (CSV export). */
export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
