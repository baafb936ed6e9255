import type { Metadata } from 'next';
import { Settings } from '@/components/account/Settings';
import { PayoutsSettings } from '@/components/commerce/PayoutsSettings';
import { NotificationSettings } from '@/components/community/NotificationSettings';

export const metadata: Metadata = { title: 'Settings', robots: { index: false } };

export default function SettingsPage() {
  return (
    <section className="section container settings-page" aria-labelledby="settings-title">
      <div className="section__head">
        <h1 id="settings-title" className="section__title">
          Settings
        </h1>
      </div>
      <Settings />
      <PayoutsSettings />
      <NotificationSettings />
    </section>
  );
}
