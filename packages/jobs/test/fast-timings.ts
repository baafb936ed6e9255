/** Short polls and leases so the contract suite runs in seconds. */
export const FAST_EMBEDDED = { pollIntervalMs: 25, leaseMs: 600, heartbeatMs: 150, pruneIntervalMs: 0 } as const;
export const FAST_BULLMQ = { lockDurationMs: 1_000, stalledIntervalMs: 300 } as const;

export function embeddedChildEnv(): Record<string, string> {
  return {
    FIXTURE_POLL_MS: String(FAST_EMBEDDED.pollIntervalMs),
    FIXTURE_LEASE_MS: String(FAST_EMBEDDED.leaseMs),
    FIXTURE_HEARTBEAT_MS: String(FAST_EMBEDDED.heartbeatMs),
  };
}
