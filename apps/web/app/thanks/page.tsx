import type { Metadata } from 'next';
import { ThanksView } from '@/components/commerce/ThanksView';

export const metadata: Metadata = { title: 'Thank you', robots: { index: false } };

type Search = Promise<{ session?: string; item?: string }>;

export default async function ThanksPage({ searchParams }: { searchParams: Search }) {
  const { session, item } = await searchParams;
  return (
    <section className="section container" aria-labelledby="thanks-title">
      <div className="section__head">
        <h1 id="thanks-title" className="section__title">
          Thank you
        </h1>
      </div>
      <ThanksView
        session={typeof session === 'string' ? session : undefined}
        item={typeof item === 'string' ? item : undefined}
      />
    </section>
  );
}
