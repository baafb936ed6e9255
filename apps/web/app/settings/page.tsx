import { unindexed } from '@/lib/metadata';
import { PageSection } from '@/components/PageSection';
import { Settings } from '@/components/account/Settings';
import { PayoutsSettings } from '@/components/commerce/PayoutsSettings';
import { NotificationSettings } from '@/components/community/NotificationSettings';

export const metadata = unindexed('Settings');

export default function SettingsPage() {
  return (
    <PageSection id="settings" title="Settings" className="settings-page">
      <div className="settings">
        <Settings />
        <PayoutsSettings />
        <NotificationSettings />
      </div>
    </PageSection>
  );
}
