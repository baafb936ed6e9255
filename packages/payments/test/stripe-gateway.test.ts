import { StripeGateway } from '../src/index.ts';
import { startLoopbackStripe } from '../../../test/support/stripe-loopback.ts';
import { paymentsContract } from './contract.ts';

// The real `stripe` SDK, pointed by STRIPE_API_URL's setting at the loopback Stripe server.
paymentsContract('Stripe SDK against the loopback Stripe server', async () => {
  const stripe = await startLoopbackStripe();
  return {
    gateway: new StripeGateway({
      secretKey: stripe.secretKey,
      webhookSecret: stripe.webhookSecret,
      apiUrl: stripe.url,
    }),
    badKeyGateway: new StripeGateway({
      secretKey: 'sk_test_wrong',
      webhookSecret: stripe.webhookSecret,
      apiUrl: stripe.url,
    }),
    webhookSecret: stripe.webhookSecret,
    async pay(sessionId) {
      stripe.pay(sessionId);
    },
    close: () => stripe.close(),
  };
});
