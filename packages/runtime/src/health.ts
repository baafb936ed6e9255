import { PaymentProviderError, type PaymentsGateway } from '@earshot/payments';
import type { Infrastructure } from './infrastructure.ts';

/** One entry of the API health shape (docs/architecture.md, "Operations contracts"). */
export interface HealthCheck {
  service: string;
  healthy: boolean;
  error?: string;
}

export interface HealthReport {
  status: 'healthy' | 'unhealthy';
  checks: HealthCheck[];
  timestamp: string;
}

const CHECK_TIMEOUT_MS = 3_000;

async function run(service: string, check: () => Promise<void>): Promise<HealthCheck> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { service, healthy: true };
  } catch (err) {
    return { service, healthy: false, error: (err as Error).message || String(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** How long a payments credential check is reused (health is polled every few seconds; Stripe rate-limits). */
export const PAYMENTS_CHECK_TTL_MS = 5 * 60_000;
const paymentChecks = new WeakMap<PaymentsGateway, { at: number; error?: string }>();

/**
 * The `payments` entry (only when Stripe keys are configured, docs/payments.md): unhealthy when
 * Stripe refuses the secret key. Stripe being unreachable is logged by checkout, not reported
 * here: an outage at Stripe must not mark the API itself down. Cached PAYMENTS_CHECK_TTL_MS.
 */
async function checkPaymentKeys(gateway: PaymentsGateway, now = Date.now()): Promise<void> {
  let cached = paymentChecks.get(gateway);
  if (!cached || now - cached.at > PAYMENTS_CHECK_TTL_MS) {
    cached = { at: now };
    try {
      await gateway.checkCredentials();
    } catch (err) {
      if (err instanceof PaymentProviderError && (err.status === 401 || err.status === 403))
        cached.error = 'Stripe refused the secret key (STRIPE_SECRET_KEY)';
      else cached = undefined;
    }
    if (cached) paymentChecks.set(gateway, cached);
  }
  if (cached?.error) throw new Error(cached.error);
}

/**
 * database, redis (only when configured: the BullMQ adapter) and storage, as docs/architecture.md,
 * "Operations contracts" lists them.
 */
export async function checkHealth(
  infra: Pick<Infrastructure, 'database' | 'store' | 'jobs'> & { payments?: PaymentsGateway | null },
): Promise<HealthReport> {
  const checks = await Promise.all([
    run('database', () => infra.database.ping()),
    ...(infra.jobs.kind === 'bullmq' ? [run('redis', () => infra.jobs.check())] : []),
    run('storage', () => infra.store.check()),
    ...(infra.payments ? [run('payments', () => checkPaymentKeys(infra.payments!))] : []),
  ]);
  return {
    status: checks.every((c) => c.healthy) ? 'healthy' : 'unhealthy',
    checks,
    timestamp: new Date().toISOString(),
  };
}
