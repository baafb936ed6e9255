import { unindexed } from '@/lib/metadata';
import { PageSection } from '@/components/PageSection';
import { ThanksView } from '@/components/commerce/ThanksView';

export const metadata = unindexed('Thank you');

type Search = Promise<{ session?: string; item?: string }>;

export default async function ThanksPage({ searchParams }: { searchParams: Search }) {
  const { session, item } = await searchParams;
  return (
    <PageSection id="thanks" title="Thank you">
      <ThanksView
        session={typeof session === 'string' ? session : undefined}
        item={typeof item === 'string' ? item : undefined}
      />
    </PageSection>
  );
}
