'use client';

/**
 * The page Stripe Checkout returns to (`/thanks?session=cs_…`). It asks the API every 2 seconds
 * until Stripe's webhook has marked the order paid (no page reload), then shows the downloads. A
 * free download (`/thanks?item=track-12`) shows its downloads at once.
 */
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { describeApiError } from '@/lib/api';
import { api, ok, type ApiResponse } from '@/lib/api/client';
import { formatMoney, type ItemType } from '@/lib/commerce';
import { routes } from '@/lib/routes';
import { loadPurchaseOptions } from './BuyBox';
import { DownloadButtons } from './DownloadButtons';
import './commerce.css';

const POLL_MS = 2_000;
const GIVE_UP_MS = 5 * 60_000;

type SessionView = ApiResponse<'/api/v1/checkout/sessions/{sessionId}'>;
type PurchaseOptions = Awaited<ReturnType<typeof loadPurchaseOptions>>;

export function ThanksView({ session, item }: { session?: string; item?: string }) {
  const [view, setView] = useState<SessionView | null>(null);
  const [free, setFree] = useState<{ type: ItemType; id: string; options: PurchaseOptions } | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const started = Date.now();
    if (session) {
      const poll = async () => {
        try {
          const v = await ok(
            api.GET('/api/v1/checkout/sessions/{sessionId}', {
              params: { path: { sessionId: session } },
              signal: controller.signal,
            }),
          );
          setView(v);
          if (v.status === 'pending' && Date.now() - started < GIVE_UP_MS) timer = setTimeout(poll, POLL_MS);
        } catch (err) {
          if (!controller.signal.aborted) setError(describeApiError(err));
        }
      };
      void poll();
    } else if (item) {
      const m = /^(track|release)-(\d{1,18})$/.exec(item);
      if (!m) setError('This link is not complete.');
      else
        loadPurchaseOptions(m[1] as ItemType, m[2]!, controller.signal).then(
          (options) => setFree({ type: m[1] as ItemType, id: m[2]!, options }),
          (err: unknown) => !controller.signal.aborted && setError(describeApiError(err)),
        );
    }
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [session, item]);

  if (error)
    return (
      <p className="form__error" role="alert">
        {error}
      </p>
    );
  if (free) {
    return <DownloadButtons type={free.type} id={free.id} formats={free.options.formats} title="it" />;
  }
  if (!view) return <p role="status">Loading your order…</p>;
  if (view.status === 'pending') {
    return (
      <p className="thanks__pending" role="status" data-testid="thanks-pending">
        Waiting for the payment confirmation from Stripe… This usually takes a few seconds.
      </p>
    );
  }
  if (view.status === 'refunded') return <p role="status">This order was refunded.</p>;
  const it = view.order.item;
  return (
    <div className="thanks" data-testid="thanks-paid">
      <p role="status">
        Thank you! You paid {formatMoney(view.order.amountMinor, view.order.currency)} for <strong>{it.title}</strong>.
        A receipt is on its way.
      </p>
      {it.id && <DownloadButtons type={it.type} id={it.id} formats={view.formats} session={session} title={it.title} />}
      <p>
        <Link href={routes.collection} prefetch={false}>
          Your collection
        </Link>{' '}
        keeps it (sign in with the email you paid with).
      </p>
    </div>
  );
}
