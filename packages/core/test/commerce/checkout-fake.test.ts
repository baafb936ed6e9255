import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { createDatabase, migrateToLatest, type Database, type DatabaseHandle } from '@earshot/db';
import { FakePaymentsGateway, PaymentProviderError } from '@earshot/payments';
import { startCheckout, type CheckoutDeps } from '../../src/commerce/index.ts';
import { applyPaymentEvent } from '../../src/commerce/webhook.ts';
import { addTrack, addTrackVersion } from '../../../../test/support/rows.ts';

/** The checkout and webhook rules on PGlite with the in-memory payments fake (the same contract as Stripe's adapter). */
let handle: DatabaseHandle;
let db: Kysely<Database>;
let ownerId: string;
let trackId: string;
const log = { info: () => {}, warn: () => {}, error: () => {} };

beforeAll(async () => {
  handle = await createDatabase({ pgliteDir: 'memory://' });
  db = handle.db;
  await migrateToLatest(db);
  ownerId = (
    await db
      .insertInto('users')
      .values({ email: 'o@example.com', handle: 'owner', display_name: 'Owner', password_hash: 'x', role: 'artist' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  const t = await addTrack(db, ownerId, 'song', { title: 'Song', price_amount_minor: 500, price_currency: 'USD' });
  const v = await addTrackVersion(db, t.id, { original_key: 'k' });
  await db.updateTable('tracks').set({ current_version_id: v.id }).where('id', '=', t.id).execute();
  trackId = t.id;
});
afterAll(async () => {
  await handle?.close();
});

const deps = (payments: FakePaymentsGateway, withoutConnect: 'platform' | 'refuse' = 'platform'): CheckoutDeps => ({
  db,
  clock: () => new Date(),
  publicUrl: 'http://shop.test',
  log,
  payments,
  commerce: { platformFeePercent: 10, withoutConnect, secureLinkSecret: 's', downloadUrlTtlSeconds: 60 },
});
const buy = { item: { type: 'track' as const, id: '' }, amountMinor: 500, currency: 'USD' };

/**
 * A guest checkout of the track by `email` with the payments fake, its session paid, and the
 * provider's event about it stored as `eventId`, as the webhook route stores one before applying it.
 */
async function paidCheckout(email: string, eventId: string) {
  const fake = new FakePaymentsGateway('whsec');
  const result = await startCheckout(deps(fake), null, { ...buy, item: { type: 'track', id: trackId }, email });
  const session = [...fake.sessions.values()][0]!;
  const paid = fake.pay(session.id);
  await db
    .insertInto('stripe_events')
    .values({
      id: eventId,
      type: 'checkout.session.completed',
      payload: JSON.stringify({ id: eventId, created: 0, type: 'checkout.session.completed', session: paid }),
    })
    .execute();
  return { result, session, paid };
}

/** What applyPaymentEvent needs, with a mailer whose sending is `send`. */
const applyDepsSending = (send: (m: { to: string }) => Promise<void>) => ({
  db,
  clock: () => new Date(),
  log,
  mailer: { kind: 'file' as const, send, close: async () => {} },
  publicUrl: 'http://shop.test',
});

describe('startCheckout with the payments fake', () => {
  it('refuses an artist without Connect when the operator says so', async () => {
    await expect(
      startCheckout(deps(new FakePaymentsGateway('whsec'), 'refuse'), null, {
        ...buy,
        item: { type: 'track', id: trackId },
      }),
    ).rejects.toMatchObject({ status: 409, code: 'artist_not_payable' });
  });

  it('leaves no order behind when the provider fails', async () => {
    const failing = new FakePaymentsGateway('whsec');
    failing.createCheckoutSession = async () => {
      throw new PaymentProviderError(500, 'api_error', 'down');
    };
    await expect(
      startCheckout(deps(failing), null, { ...buy, item: { type: 'track', id: trackId } }),
    ).rejects.toMatchObject({ status: 502, code: 'payment_provider_error' });
    expect(await db.selectFrom('orders').select('id').execute()).toEqual([]);
  });

  it('charges the platform account without Connect, and a paid session applied twice pays the order once', async () => {
    const { result, session, paid } = await paidCheckout('g@example.com', 'evt_a');
    expect(session.input.destination).toBeUndefined();
    const sent: string[] = [];
    const applyDeps = applyDepsSending(async (m) => void sent.push(m.to));
    expect(await applyPaymentEvent(applyDeps, 'evt_a')).toBe('applied');
    expect(await applyPaymentEvent(applyDeps, 'evt_a')).toBe('already_applied');
    expect(await applyPaymentEvent(applyDeps, 'evt_missing')).toBe('unknown_event');
    const order = await db.selectFrom('orders').selectAll().where('id', '=', result.orderId).executeTakeFirstOrThrow();
    expect(order).toMatchObject({ status: 'paid', stripe_payment_intent_id: paid.paymentIntentId });
    expect(sent).toEqual(['g@example.com', 'o@example.com']);
  });

  it('a mail that fails is sent again on the retry, the order is not paid twice', async () => {
    const { result } = await paidCheckout('h@example.com', 'evt_b');
    let fail = true;
    const sent: string[] = [];
    const applyDeps = applyDepsSending(async (m) => {
      if (fail) throw new Error('smtp down');
      sent.push(m.to);
    });
    await expect(applyPaymentEvent(applyDeps, 'evt_b')).rejects.toThrow('smtp down');
    fail = false;
    expect(await applyPaymentEvent(applyDeps, 'evt_b')).toBe('already_applied');
    expect(sent).toEqual(['h@example.com', 'o@example.com']);
    const order = await db
      .selectFrom('orders')
      .select(['status', 'receipt_sent_at'])
      .where('id', '=', result.orderId)
      .executeTakeFirstOrThrow();
    expect(order.status).toBe('paid');
    expect(order.receipt_sent_at).not.toBeNull();
  });
});
