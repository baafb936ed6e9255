/**
 * The payment webhook's decisions in process (docs/payments.md, "Webhooks"): a refused delivery
 * is a 400 naming why, and nothing is stored; which completed session pays an order; what a full,
 * partial, repeated or out-of-order refund does to an order. Amounts worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import { FakePaymentsGateway, WebhookRejected, type CheckoutSession } from '@earshot/payments';
import { receivePaymentWebhook, type WebhookDeps } from '../../src/commerce/webhook.ts';
import { orderPaidBy, refundApplies, refundOf, webhookRefusal } from '../../src/commerce/webhook-rules.ts';
import { AppError } from '../../src/errors.ts';

const untouched = new Proxy(
  {},
  {
    get() {
      throw new Error('a refused delivery touches nothing');
    },
  },
);

describe('a refused delivery', () => {
  it('is a 400 naming the reason, with the adapter’s message; other errors pass as they are', () => {
    const cases = [
      ['bad_signature', 'webhook_signature_invalid'],
      ['too_old', 'webhook_too_old'],
      ['malformed', 'webhook_malformed'],
    ] as const;
    for (const [reason, code] of cases) {
      const e = webhookRefusal(new WebhookRejected(reason, `because ${reason}`)) as AppError;
      expect(e).toBeInstanceOf(AppError);
      expect([e.status, e.code, e.message]).toEqual([400, code, `because ${reason}`]);
    }
    const other = new Error('database down');
    expect(webhookRefusal(other)).toBe(other);
  });

  it('receivePaymentWebhook stores and queues nothing for a forged or unsigned body; no payments: refused', async () => {
    const deps = {
      db: untouched as Kysely<Database>,
      jobs: untouched,
      log: untouched,
      payments: new FakePaymentsGateway('whsec_fake'),
    } as unknown as WebhookDeps;
    const body = Buffer.from(JSON.stringify({ id: 'evt_1', type: 'charge.refunded' }));
    await expect(receivePaymentWebhook(deps, body, undefined)).rejects.toMatchObject({
      status: 400,
      code: 'webhook_signature_invalid',
    });
    await expect(receivePaymentWebhook(deps, body, 't=1,v1=00')).rejects.toMatchObject({ status: 400 });
    await expect(receivePaymentWebhook({ ...deps, payments: null }, body, 'x')).rejects.toMatchObject({
      code: 'payments_disabled',
    });
  });
});

describe('orderPaidBy', () => {
  const session = (s: Partial<CheckoutSession>): CheckoutSession => ({
    id: 'cs_1',
    url: null,
    status: 'complete',
    paymentStatus: 'paid',
    orderId: '42',
    paymentIntentId: 'pi_1',
    customerEmail: null,
    amountTotal: 500,
    currency: 'usd',
    ...s,
  });
  it('a paid session naming an order id pays it', () => {
    expect(orderPaidBy(session({}))).toBe('42');
    expect(orderPaidBy(session({ orderId: '9'.repeat(19) }))).toBe('9'.repeat(19));
    expect(orderPaidBy(session({ orderId: '1' }))).toBe('1');
  });
  it('unpaid, no order, or an id that is not an order id: nothing is paid', () => {
    expect(orderPaidBy(session({ paymentStatus: 'unpaid' }))).toBeNull();
    expect(orderPaidBy(session({ paymentStatus: 'no_payment_required' }))).toBeNull();
    for (const orderId of [null, '', '0', '042', '1'.repeat(20), '4x', 'x4', '4 ', ' 4', '-4'])
      expect(orderPaidBy(session({ orderId }))).toBeNull();
  });
});

describe('refunds', () => {
  const charge = (amountRefunded: number, refunded = false, paymentIntentId: string | null = 'pi_1') => ({
    paymentIntentId,
    amountRefunded,
    refunded,
  });
  it('apply only with a payment and a positive whole amount', () => {
    expect(refundApplies(charge(1))).toBe(true);
    expect(refundApplies(charge(900, true))).toBe(true);
    expect(refundApplies(charge(0))).toBe(false);
    expect(refundApplies(charge(-5))).toBe(false);
    expect(refundApplies(charge(1.5))).toBe(false);
    expect(refundApplies(charge(Number.NaN))).toBe(false);
    expect(refundApplies(charge(2 ** 53))).toBe(false);
    expect(refundApplies(charge(900, true, null))).toBe(false);
    expect(refundApplies(charge(900, true, ''))).toBe(false);
  });
  it('a partial refund records the running total and keeps the order; the whole amount ends it', () => {
    const order = { amount_minor: 900, refunded_minor: 0 };
    expect(refundOf(order, charge(300))).toEqual({ full: false, refundedMinor: 300 });
    expect(refundOf(order, charge(899))).toEqual({ full: false, refundedMinor: 899 });
    expect(refundOf(order, charge(900))).toEqual({ full: true, refundedMinor: 900 });
    // Stripe says refunded (the whole charge) even if the amount says less: full.
    expect(refundOf(order, charge(300, true))).toEqual({ full: true, refundedMinor: 900 });
  });
  it('an earlier total arriving late never lowers what is recorded; nothing counts past the amount', () => {
    expect(refundOf({ amount_minor: 900, refunded_minor: 600 }, charge(300))).toEqual({
      full: false,
      refundedMinor: 600,
    });
    expect(refundOf({ amount_minor: 900, refunded_minor: 600 }, charge(700))).toEqual({
      full: false,
      refundedMinor: 700,
    });
    // A charge covering several orders (a total above this order's amount) refunds this one whole.
    expect(refundOf({ amount_minor: 500, refunded_minor: 0 }, charge(1200))).toEqual({
      full: true,
      refundedMinor: 500,
    });
  });
});
