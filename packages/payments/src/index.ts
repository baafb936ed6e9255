import { StripeGateway } from './stripe-gateway.ts';
import type { PaymentsGateway } from './port.ts';

export * from './port.ts';
export * from './currencies.ts';
export { StripeGateway, sdkHostOptions, type StripeSettings } from './stripe-gateway.ts';
export { FakePaymentsGateway } from './fake-gateway.ts';

/**
 * The composition roots' one way to build the gateway: none without both Stripe keys (buying is
 * off, docs/payments.md), the Stripe adapter otherwise.
 */
export function createPaymentsGateway(stripe: {
  secretKey?: string;
  webhookSecret?: string;
  apiUrl?: string;
}): PaymentsGateway | null {
  if (!stripe.secretKey || !stripe.webhookSecret) return null;
  return new StripeGateway({ secretKey: stripe.secretKey, webhookSecret: stripe.webhookSecret, apiUrl: stripe.apiUrl });
}
