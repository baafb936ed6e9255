import type { Metadata } from 'next';
import { BuyersView } from '@/components/commerce/BuyersView';

export const metadata: Metadata = { title: 'Your buyers', robots: { index: false, follow: false } };

/** `/buyers`: the artist's buyers who chose to share their email, with a CSV export. */
export default function BuyersPage() {
  return (
    <section className="section container" aria-labelledby="buyers-title">
      <div className="section__head">
        <h1 id="buyers-title" className="section__title">
          Your buyers
        </h1>
      </div>
      <BuyersView />
    </section>
  );
}
