import Stripe from 'stripe';
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

export interface StripeSettings {
  secretKey: string;
  webhookSecret: string;
  /** Where the SDK sends its calls (STRIPE_API_URL); unset = Stripe's own API. */
  apiUrl?: string;
  timeoutMs?: number;
}

/** Host/port/protocol options of the SDK from a base URL such as `http://127.0.0.1:12111`. */
export function sdkHostOptions(apiUrl: string | undefined): {
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
} {
  if (!apiUrl) return {};
  const u = new URL(apiUrl);
  const protocol = u.protocol === 'http:' ? 'http' : 'https';
  return { host: u.hostname, port: u.port ? Number(u.port) : protocol === 'http' ? 80 : 443, protocol };
}

function toSession(s: Stripe.Checkout.Session): CheckoutSession {
  const pi = s.payment_intent;
  return {
    id: s.id,
    url: s.url ?? null,
    status: (s.status ?? 'open') as CheckoutSession['status'],
    paymentStatus: s.payment_status as CheckoutSession['paymentStatus'],
    orderId: s.metadata?.order_id ?? s.client_reference_id ?? null,
    paymentIntentId: typeof pi === 'string' ? pi : (pi?.id ?? null),
    customerEmail: s.customer_details?.email ?? s.customer_email ?? null,
    amountTotal: s.amount_total ?? null,
    currency: s.currency ?? null,
  };
}

function toAccount(a: Stripe.Account): ConnectedAccount {
  return {
    id: a.id,
    chargesEnabled: Boolean(a.charges_enabled),
    payoutsEnabled: Boolean(a.payouts_enabled),
    detailsSubmitted: Boolean(a.details_submitted),
  };
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof Stripe.errors.StripeError) {
      throw new PaymentProviderError(err.statusCode ?? 502, err.code ?? err.type, err.message);
    }
    throw err;
  }
}

/** The real `stripe` SDK behind the payments port. */
export class StripeGateway implements PaymentsGateway {
  readonly kind = 'stripe' as const;
  private readonly stripe: Stripe;

  constructor(private readonly settings: StripeSettings) {
    this.stripe = new Stripe(settings.secretKey, {
      ...sdkHostOptions(settings.apiUrl),
      timeout: settings.timeoutMs ?? 20_000,
      maxNetworkRetries: 1,
      appInfo: { name: 'Earshot' },
    });
  }

  async createCheckoutSession(input: CheckoutSessionInput): Promise<CheckoutSession> {
    const params: Stripe.Checkout.SessionCreateParams = {
      mode: 'payment',
      client_reference_id: input.orderId,
      metadata: { order_id: input.orderId },
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: input.item.currency.toLowerCase(),
            unit_amount: input.item.amountMinor,
            product_data: { name: input.item.name.slice(0, 250) },
          },
        },
      ],
      success_url: input.successUrl,
      cancel_url: input.cancelUrl,
      payment_intent_data: {
        metadata: { order_id: input.orderId },
        ...(input.destination
          ? {
              application_fee_amount: input.destination.applicationFeeMinor,
              transfer_data: { destination: input.destination.accountId },
            }
          : {}),
      },
      ...(input.customerEmail ? { customer_email: input.customerEmail } : {}),
    };
    // The order id makes a retried create return the same session instead of a second one.
    return toSession(
      await call(() => this.stripe.checkout.sessions.create(params, { idempotencyKey: `checkout-${input.orderId}` })),
    );
  }

  async retrieveCheckoutSession(id: string): Promise<CheckoutSession> {
    return toSession(await call(() => this.stripe.checkout.sessions.retrieve(id)));
  }

  async createConnectedAccount(input: { email?: string; country?: string }): Promise<ConnectedAccount> {
    return toAccount(
      await call(() =>
        this.stripe.accounts.create({
          type: 'express',
          ...(input.email ? { email: input.email } : {}),
          ...(input.country ? { country: input.country } : {}),
          capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
        }),
      ),
    );
  }

  async retrieveConnectedAccount(id: string): Promise<ConnectedAccount> {
    return toAccount(await call(() => this.stripe.accounts.retrieve(id)));
  }

  async createAccountLink(input: { accountId: string; refreshUrl: string; returnUrl: string }): Promise<AccountLink> {
    const link = await call(() =>
      this.stripe.accountLinks.create({
        account: input.accountId,
        refresh_url: input.refreshUrl,
        return_url: input.returnUrl,
        type: 'account_onboarding',
      }),
    );
    return { url: link.url, expiresAt: new Date(link.expires_at * 1000) };
  }

  async refund(input: { paymentIntentId: string }): Promise<Refund> {
    const r = await call(() => this.stripe.refunds.create({ payment_intent: input.paymentIntentId }));
    const pi = r.payment_intent;
    return {
      id: r.id,
      paymentIntentId: typeof pi === 'string' ? pi : (pi?.id ?? input.paymentIntentId),
      status: r.status ?? 'pending',
    };
  }

  verifyWebhook(rawBody: Buffer | string, signatureHeader: string | undefined): PaymentEvent {
    if (!signatureHeader) throw new WebhookRejected('bad_signature', 'Missing Stripe-Signature header');
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(
        rawBody,
        signatureHeader,
        this.settings.webhookSecret,
        WEBHOOK_TOLERANCE_SECONDS,
      );
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (/tolerance/i.test(message))
        throw new WebhookRejected('too_old', 'Webhook timestamp outside the 5-minute tolerance');
      if (err instanceof Stripe.errors.StripeSignatureVerificationError)
        throw new WebhookRejected('bad_signature', 'Webhook signature does not match');
      throw new WebhookRejected('malformed', 'Webhook body is not a Stripe event');
    }
    return toEvent(event);
  }

  async checkCredentials(): Promise<void> {
    await call(() => this.stripe.balance.retrieve());
  }
}

export function toEvent(event: Stripe.Event): PaymentEvent {
  const base = { id: event.id, created: event.created };
  switch (event.type) {
    case 'checkout.session.completed':
      return { ...base, type: event.type, session: toSession(event.data.object) };
    case 'charge.refunded': {
      const c = event.data.object;
      const pi = c.payment_intent;
      return {
        ...base,
        type: event.type,
        charge: {
          paymentIntentId: typeof pi === 'string' ? pi : (pi?.id ?? null),
          amountRefunded: c.amount_refunded,
          refunded: c.refunded,
        },
      };
    }
    case 'account.updated':
      return { ...base, type: event.type, account: toAccount(event.data.object) };
    default:
      return { ...base, type: 'ignored', stripeType: event.type };
  }
}
