import type { Metadata } from 'next';
import { NotFoundPage } from '@/components/NotFoundPage';

export const metadata: Metadata = { title: 'Page not found' };

export default function NotFound() {
  return (
    <NotFoundPage
      titleId="not-found-title"
      title="This page is out of earshot"
      text="The link may be broken, or the track may have been removed."
    />
  );
}
