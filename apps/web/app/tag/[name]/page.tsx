import type { Metadata } from 'next';
import { BrowseGrid } from '@/components/library/BrowseGrid';
import { decodeSegment } from '@/lib/server-api';

type Params = Promise<{ name: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `#${decodeSegment((await params).name).slice(0, 60)}` };
}

/** `/tag/<name>`: listed tracks with a tag, newest first. */
export default async function Page({ params }: { params: Params }) {
  return <BrowseGrid kind="tag" name={decodeSegment((await params).name).slice(0, 60)} />;
}
