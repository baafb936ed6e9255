import { unindexed } from '@/lib/metadata';
import { notFound } from 'next/navigation';
import { TrackInsights } from '@/components/insights/TrackInsights';

export const metadata = unindexed('Track insights');

export default async function TrackStatsPage({ params }: { params: Promise<{ trackId: string }> }) {
  const { trackId } = await params;
  if (!/^[1-9][0-9]{0,17}$/.test(trackId)) notFound();
  return (
    <section className="section container">
      <TrackInsights trackId={trackId} />
    </section>
  );
}
