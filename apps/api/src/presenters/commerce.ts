import type { CheckoutSessionView, Collection, DownloadAnswer, OrderView } from '@earshot/core';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentOrder(o: OrderView) {
  return { ...o, createdAt: o.createdAt.toISOString(), paidAt: iso(o.paidAt), refundedAt: iso(o.refundedAt) };
}

export function presentCollection(c: Collection) {
  return {
    items: c.items.map((i) => ({ ...i, acquiredAt: i.acquiredAt.toISOString() })),
    orders: c.orders.map(presentOrder),
  };
}

export function presentCheckoutSession(v: CheckoutSessionView) {
  return { status: v.status, order: presentOrder(v.order), formats: v.formats };
}

export function presentDownload(a: Extract<DownloadAnswer, { status: 'ready' }>) {
  return { url: a.url, expiresAt: a.expiresAt.toISOString() };
}
