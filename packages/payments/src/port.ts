/**
 * The payments port (docs/payments.md): the few Stripe calls the platform makes, in its own
 * words. Two adapters pass one contract suite (packages/payments/test/contract.ts): the Stripe
 * adapter (the real `stripe` SDK, pointed at Stripe or, in tests, at a loopback server speaking
 * Stripe's wire format) and an in-memory fake for unit tests.
 */

export interface CheckoutSessionInput {
  /** Our order id, carried in the session's metadata and client_reference_id. */
  orderId: string;
  /** One line: what is bought, at the amount the buyer chose, in minor units of `currency`. */
  item: { name: string; amountMinor: number; currency: string };
  /** Pre-fills (and for guests, sets) the email Stripe collects. */
  customerEmail?: string;
  /** `{CHECKOUT_SESSION_ID}` in it is replaced by the session id (Stripe's template). */
  successUrl: string;
  cancelUrl: string;
  /** Stripe Connect destination charge: the artist's account and the platform's fee. */
  destination?: { accountId: string; applicationFeeMinor: number };
}

export interface CheckoutSession {
  id: string;
  /** Where the buyer pays (null once the session is complete or expired). */
  url: string | null;
  status: 'open' | 'complete' | 'expired';
  paymentStatus: 'paid' | 'unpaid' | 'no_payment_required';
  orderId: string | null;
  paymentIntentId: string | null;
  customerEmail: string | null;
  amountTotal: number | null;
  currency: string | null;
}

export interface ConnectedAccount {
  id: string;
  chargesEnabled: boolean;
  payoutsEnabled: boolean;
  detailsSubmitted: boolean;
}

export interface AccountLink {
  url: string;
  expiresAt: Date;
}

export interface Refund {
  id: string;
  paymentIntentId: string;
  status: string;
}

/** A verified webhook event, reduced to what the platform reads. */
export type PaymentEvent =
  | { id: string; created: number; type: 'checkout.session.completed'; session: CheckoutSession }
  | {
      id: string;
      created: number;
      type: 'charge.refunded';
      charge: { paymentIntentId: string | null; amountRefunded: number; refunded: boolean };
    }
  | { id: string; created: number; type: 'account.updated'; account: ConnectedAccount }
  | { id: string; created: number; type: 'ignored'; stripeType: string };

/** Webhook events whose signature timestamp is older than this are refused (replays). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

export class WebhookRejected extends Error {
  constructor(
    readonly reason: 'bad_signature' | 'too_old' | 'malformed',
    message: string,
  ) {
    super(message);
    this.name = 'WebhookRejected';
  }
}

/** The provider refused the call (bad key, bad parameter); `status` is the provider's HTTP status. */
export class PaymentProviderError extends Error {
  constructor(
    readonly status: number,
    readonly providerCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'PaymentProviderError';
  }
}

export interface PaymentsGateway {
  readonly kind: 'stripe' | 'fake';
  createCheckoutSession(input: CheckoutSessionInput): Promise<CheckoutSession>;
  retrieveCheckoutSession(id: string): Promise<CheckoutSession>;
  createConnectedAccount(input: { email?: string; country?: string }): Promise<ConnectedAccount>;
  retrieveConnectedAccount(id: string): Promise<ConnectedAccount>;
  createAccountLink(input: { accountId: string; refreshUrl: string; returnUrl: string }): Promise<AccountLink>;
  refund(input: { paymentIntentId: string }): Promise<Refund>;
  /**
   * Checks `Stripe-Signature` against the raw body (never a re-serialised one) and the
   * timestamp against WEBHOOK_TOLERANCE_SECONDS; throws WebhookRejected otherwise.
   */
  verifyWebhook(rawBody: Buffer | string, signatureHeader: string | undefined): PaymentEvent;
  /** Resolves when the keys are accepted by the provider (health check); throws otherwise. */
  checkCredentials(): Promise<void>;
}
