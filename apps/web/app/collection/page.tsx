import type { Metadata } from 'next';
import { PageSection } from '@/components/PageSection';
import { CollectionView } from '@/components/commerce/CollectionView';

export const metadata: Metadata = { title: 'Your collection', robots: { index: false } };

export default function CollectionPage() {
  return (
    <PageSection id="collection" title="Your collection">
      <CollectionView />
    </PageSection>
  );
}
