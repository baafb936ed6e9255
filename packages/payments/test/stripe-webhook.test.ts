/**
 * Webhook verification and event mapping of the Stripe adapter, in process: the SDK checks the
 * signature locally, so no server is started (the contract suite covers the calls to Stripe).
 * Every refusal names its reason and message; every field of an event is mapped, fallbacks included.
 */
import { describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { StripeGateway, WebhookRejected } from '../src/index.ts';

const SECRET = 'whsec_unit';
// The SDK never calls this address: verifyWebhook does not leave the process.
const gateway = new StripeGateway({ secretKey: 'sk_test_unit', webhookSecret: SECRET, apiUrl: 'http://127.0.0.1:9' });
const now = () => Math.floor(Date.now() / 1000);
const sign = (body: string, opts: { timestamp?: number; secret?: string } = {}) =>
  Stripe.webhooks.generateTestHeaderString({
    payload: body,
    secret: opts.secret ?? SECRET,
    timestamp: opts.timestamp ?? now(),
  });
const event = (type: string, object: Record<string, unknown>) =>
  JSON.stringify({ id: 'evt_1', object: 'event', created: 1_780_000_000, type, data: { object } });
const verified = (body: string) => gateway.verifyWebhook(Buffer.from(body), sign(body));
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(WebhookRejected);
    const r = err as WebhookRejected;
    return { reason: r.reason, message: r.message };
  }
  throw new Error('accepted');
};

describe('Stripe webhook verification', () => {
  const body = event('invoice.paid', { id: 'in_1', object: 'invoice' });

  it('accepts a signed body, as a Buffer or a string, within the tolerance', () => {
    expect(gateway.verifyWebhook(body, sign(body))).toEqual({
      id: 'evt_1',
      created: 1_780_000_000,
      type: 'ignored',
      stripeType: 'invoice.paid',
    });
    expect(gateway.verifyWebhook(body, sign(body, { timestamp: now() - 240 })).id).toBe('evt_1');
  });

  it('refuses a missing, forged or tampered signature, a replay and a body that is not an event', () => {
    expect(refusal(() => gateway.verifyWebhook(body, undefined))).toEqual({
      reason: 'bad_signature',
      message: 'Missing Stripe-Signature header',
    });
    expect(refusal(() => gateway.verifyWebhook(body, ''))).toEqual({
      reason: 'bad_signature',
      message: 'Missing Stripe-Signature header',
    });
    const forged = { reason: 'bad_signature', message: 'Webhook signature does not match' };
    expect(refusal(() => gateway.verifyWebhook(body, sign(body, { secret: 'whsec_other' })))).toEqual(forged);
    expect(refusal(() => gateway.verifyWebhook(body.replace('in_1', 'in_2'), sign(body)))).toEqual(forged);
    expect(refusal(() => gateway.verifyWebhook(body, 'not a signature header'))).toEqual(forged);
    expect(refusal(() => gateway.verifyWebhook(body, sign(body, { timestamp: now() - 360 })))).toEqual({
      reason: 'too_old',
      message: 'Webhook timestamp outside the 5-minute tolerance',
    });
    // Signed correctly but not JSON: neither a signature nor a tolerance failure.
    const notJson = '{"id": "evt_1",';
    expect(refusal(() => gateway.verifyWebhook(notJson, sign(notJson)))).toEqual({
      reason: 'malformed',
      message: 'Webhook body is not a Stripe event',
    });
  });
});

describe('Stripe events mapped to payment events', () => {
  it('checkout.session.completed: every field, from metadata and customer details first', () => {
    expect(
      verified(
        event('checkout.session.completed', {
          id: 'cs_1',
          object: 'checkout.session',
          url: 'https://pay.example/cs_1',
          status: 'complete',
          payment_status: 'paid',
          metadata: { order_id: '7' },
          client_reference_id: '8',
          payment_intent: 'pi_1',
          customer_details: { email: 'details@example.com' },
          customer_email: 'given@example.com',
          amount_total: 900,
          currency: 'eur',
        }),
      ),
    ).toEqual({
      id: 'evt_1',
      created: 1_780_000_000,
      type: 'checkout.session.completed',
      session: {
        id: 'cs_1',
        url: 'https://pay.example/cs_1',
        status: 'complete',
        paymentStatus: 'paid',
        orderId: '7',
        paymentIntentId: 'pi_1',
        customerEmail: 'details@example.com',
        amountTotal: 900,
        currency: 'eur',
      },
    });
  });

  it('checkout.session.completed: the fallbacks (reference id, given email, expanded intent, nulls)', () => {
    const fallback = verified(
      event('checkout.session.completed', {
        id: 'cs_2',
        object: 'checkout.session',
        payment_status: 'unpaid',
        client_reference_id: '8',
        payment_intent: { id: 'pi_2', object: 'payment_intent' },
        customer_email: 'given@example.com',
      }),
    );
    expect(fallback).toMatchObject({
      session: {
        url: null,
        status: 'open',
        paymentStatus: 'unpaid',
        orderId: '8',
        paymentIntentId: 'pi_2',
        customerEmail: 'given@example.com',
        amountTotal: null,
        currency: null,
      },
    });
    const bare = verified(
      event('checkout.session.completed', { id: 'cs_3', object: 'checkout.session', metadata: {} }),
    );
    expect(bare).toMatchObject({ session: { orderId: null, paymentIntentId: null, customerEmail: null } });
  });

  it('charge.refunded: the intent as an id, expanded or absent; full and partial amounts', () => {
    const charge = (object: Record<string, unknown>) =>
      verified(event('charge.refunded', { id: 'ch_1', object: 'charge', ...object }));
    expect(charge({ payment_intent: 'pi_1', amount_refunded: 900, refunded: true })).toEqual({
      id: 'evt_1',
      created: 1_780_000_000,
      type: 'charge.refunded',
      charge: { paymentIntentId: 'pi_1', amountRefunded: 900, refunded: true },
    });
    expect(charge({ payment_intent: { id: 'pi_2' }, amount_refunded: 300, refunded: false })).toMatchObject({
      charge: { paymentIntentId: 'pi_2', amountRefunded: 300, refunded: false },
    });
    expect(charge({ payment_intent: null, amount_refunded: 0, refunded: false })).toMatchObject({
      charge: { paymentIntentId: null },
    });
  });

  it('account.updated: each flag on its own; missing flags are false', () => {
    const account = (object: Record<string, unknown>) =>
      verified(event('account.updated', { id: 'acct_1', object: 'account', ...object }));
    expect(account({ charges_enabled: true, payouts_enabled: false, details_submitted: true })).toEqual({
      id: 'evt_1',
      created: 1_780_000_000,
      type: 'account.updated',
      account: { id: 'acct_1', chargesEnabled: true, payoutsEnabled: false, detailsSubmitted: true },
    });
    expect(account({ payouts_enabled: true })).toMatchObject({
      account: { chargesEnabled: false, payoutsEnabled: true, detailsSubmitted: false },
    });
  });
});
