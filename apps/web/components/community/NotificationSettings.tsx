'use client';

/** Settings: which notifications also come by email, per kind. */
import { useState } from 'react';
import { describeApiError } from '@/lib/api';
import { api, ok, type ApiResponse } from '@/lib/api/client';
import { useResource } from '@/lib/hooks/use-resource';
import { useAccount } from '@/lib/hooks/use-account';
import { SettingsSection } from '@/components/account/SettingsSection';

type Prefs = ApiResponse<'/api/v1/me/notification-settings'>['email'];
const LABELS: Array<[keyof Prefs, string]> = [
  ['follow', 'New followers'],
  ['comment', 'Comments on my tracks'],
  ['reply', 'Replies to my comments'],
  ['like', 'Likes of my tracks'],
  ['repost', 'Reposts of my tracks'],
  ['sale', 'Sales of my tracks and releases'],
];

export function NotificationSettings() {
  const user = useAccount();
  const prefs = useResource(user ? `notification-settings:${user.id}` : null, (signal) =>
    ok(api.GET('/api/v1/me/notification-settings', { signal })).then((b) => b.email),
  );
  const [error, setError] = useState<string | null>(null);
  if (!user) return null;
  if (prefs.status === 'error') return <p role="alert">{prefs.message}</p>;
  if (prefs.status !== 'ready') return null;
  const change = async (key: keyof Prefs, value: boolean) => {
    setError(null);
    const before = prefs.data;
    prefs.update((p) => ({ ...p, [key]: value }));
    try {
      const { email } = await ok(api.PATCH('/api/v1/me/notification-settings', { body: { email: { [key]: value } } }));
      prefs.update(() => email);
    } catch (err) {
      prefs.update(() => before);
      setError(describeApiError(err));
    }
  };
  return (
    <SettingsSection id="email-notifications" title="Email notifications" hint="What also comes to your inbox.">
      <fieldset className="checkbox-list" data-testid="notification-settings">
        <legend className="visually-hidden">Email me about</legend>
        {LABELS.map(([key, label]) => (
          <label key={key}>
            <input type="checkbox" checked={prefs.data[key]} onChange={(e) => void change(key, e.target.checked)} />
            {label}
          </label>
        ))}
      </fieldset>
      {error && (
        <p className="form__error" role="alert">
          {error}
        </p>
      )}
    </SettingsSection>
  );
}
