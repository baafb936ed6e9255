import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../../../test/support/factories.ts';
import { startLoopbackStripe, stripeEnv, type LoopbackStripe } from '../../../test/support/stripe-loopback.ts';

// docs/payments.md, "Health": a `payments` entry only when Stripe keys are configured; a secret
// key Stripe refuses makes the API unhealthy (503) so the operator sees it.
let stripe: LoopbackStripe;
const apis: TestApi[] = [];
beforeAll(async () => {
  stripe = await startLoopbackStripe();
});
afterAll(async () => {
  for (const api of apis) await api.close();
  await stripe.close();
});

async function health(env: NodeJS.ProcessEnv) {
  const api = await createTestApi({ infra: { env } });
  apis.push(api);
  const res = await api.app.inject('/api/v1/health');
  return { status: res.statusCode, body: res.json() };
}

describe('health: payments', () => {
  it('has no payments entry without keys (buying is off, not broken)', async () => {
    const { status, body } = await health({});
    expect(status).toBe(200);
    expect(body.checks.map((c: { service: string }) => c.service)).not.toContain('payments');
  });

  it('is healthy with keys Stripe accepts', async () => {
    const { status, body } = await health(stripeEnv(stripe));
    expect(status).toBe(200);
    expect(body.checks).toContainEqual({ service: 'payments', healthy: true });
  });

  it('answers 503 naming the secret key when Stripe refuses it', async () => {
    const { status, body } = await health({
      STRIPE_SECRET_KEY: 'sk_live_revoked',
      STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
      STRIPE_API_URL: stripe.url,
    });
    expect(status).toBe(503);
    expect(body.checks).toContainEqual({
      service: 'payments',
      healthy: false,
      error: expect.stringContaining('STRIPE_SECRET_KEY'),
    });
  });
});
