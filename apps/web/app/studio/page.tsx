import type { Metadata } from 'next';
import { Studio } from '@/components/library/Studio';

export const metadata: Metadata = { title: 'Studio', robots: { index: false, follow: false } };

/** `/studio`: the artist's tracks in every state; edit in place, bulk visibility, delete. */
export default function StudioPage() {
  return <Studio />;
}
