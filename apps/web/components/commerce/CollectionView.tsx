'use client';

/** `/collection`: everything bought or downloaded for free, download buttons per format, and the purchase history. */
import { ApiError } from '@/lib/api';
import { api, ok, type ApiResponse } from '@/lib/api/client';
import { useResource } from '@/lib/hooks/use-resource';
import { formatMoney } from '@/lib/commerce';
import { routes } from '@/lib/routes';
import { DataTable } from '../table/DataTable';
import { DownloadButtons } from './DownloadButtons';
import { Notice } from '@/components/Notice';
import './commerce.css';
import { SignInPrompt } from '@/components/account/SignInPrompt';

type Collection = ApiResponse<'/api/v1/me/collection'>;
type Order = Collection['orders'][number];

const statusText = (o: Order) =>
  o.status === 'refunded'
    ? 'Refunded'
    : o.status === 'pending'
      ? 'Pending'
      : o.refundedMinor > 0
        ? `Paid, ${formatMoney(o.refundedMinor, o.currency)} refunded`
        : 'Paid';

export function CollectionView() {
  const resource = useResource('collection', (signal) => ok(api.GET('/api/v1/me/collection', { signal })));
  const state =
    resource.status === 'error' && resource.error instanceof ApiError && resource.error.status === 401
      ? { status: 'signed-out' as const }
      : resource;

  if (state.status === 'loading') return <p role="status">Loading your collection…</p>;
  if (state.status === 'error') return <Notice className="form__error" message={state.message} />;
  if (state.status === 'signed-out') {
    return <SignInPrompt title="Sign in to see your collection" back={routes.collection} />;
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
          <DataTable
            caption="Your orders, newest first"
            rows={orders}
            rowKey={(o) => o.id}
            rowTestId="order-row"
            columns={[
              {
                label: 'Date',
                cell: (o) => <time dateTime={o.paidAt ?? o.createdAt}>{(o.paidAt ?? o.createdAt).slice(0, 10)}</time>,
              },
              { label: 'Item', cell: (o) => o.item.title },
              { label: 'Amount', cell: (o) => formatMoney(o.amountMinor, o.currency) },
              { label: 'Status', cell: statusText },
              { label: 'Receipt', cell: (o) => `Order ${o.id}`, hideOnPhone: true },
            ]}
          />
        )}
      </section>
    </div>
  );
}
