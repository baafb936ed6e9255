import type { Actor } from '../actor.ts';
import type { CoreDeps } from '../deps.ts';
import { forbidden } from '../errors.ts';
import { paymentProviderFailed, paymentsDisabled, type CommercePorts } from './settings.ts';

export interface PayoutState {
  /** Whether the site takes payments at all (Stripe keys configured). */
  paymentsEnabled: boolean;
  connected: boolean;
  chargesEnabled: boolean;
  payoutsEnabled: boolean;
  detailsSubmitted: boolean;
}

type PayoutDeps = Pick<CoreDeps, 'db' | 'clock' | 'publicUrl' | 'log'> & Pick<CommercePorts, 'payments'>;

function artistOnly(actor: Actor): void {
  if (actor.role !== 'artist' && actor.role !== 'admin') throw forbidden('Only artists receive payouts');
}

/**
 * `GET /me/payouts`: the artist's Stripe Connect state. `account.updated` webhooks keep it; while
 * onboarding is unfinished it is also re-read from Stripe here (an artist back from onboarding
 * sees it at once, even before the webhook).
 */
export async function getPayoutState(deps: PayoutDeps, actor: Actor): Promise<PayoutState> {
  artistOnly(actor);
  const u = await deps.db
    .selectFrom('users')
    .select(['stripe_account_id', 'stripe_charges_enabled', 'stripe_payouts_enabled', 'stripe_details_submitted'])
    .where('id', '=', actor.id)
    .executeTakeFirstOrThrow();
  let state = {
    chargesEnabled: u.stripe_charges_enabled,
    payoutsEnabled: u.stripe_payouts_enabled,
    detailsSubmitted: u.stripe_details_submitted,
  };
  if (deps.payments && u.stripe_account_id && !(state.chargesEnabled && state.payoutsEnabled)) {
    try {
      const a = await deps.payments.retrieveConnectedAccount(u.stripe_account_id);
      state = {
        chargesEnabled: a.chargesEnabled,
        payoutsEnabled: a.payoutsEnabled,
        detailsSubmitted: a.detailsSubmitted,
      };
      await deps.db
        .updateTable('users')
        .set({
          stripe_charges_enabled: a.chargesEnabled,
          stripe_payouts_enabled: a.payoutsEnabled,
          stripe_details_submitted: a.detailsSubmitted,
        })
        .where('id', '=', actor.id)
        .execute();
    } catch (err) {
      deps.log.warn({ err, userId: actor.id }, 'reading the Stripe account failed; showing the stored state');
    }
  }
  return { paymentsEnabled: deps.payments !== null, connected: u.stripe_account_id !== null, ...state };
}

/**
 * `POST /me/payouts/onboarding`: creates the artist's Express account on first use and answers a
 * fresh Stripe onboarding link (links are single-use and expire in minutes, so one per request).
 */
export async function startPayoutOnboarding(deps: PayoutDeps, actor: Actor): Promise<{ url: string; expiresAt: Date }> {
  artistOnly(actor);
  if (!deps.payments) throw paymentsDisabled();
  const u = await deps.db
    .selectFrom('users')
    .select(['email', 'stripe_account_id'])
    .where('id', '=', actor.id)
    .executeTakeFirstOrThrow();
  const base = deps.publicUrl.replace(/\/+$/, '');
  try {
    let accountId = u.stripe_account_id;
    if (!accountId) {
      const account = await deps.payments.createConnectedAccount({ email: u.email });
      // Only the first request to finish keeps its account (two clicks at once make one account stick).
      const updated = await deps.db
        .updateTable('users')
        .set({ stripe_account_id: account.id })
        .where('id', '=', actor.id)
        .where('stripe_account_id', 'is', null)
        .returning('stripe_account_id')
        .executeTakeFirst();
      accountId =
        updated?.stripe_account_id ??
        (
          await deps.db
            .selectFrom('users')
            .select('stripe_account_id')
            .where('id', '=', actor.id)
            .executeTakeFirstOrThrow()
        ).stripe_account_id!;
    }
    return await deps.payments.createAccountLink({
      accountId,
      refreshUrl: `${base}/settings?payouts=refresh`,
      returnUrl: `${base}/settings?payouts=done`,
    });
  } catch (err) {
    deps.log.error({ err, userId: actor.id }, 'Stripe Connect onboarding failed');
    throw paymentProviderFailed();
  }
}
