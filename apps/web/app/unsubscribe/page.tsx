import type { Metadata } from 'next';
import { Unsubscribe } from '@/components/community/Unsubscribe';

export const metadata: Metadata = { title: 'Unsubscribe', robots: { index: false } };

/** `/unsubscribe?token=…`: the one-click link of notification emails (no sign-in: the token is signed). */
export default function UnsubscribePage() {
  return (
    <section className="feed-page container" aria-labelledby="unsubscribe-title">
      <h1 id="unsubscribe-title">Email notifications</h1>
      <Unsubscribe />
    </section>
  );
}
