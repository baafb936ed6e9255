'use client';

/** Settings: which notifications also come by email, per kind. */
import { useEffect, useState } from 'react';
import { apiFetch, describeApiError } from '@/lib/api';
import { useAccount } from './use-account';

type Prefs = Record<'follow' | 'comment' | 'reply' | 'like' | 'repost', boolean>;
const LABELS: Array<[keyof Prefs, string]> = [
  ['follow', 'New followers'],
  ['comment', 'Comments on my tracks'],
  ['reply', 'Replies to my comments'],
  ['like', 'Likes of my tracks'],
  ['repost', 'Reposts of my tracks'],
];

export function NotificationSettings() {
  const user = useAccount();
  const [prefs, setPrefs] = useState<Prefs | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!user) return;
    apiFetch<{ email: Prefs }>('/api/v1/me/notification-settings').then(
      (b) => setPrefs(b.email),
      (err: unknown) => setError(describeApiError(err)),
    );
  }, [user]);
  if (!user || !prefs) return error ? <p role="alert">{error}</p> : null;
  const change = async (key: keyof Prefs, value: boolean) => {
    setError(null);
    setPrefs({ ...prefs, [key]: value });
    try {
      setPrefs(
        (
          await apiFetch<{ email: Prefs }>('/api/v1/me/notification-settings', {
            method: 'PATCH',
            json: { email: { [key]: value } },
          })
        ).email,
      );
    } catch (err) {
      setPrefs(prefs);
      setError(describeApiError(err));
    }
  };
  return (
    <fieldset className="settings-card" data-testid="notification-settings">
      <legend>Email me about</legend>
      {LABELS.map(([key, label]) => (
        <label key={key} style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
          <input type="checkbox" checked={prefs[key]} onChange={(e) => void change(key, e.target.checked)} /> {label}
        </label>
      ))}
      {error && <p role="alert">{error}</p>}
    </fieldset>
  );
}
