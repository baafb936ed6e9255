import type { Metadata } from 'next';
import { PageSection } from '@/components/PageSection';
import { BuyersView } from '@/components/commerce/BuyersView';

export const metadata: Metadata = { title: 'Your buyers', robots: { index: false, follow: false } };

/** `/buyers`: the artist's buyers who chose to share their email, with a CSV export. */
export default function BuyersPage() {
  return (
    <PageSection id="buyers" title="Your buyers">
      <BuyersView />
    </PageSection>
  );
}
