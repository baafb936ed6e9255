import type { Metadata } from 'next';
import { PageSection } from '@/components/PageSection';
import { Settings } from '@/components/account/Settings';
import { PayoutsSettings } from '@/components/commerce/PayoutsSettings';
import { NotificationSettings } from '@/components/community/NotificationSettings';

export const metadata: Metadata = { title: 'Settings', robots: { index: false } };

export default function SettingsPage() {
  return (
    <PageSection id="settings" title="Settings" className="settings-page">
      <Settings />
      <PayoutsSettings />
      <NotificationSettings />
    </PageSection>
  );
}
