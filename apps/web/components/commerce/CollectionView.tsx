'use client';

/** `/collection`: everything bought or downloaded for free, download buttons per format, and the purchase history. */
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { apiFetch, ApiError, describeApiError } from '@/lib/api';
import { commerceApi, formatMoney, type ItemType } from '@/lib/commerce';
import { routes } from '@/lib/routes';
import { DownloadButtons } from './DownloadButtons';
import './commerce.css';

interface Collection {
  items: Array<{
    type: ItemType;
    id: string;
    title: string;
    artist: string;
    formats: string[];
    source: 'purchase' | 'free';
    acquiredAt: string;
  }>;
  orders: Array<{
    id: string;
    item: { type: ItemType; id: string | null; title: string };
    amountMinor: number;
    currency: string;
    status: string;
    createdAt: string;
    paidAt: string | null;
  }>;
}

export function CollectionView() {
  const [state, setState] = useState<
    | { status: 'loading' }
    | { status: 'signed-out' }
    | { status: 'error'; message: string }
    | { status: 'ready'; data: Collection }
  >({ status: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    apiFetch<Collection>(commerceApi.collection, { signal: controller.signal }).then(
      (data) => setState({ status: 'ready', data }),
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setState(
          err instanceof ApiError && err.status === 401
            ? { status: 'signed-out' }
            : { status: 'error', message: describeApiError(err) },
        );
      },
    );
    return () => controller.abort();
  }, []);

  if (state.status === 'loading') return <p role="status">Loading your collection…</p>;
  if (state.status === 'error')
    return (
      <p className="form__error" role="alert">
        {state.message}
      </p>
    );
  if (state.status === 'signed-out') {
    return (
      <div className="feed-message">
        <h2 className="feed-message__title">Sign in to see your collection</h2>
        <Link
          className="button button--accent"
          href={`${routes.login}?next=${encodeURIComponent(routes.collection)}`}
          prefetch={false}
        >
          Sign in
        </Link>
      </div>
    );
  }
  const { items, orders } = state.data;
  return (
    <div className="collection" data-testid="collection">
      {items.length === 0 ? (
        <p className="feed-message">Nothing here yet. Music you buy or download for free will appear here.</p>
      ) : (
        <ul className="collection__items">
          {items.map((i) => (
            <li key={`${i.type}-${i.id}`} className="collection__item" data-testid="collection-item">
              <h2 className="collection__title">
                {i.title} <span className="collection__artist">by {i.artist}</span>
              </h2>
              <p className="collection__meta">
                {i.source === 'free' ? 'Free download' : 'Purchased'} · {i.type === 'release' ? 'Release' : 'Track'}
              </p>
              <DownloadButtons type={i.type} id={i.id} formats={i.formats} title={i.title} />
            </li>
          ))}
        </ul>
      )}
      <section aria-labelledby="history-title" className="collection__history">
        <h2 id="history-title">Purchase history</h2>
        {orders.length === 0 ? (
          <p>No purchases yet.</p>
        ) : (
          <table className="collection__table">
            <caption className="visually-hidden">Your orders, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Item</th>
                <th scope="col">Amount</th>
                <th scope="col">Status</th>
                <th scope="col">Receipt</th>
              </tr>
            </thead>
            <tbody>
              {orders.map((o) => (
                <tr key={o.id}>
                  <td>
                    <time dateTime={o.paidAt ?? o.createdAt}>{(o.paidAt ?? o.createdAt).slice(0, 10)}</time>
                  </td>
                  <td>{o.item.title}</td>
                  <td>{formatMoney(o.amountMinor, o.currency)}</td>
                  <td>{o.status === 'paid' ? 'Paid' : o.status === 'refunded' ? 'Refunded' : 'Pending'}</td>
                  <td>Order {o.id}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
