'use client';

/**
 * Settings → Payouts, for artists (docs/payments.md, "Stripe Connect"): the Stripe Connect state
 * and a button that opens Stripe's onboarding (a fresh one-time link from the API each time).
 * Renders nothing for listeners (the API answers 403) and says so when the site takes no payments.
 */
import { useEffect, useState } from 'react';
import { apiFetch, describeApiError } from '@/lib/api';
import { fetchAccount } from '@/lib/account';
import './commerce.css';

interface PayoutState {
  paymentsEnabled: boolean;
  connected: boolean;
  chargesEnabled: boolean;
  payoutsEnabled: boolean;
  detailsSubmitted: boolean;
}

export function PayoutsSettings() {
  const [state, setState] = useState<PayoutState | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const controller = new AbortController();
    // Only artists have payouts: others never ask (no 403 in their console).
    fetchAccount(controller.signal)
      .then((user) =>
        user && (user.role === 'artist' || user.role === 'admin')
          ? apiFetch<PayoutState>('/api/v1/me/payouts', { signal: controller.signal }).then(setState)
          : undefined,
      )
      .catch(() => {});
    return () => controller.abort();
  }, []);
  if (!state) return null;

  async function onboard() {
    setBusy(true);
    setError('');
    try {
      const { url } = await apiFetch<{ url: string }>('/api/v1/me/payouts/onboarding', { method: 'POST' });
      window.location.assign(url);
    } catch (err) {
      setError(describeApiError(err));
      setBusy(false);
    }
  }

  const status = !state.paymentsEnabled
    ? 'This site does not take payments.'
    : state.chargesEnabled && state.payoutsEnabled
      ? 'Your Stripe account is ready: sales are paid to it.'
      : state.connected
        ? 'Your Stripe account is not finished yet: Stripe still needs some details.'
        : 'Connect a Stripe account to be paid for your sales.';
  return (
    <section className="buy-box" aria-labelledby="payouts-title" data-testid="payouts-settings">
      <h2 id="payouts-title" className="buy-box__price">
        Payouts
      </h2>
      <p role="status">{status}</p>
      {state.paymentsEnabled && !(state.chargesEnabled && state.payoutsEnabled) && (
        <button
          type="button"
          className="button button--accent buy-box__buy"
          onClick={() => void onboard()}
          disabled={busy}
        >
          {state.connected ? 'Continue on Stripe' : 'Set up payouts with Stripe'}
        </button>
      )}
      {error && (
        <p className="form__error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
