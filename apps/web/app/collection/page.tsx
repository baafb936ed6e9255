import { unindexed } from '@/lib/metadata';
import { PageSection } from '@/components/PageSection';
import { CollectionView } from '@/components/commerce/CollectionView';

export const metadata = unindexed('Your collection');

export default function CollectionPage() {
  return (
    <PageSection id="collection" title="Your collection">
      <CollectionView />
    </PageSection>
  );
}
