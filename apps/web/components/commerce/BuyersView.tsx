'use client';

/**
 * `/buyers`: the people who bought (or downloaded for free) the caller's music and chose to share
 * their email, newest first, a page at a time, with the whole list as a CSV file. A buyer who did
 * not opt in is never in it (the API leaves them out).
 */
import { useState } from 'react';
import { ApiError, describeApiError } from '@/lib/api';
import { api, ok, type ApiResponse } from '@/lib/api/client';
import { formatMoney } from '@/lib/commerce';
import { useResource } from '@/lib/hooks/use-resource';
import { routes } from '@/lib/routes';
import { DataTable } from '../table/DataTable';
import { RetryError } from '@/components/LoadFailed';
import './commerce.css';
import { SignInPrompt } from '@/components/account/SignInPrompt';

type Page = ApiResponse<'/api/v1/me/buyers'>;
type Buyer = Page['buyers'][number];

const PAGE = 50;

const loadPage = (cursor: string | null, signal?: AbortSignal) =>
  ok(api.GET('/api/v1/me/buyers', { params: { query: { limit: PAGE, ...(cursor ? { cursor } : {}) } }, signal }));

export function BuyersView() {
  const list = useResource('buyers', (signal) => loadPage(null, signal));
  const [more, setMore] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });

  if (list.status === 'loading') return <p role="status">Loading your buyers…</p>;
  if (list.status === 'error') {
    if (list.error instanceof ApiError && list.error.status === 401)
      return <SignInPrompt title="Sign in to see your buyers" back={routes.buyers} />;
    return <RetryError message={list.message} retry={list.retry} />;
  }
  const { buyers, nextCursor } = list.data;

  const loadMore = async () => {
    if (!nextCursor) return;
    setMore({ busy: true, error: null });
    try {
      const page = await loadPage(nextCursor);
      list.update((d) => ({ buyers: [...d.buyers, ...page.buyers], nextCursor: page.nextCursor }));
      setMore({ busy: false, error: null });
    } catch (err) {
      setMore({ busy: false, error: describeApiError(err) });
    }
  };

  return (
    <div className="buyers" data-testid="buyers">
      <p className="buyers__intro">
        People who bought or downloaded your music and chose to share their email with you. Someone who did not tick the
        box is never listed.
      </p>
      {buyers.length === 0 ? (
        <p className="feed-message">No one has shared their email yet.</p>
      ) : (
        <>
          <p>
            <a className="button button--ghost" href="/api/v1/me/buyers.csv" download="buyers.csv">
              Download as CSV
            </a>
          </p>
          <DataTable<Buyer>
            caption="Buyers who shared their email, newest first"
            rows={buyers}
            rowKey={(b) => b.orderId}
            rowTestId="buyer-row"
            columns={[
              { label: 'Name', cell: (b) => b.name ?? 'Guest', rowHeader: true },
              { label: 'Email', cell: (b) => <a href={`mailto:${b.email}`}>{b.email}</a> },
              { label: 'Bought', cell: (b) => b.item.title },
              {
                label: 'Paid',
                cell: (b) => (b.amountMinor === 0 ? 'Free' : formatMoney(b.amountMinor, b.currency)),
                hideOnPhone: true,
              },
              { label: 'When', cell: (b) => <time dateTime={b.at}>{b.at.slice(0, 10)}</time> },
            ]}
          />
          {nextCursor && (
            <button type="button" className="button button--ghost" onClick={() => void loadMore()} disabled={more.busy}>
              {more.busy ? 'Loading…' : 'Show more'}
            </button>
          )}
          {more.error && (
            <p className="form__error" role="alert">
              {more.error}
            </p>
          )}
        </>
      )}
    </div>
  );
}
