import { describe, expect, it, beforeAll } from 'vitest';
import Stripe from 'stripe';
import {
  PaymentProviderError,
  WebhookRejected,
  type CheckoutSessionInput,
  type PaymentsGateway,
} from '../src/index.ts';
import { closeAfterAll } from '../../../test/support/lifecycle.ts';

/** What each adapter's test provides to the one contract suite. */
export interface PaymentsHarness {
  gateway: PaymentsGateway;
  /** A gateway of the same kind whose secret key the provider refuses. */
  badKeyGateway: PaymentsGateway;
  webhookSecret: string;
  /** The buyer pays the session (on Stripe's page). */
  pay(sessionId: string): Promise<void>;
  close(): Promise<void>;
}

const event = (type: string, object: Record<string, unknown>, id = `evt_${Math.random().toString(36).slice(2)}`) => ({
  id,
  object: 'event',
  created: Math.floor(Date.now() / 1000),
  type,
  data: { object },
});

/** One suite, every payments adapter passes it (docs/architecture.md, "Ports and adapters"). */
export function paymentsContract(name: string, setup: () => Promise<PaymentsHarness>): void {
  describe(`payments contract: ${name}`, () => {
    let h: PaymentsHarness;
    beforeAll(async () => {
      h = await setup();
    });
    closeAfterAll(() => [h]);

    const sign = (body: string, opts: { timestamp?: number; secret?: string } = {}) =>
      Stripe.webhooks.generateTestHeaderString({
        payload: body,
        secret: opts.secret ?? h.webhookSecret,
        timestamp: opts.timestamp ?? Math.floor(Date.now() / 1000),
      });

    /** A checkout for one item, returning to loopback pages; `more` adds or overrides fields. */
    const checkout = (orderId: string, item: CheckoutSessionInput['item'], more: Partial<CheckoutSessionInput> = {}) =>
      h.gateway.createCheckoutSession({ orderId, item, successUrl: 'http://l/s', cancelUrl: 'http://l/c', ...more });

    it('creates a checkout session and retrieves it, open then paid', async () => {
      const s = await h.gateway.createCheckoutSession({
        orderId: '42',
        item: { name: 'A track', amountMinor: 700, currency: 'EUR' },
        customerEmail: 'guest@example.com',
        successUrl: 'http://localhost/thanks?session={CHECKOUT_SESSION_ID}',
        cancelUrl: 'http://localhost/cancel',
      });
      expect(s.id).toMatch(/^cs_/);
      expect(typeof s.url).toBe('string');
      expect(s).toMatchObject({
        status: 'open',
        paymentStatus: 'unpaid',
        orderId: '42',
        amountTotal: 700,
        currency: 'eur',
        customerEmail: 'guest@example.com',
        paymentIntentId: null,
      });
      await h.pay(s.id);
      const paid = await h.gateway.retrieveCheckoutSession(s.id);
      expect(paid).toMatchObject({ id: s.id, status: 'complete', paymentStatus: 'paid', orderId: '42' });
      expect(paid.paymentIntentId).toMatch(/^pi_/);
    });

    it('refuses an unknown session and a zero amount with provider errors', async () => {
      await expect(h.gateway.retrieveCheckoutSession('cs_nope')).rejects.toMatchObject({
        name: 'PaymentProviderError',
        status: 404,
      });
      await expect(checkout('1', { name: 'x', amountMinor: 0, currency: 'usd' })).rejects.toBeInstanceOf(
        PaymentProviderError,
      );
    });

    it('creates an Express account, an onboarding link, and a destination-charge session', async () => {
      const a = await h.gateway.createConnectedAccount({ email: 'artist@example.com' });
      expect(a).toMatchObject({ chargesEnabled: false, payoutsEnabled: false, detailsSubmitted: false });
      expect(a.id).toMatch(/^acct_/);
      expect(await h.gateway.retrieveConnectedAccount(a.id)).toEqual(a);
      const link = await h.gateway.createAccountLink({
        accountId: a.id,
        refreshUrl: 'http://l/r',
        returnUrl: 'http://l/ret',
      });
      expect(link.url).toMatch(/^https?:\/\//);
      expect(link.expiresAt.getTime()).toBeGreaterThan(Date.now());
      const s = await checkout(
        '43',
        { name: 'Release', amountMinor: 1000, currency: 'usd' },
        { destination: { accountId: a.id, applicationFeeMinor: 100 } },
      );
      expect(s.status).toBe('open');
      await expect(h.gateway.retrieveConnectedAccount('acct_nope')).rejects.toMatchObject({ status: 404 });
    });

    it('refunds a paid session once', async () => {
      const s = await checkout('44', { name: 'x', amountMinor: 500, currency: 'jpy' });
      await h.pay(s.id);
      const pi = (await h.gateway.retrieveCheckoutSession(s.id)).paymentIntentId!;
      const r = await h.gateway.refund({ paymentIntentId: pi });
      expect(r).toMatchObject({ paymentIntentId: pi, status: 'succeeded' });
      await expect(h.gateway.refund({ paymentIntentId: pi })).rejects.toBeInstanceOf(PaymentProviderError);
    });

    it('verifies webhooks: good, forged, missing, tampered, replayed after 6 minutes, unknown type', () => {
      const body = JSON.stringify(
        event(
          'checkout.session.completed',
          {
            id: 'cs_1',
            object: 'checkout.session',
            status: 'complete',
            payment_status: 'paid',
            metadata: { order_id: '7' },
            payment_intent: 'pi_1',
            amount_total: 900,
            currency: 'usd',
            customer_details: { email: 'b@example.com' },
          },
          'evt_ok',
        ),
      );
      const e = h.gateway.verifyWebhook(Buffer.from(body), sign(body));
      expect(e).toMatchObject({
        id: 'evt_ok',
        type: 'checkout.session.completed',
        session: {
          id: 'cs_1',
          orderId: '7',
          paymentIntentId: 'pi_1',
          customerEmail: 'b@example.com',
          amountTotal: 900,
        },
      });

      const rejected = (fn: () => unknown) => {
        try {
          fn();
        } catch (err) {
          expect(err).toBeInstanceOf(WebhookRejected);
          return (err as WebhookRejected).reason;
        }
        throw new Error('accepted');
      };
      expect(rejected(() => h.gateway.verifyWebhook(body, sign(body, { secret: 'whsec_forged' })))).toBe(
        'bad_signature',
      );
      expect(rejected(() => h.gateway.verifyWebhook(body, undefined))).toBe('bad_signature');
      expect(rejected(() => h.gateway.verifyWebhook(body.replace('900', '1'), sign(body)))).toBe('bad_signature');
      expect(
        rejected(() => h.gateway.verifyWebhook(body, sign(body, { timestamp: Math.floor(Date.now() / 1000) - 360 }))),
      ).toBe('too_old');

      const refund = JSON.stringify(
        event('charge.refunded', {
          id: 'ch_1',
          object: 'charge',
          payment_intent: 'pi_1',
          amount_refunded: 900,
          refunded: true,
        }),
      );
      expect(h.gateway.verifyWebhook(refund, sign(refund))).toMatchObject({
        type: 'charge.refunded',
        charge: { paymentIntentId: 'pi_1', refunded: true, amountRefunded: 900 },
      });
      const acct = JSON.stringify(
        event('account.updated', {
          id: 'acct_1',
          object: 'account',
          charges_enabled: true,
          payouts_enabled: true,
          details_submitted: true,
        }),
      );
      expect(h.gateway.verifyWebhook(acct, sign(acct))).toMatchObject({
        type: 'account.updated',
        account: { id: 'acct_1', chargesEnabled: true, payoutsEnabled: true },
      });
      const other = JSON.stringify(event('invoice.paid', { id: 'in_1', object: 'invoice' }));
      expect(h.gateway.verifyWebhook(other, sign(other))).toMatchObject({
        type: 'ignored',
        stripeType: 'invoice.paid',
      });
    });

    it('checks credentials: good keys pass, bad keys fail', async () => {
      await expect(h.gateway.checkCredentials()).resolves.toBeUndefined();
      await expect(h.badKeyGateway.checkCredentials()).rejects.toMatchObject({ status: 401 });
    });
  });
}
