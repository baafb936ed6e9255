import type { Metadata } from 'next';
import { SearchResults } from '@/components/search/SearchResults';
import type { SearchType } from '@/lib/library';

type Search = Promise<{ q?: string | string[]; type?: string | string[] }>;

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

export async function generateMetadata({ searchParams }: { searchParams: Search }): Promise<Metadata> {
  const q = one((await searchParams).q).slice(0, 100);
  return { title: q ? `“${q}” — search` : 'Search', robots: { index: false, follow: true } };
}

/** `/search?q=&type=`: results in tabs (tracks, artists, releases, playlists). */
export default async function SearchPage({ searchParams }: { searchParams: Search }) {
  const params = await searchParams;
  const type = one(params.type);
  const q = one(params.q).slice(0, 100);
  return (
    <SearchResults
      key={`${q}|${type}`}
      q={q}
      initialType={(['track', 'user', 'release', 'playlist'].includes(type) ? type : 'track') as SearchType}
    />
  );
}
