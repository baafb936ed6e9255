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

/**
 * database, redis (only when configured: the BullMQ adapter) and storage, as docs/architecture.md,
 * "Operations contracts" lists them.
 */
export async function checkHealth(infra: Pick<Infrastructure, 'database' | 'store' | 'jobs'>): Promise<HealthReport> {
  const checks = await Promise.all([
    run('database', () => infra.database.ping()),
    ...(infra.jobs.kind === 'bullmq' ? [run('redis', () => infra.jobs.check())] : []),
    run('storage', () => infra.store.check()),
  ]);
  return { status: checks.every((c) => c.healthy) ? 'healthy' : 'unhealthy', checks, timestamp: new Date().toISOString() };
}
