import type { Metadata } from 'next';
import { CollectionView } from '@/components/commerce/CollectionView';

export const metadata: Metadata = { title: 'Your collection', robots: { index: false } };

export default function CollectionPage() {
  return (
    <section className="section container" aria-labelledby="collection-title">
      <div className="section__head">
        <h1 id="collection-title" className="section__title">
          Your collection
        </h1>
      </div>
      <CollectionView />
    </section>
  );
}
