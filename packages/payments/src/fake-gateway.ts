import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  PaymentProviderError,
  WEBHOOK_TOLERANCE_SECONDS,
  WebhookRejected,
  type AccountLink,
  type CheckoutSession,
  type CheckoutSessionInput,
  type ConnectedAccount,
  type PaymentEvent,
  type PaymentsGateway,
  type Refund,
} from './port.ts';

const id = (prefix: string) => `${prefix}_fake${randomBytes(9).toString('hex')}`;
const notFound = (what: string, key: string) =>
  new PaymentProviderError(404, 'resource_missing', `No such ${what}: '${key}'`);

/**
 * In-memory payments gateway for unit tests. It passes the same contract suite as the Stripe
 * adapter (packages/payments/test/contract.ts), including Stripe's webhook signature scheme
 * (`t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`), so tests sign its webhooks with the SDK's
 * own test-header helper.
 */
export class FakePaymentsGateway implements PaymentsGateway {
  readonly kind = 'fake' as const;
  readonly sessions = new Map<string, CheckoutSession & { input: CheckoutSessionInput }>();
  readonly accounts = new Map<string, ConnectedAccount>();
  readonly refunds: Refund[] = [];
  credentialsValid = true;

  constructor(
    private readonly webhookSecret: string,
    private readonly now: () => number = Date.now,
  ) {}

  async createCheckoutSession(input: CheckoutSessionInput): Promise<CheckoutSession> {
    if (!Number.isInteger(input.item.amountMinor) || input.item.amountMinor < 1)
      throw new PaymentProviderError(400, 'parameter_invalid_integer', 'Invalid unit_amount');
    if (input.destination && !this.accounts.has(input.destination.accountId))
      throw notFound('account', input.destination.accountId);
    const sid = id('cs');
    const session = {
      id: sid,
      url: `https://checkout.fake.invalid/pay/${sid}`,
      status: 'open' as const,
      paymentStatus: 'unpaid' as const,
      orderId: input.orderId,
      paymentIntentId: null,
      customerEmail: input.customerEmail ?? null,
      amountTotal: input.item.amountMinor,
      currency: input.item.currency.toLowerCase(),
      input,
    };
    this.sessions.set(sid, session);
    return strip(session);
  }

  async retrieveCheckoutSession(sessionId: string): Promise<CheckoutSession> {
    const s = this.sessions.get(sessionId);
    if (!s) throw notFound('checkout.session', sessionId);
    return strip(s);
  }

  /** What the buyer's payment does: the session completes with a payment intent. */
  pay(sessionId: string, email = 'buyer@example.com'): CheckoutSession {
    const s = this.sessions.get(sessionId);
    if (!s) throw notFound('checkout.session', sessionId);
    const paid = {
      ...s,
      status: 'complete' as const,
      paymentStatus: 'paid' as const,
      url: null,
      paymentIntentId: id('pi'),
      customerEmail: s.customerEmail ?? email,
    };
    this.sessions.set(sessionId, paid);
    return strip(paid);
  }

  async createConnectedAccount(): Promise<ConnectedAccount> {
    const account = { id: id('acct'), chargesEnabled: false, payoutsEnabled: false, detailsSubmitted: false };
    this.accounts.set(account.id, account);
    return { ...account };
  }

  async retrieveConnectedAccount(accountId: string): Promise<ConnectedAccount> {
    const a = this.accounts.get(accountId);
    if (!a) throw notFound('account', accountId);
    return { ...a };
  }

  async createAccountLink(input: { accountId: string; refreshUrl: string; returnUrl: string }): Promise<AccountLink> {
    if (!this.accounts.has(input.accountId)) throw notFound('account', input.accountId);
    return { url: `https://connect.fake.invalid/setup/${input.accountId}`, expiresAt: new Date(this.now() + 300_000) };
  }

  async refund(input: { paymentIntentId: string }): Promise<Refund> {
    const paid = [...this.sessions.values()].find((s) => s.paymentIntentId === input.paymentIntentId);
    if (!paid) throw notFound('payment_intent', input.paymentIntentId);
    if (this.refunds.some((r) => r.paymentIntentId === input.paymentIntentId))
      throw new PaymentProviderError(400, 'charge_already_refunded', 'Charge has already been refunded.');
    const refund = { id: id('re'), paymentIntentId: input.paymentIntentId, status: 'succeeded' };
    this.refunds.push(refund);
    return { ...refund };
  }

  verifyWebhook(rawBody: Buffer | string, signatureHeader: string | undefined): PaymentEvent {
    if (!signatureHeader) throw new WebhookRejected('bad_signature', 'Missing Stripe-Signature header');
    const body = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
    const parts = new Map<string, string[]>();
    for (const kv of signatureHeader.split(',')) {
      const [k, v] = kv.split('=', 2);
      if (k && v) parts.set(k, [...(parts.get(k) ?? []), v]);
    }
    const t = parts.get('t')?.[0];
    const expected = createHmac('sha256', this.webhookSecret).update(`${t}.${body}`, 'utf8').digest();
    const match = (parts.get('v1') ?? []).some((hex) => {
      const given = Buffer.from(hex, 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
    if (!t || !match) throw new WebhookRejected('bad_signature', 'Webhook signature does not match');
    if (Number(t) < Math.floor(this.now() / 1000) - WEBHOOK_TOLERANCE_SECONDS)
      throw new WebhookRejected('too_old', 'Webhook timestamp outside the 5-minute tolerance');
    let event: { id?: unknown; created?: unknown; type?: unknown; data?: { object?: Record<string, unknown> } };
    try {
      event = JSON.parse(body);
    } catch {
      throw new WebhookRejected('malformed', 'Webhook body is not a Stripe event');
    }
    if (typeof event.id !== 'string' || typeof event.type !== 'string' || !event.data?.object)
      throw new WebhookRejected('malformed', 'Webhook body is not a Stripe event');
    const o = event.data.object as Record<string, any>;
    const base = { id: event.id, created: Number(event.created) || 0 };
    switch (event.type) {
      case 'checkout.session.completed':
        return {
          ...base,
          type: event.type,
          session: {
            id: o.id,
            url: o.url ?? null,
            status: o.status ?? 'complete',
            paymentStatus: o.payment_status ?? 'paid',
            orderId: o.metadata?.order_id ?? o.client_reference_id ?? null,
            paymentIntentId: typeof o.payment_intent === 'string' ? o.payment_intent : (o.payment_intent?.id ?? null),
            customerEmail: o.customer_details?.email ?? o.customer_email ?? null,
            amountTotal: o.amount_total ?? null,
            currency: o.currency ?? null,
          },
        };
      case 'charge.refunded':
        return {
          ...base,
          type: event.type,
          charge: {
            paymentIntentId: typeof o.payment_intent === 'string' ? o.payment_intent : null,
            amountRefunded: Number(o.amount_refunded) || 0,
            refunded: Boolean(o.refunded),
          },
        };
      case 'account.updated':
        return {
          ...base,
          type: event.type,
          account: {
            id: o.id,
            chargesEnabled: Boolean(o.charges_enabled),
            payoutsEnabled: Boolean(o.payouts_enabled),
            detailsSubmitted: Boolean(o.details_submitted),
          },
        };
      default:
        return { ...base, type: 'ignored', stripeType: event.type };
    }
  }

  async checkCredentials(): Promise<void> {
    if (!this.credentialsValid) throw new PaymentProviderError(401, 'api_key_invalid', 'Invalid API Key provided');
  }
}

function strip(s: CheckoutSession & { input?: unknown }): CheckoutSession {
  const { input: _input, ...rest } = s;
  return rest;
}
