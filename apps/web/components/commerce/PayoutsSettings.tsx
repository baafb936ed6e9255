'use client';

/**
 * Settings → Payouts, for artists (docs/payments.md, "Stripe Connect"): the Stripe Connect state
 * and a button that opens Stripe's onboarding (a fresh one-time link from the API each time).
 * Renders nothing for listeners (the API answers 403) and says so when the site takes no payments.
 */
import { fetchAccount } from '@/lib/account';
import { api, ok } from '@/lib/api/client';
import { useFormSubmit } from '@/lib/hooks/use-form-submit';
import { useResource } from '@/lib/hooks/use-resource';
import { SettingsSection } from '@/components/account/SettingsSection';

/** Only artists have payouts: others never ask (no 403 in their console). */
async function loadPayouts(signal: AbortSignal) {
  const user = await fetchAccount(signal);
  if (!user || (user.role !== 'artist' && user.role !== 'admin')) return null;
  return ok(api.GET('/api/v1/me/payouts', { signal }));
}

export function PayoutsSettings() {
  const payouts = useResource('payouts', loadPayouts);
  // Leaves for Stripe on success: the button stays disabled.
  const onboarding = useFormSubmit([], { staysPending: true });
  if (payouts.status !== 'ready' || !payouts.data) return null;
  const state = payouts.data;

  const onboard = () =>
    onboarding.run(async () => {
      const { url } = await ok(api.POST('/api/v1/me/payouts/onboarding'));
      window.location.assign(url);
    });
  const error = onboarding.errors.form;

  const status = !state.paymentsEnabled
    ? 'This site does not take payments.'
    : state.chargesEnabled && state.payoutsEnabled
      ? 'Your Stripe account is ready: sales are paid to it.'
      : state.connected
        ? 'Your Stripe account is not finished yet: Stripe still needs some details.'
        : 'Connect a Stripe account to be paid for your sales.';
  return (
    <SettingsSection id="payouts" title="Payouts" testId="payouts-settings">
      <p role="status">{status}</p>
      {state.paymentsEnabled && !(state.chargesEnabled && state.payoutsEnabled) && (
        <div className="form__actions">
          <button
            type="button"
            className="button button--accent"
            onClick={() => void onboard()}
            disabled={onboarding.pending}
          >
            {state.connected ? 'Continue on Stripe' : 'Set up payouts with Stripe'}
          </button>
        </div>
      )}
      {error && (
        <p className="form__error" role="alert">
          {error}
        </p>
      )}
    </SettingsSection>
  );
}
