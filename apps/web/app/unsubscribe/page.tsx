import { unindexed } from '@/lib/metadata';
import { Unsubscribe } from '@/components/community/Unsubscribe';

export const metadata = unindexed('Unsubscribe');

/** `/unsubscribe?token=…`: the one-click link of notification emails (no sign-in: the token is signed). */
export default function UnsubscribePage() {
  return (
    <section className="feed-page container" aria-labelledby="unsubscribe-title">
      <h1 id="unsubscribe-title">Email notifications</h1>
      <Unsubscribe />
    </section>
  );
}
