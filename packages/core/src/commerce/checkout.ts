import { PaymentProviderError } from '@earshot/payments';
import type { Actor } from '../actor.ts';
import type { CoreDeps } from '../deps.ts';
import { conflict } from '../errors.ts';
import { normalizeEmail } from '../accounts/fields.ts';
import { loadItem, type ItemType } from './items.ts';
import { checkOffer, platformFee } from './pricing.ts';
import { artistNotPayable, ownItem, paymentProviderFailed, paymentsDisabled, type CommercePorts } from './settings.ts';

export interface CheckoutInput {
  item: { type: ItemType; id: string };
  amountMinor: number;
  currency: string;
  /** Guests: where the receipt goes and what becomes their collection when they sign up with it. */
  email?: string;
  /** The buyer agrees to show their email to the artist (free downloads and purchases alike). */
  emailOptIn?: boolean;
}

export interface CheckoutResult {
  /** Stripe Checkout (paid) or the thank-you page (free). */
  url: string;
  orderId: string;
  free: boolean;
}

export type CheckoutDeps = Pick<CoreDeps, 'db' | 'clock' | 'publicUrl' | 'log'> & CommercePorts;

/**
 * Starts buying a track or a release (docs/architecture.md, "Commerce"; docs/payments.md). The
 * order is written `pending` first, then the Checkout Session is created with the order id in its
 * metadata; if Stripe refuses or does not answer, the order is removed again (nothing half-written)
 * and the caller gets a 502. An amount of 0 on a free item is recorded at once as a paid order of
 * 0 (no Stripe involved; works without keys) so the email opt-in reaches the artist.
 */
export async function startCheckout(
  deps: CheckoutDeps,
  actor: Actor | null,
  input: CheckoutInput,
): Promise<CheckoutResult> {
  const now = deps.clock();
  const item = await loadItem(deps.db, actor, input.item.type, input.item.id, now);
  if (actor && actor.id === item.ownerUserId) throw ownItem();
  if (item.tracks.length === 0) throw conflict('not_available', 'This item has nothing to download yet');
  const checked = checkOffer(item.price, { amountMinor: input.amountMinor, currency: input.currency });
  const email = input.email ? normalizeEmail(input.email) : undefined;
  const base = deps.publicUrl.replace(/\/+$/, '');
  const itemColumns = {
    item_type: item.type,
    track_id: item.type === 'track' ? item.id : null,
    release_id: item.type === 'release' ? item.id : null,
    item_title: item.title.slice(0, 300),
    seller_user_id: item.ownerUserId,
    buyer_user_id: actor?.id ?? null,
    buyer_email: email ?? null,
  };

  if (checked.kind === 'free') {
    const order = await deps.db
      .insertInto('orders')
      .values({
        ...itemColumns,
        amount_minor: 0,
        currency: item.price!.currency.toUpperCase(),
        status: 'paid',
        paid_at: now,
        email_opt_in: Boolean(email && input.emailOptIn),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { url: `${base}/thanks?item=${item.type}-${item.id}`, orderId: order.id, free: true };
  }

  if (!deps.payments) throw paymentsDisabled();
  const connected = item.ownerStripeAccountId && item.ownerChargesEnabled ? item.ownerStripeAccountId : null;
  if (!connected && deps.commerce.withoutConnect === 'refuse') throw artistNotPayable();
  const fee = connected ? platformFee(checked.amountMinor, deps.commerce.platformFeePercent) : 0;

  const order = await deps.db
    .insertInto('orders')
    .values({
      ...itemColumns,
      amount_minor: checked.amountMinor,
      currency: checked.currency.toUpperCase(),
      platform_fee_minor: fee,
      status: 'pending',
      // A guest's email may come from Stripe's form: the consent is kept and applies to it.
      email_opt_in: Boolean(input.emailOptIn),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  try {
    const session = await deps.payments.createCheckoutSession({
      orderId: order.id,
      item: { name: `${item.title} — ${item.ownerName}`, amountMinor: checked.amountMinor, currency: checked.currency },
      customerEmail: email,
      successUrl: `${base}/thanks?session={CHECKOUT_SESSION_ID}`,
      cancelUrl: `${base}/${item.ownerHandle}`,
      destination: connected ? { accountId: connected, applicationFeeMinor: fee } : undefined,
    });
    if (!session.url) throw new PaymentProviderError(502, 'no_url', 'Checkout Session without a URL');
    await deps.db
      .updateTable('orders')
      .set({ stripe_checkout_session_id: session.id, updated_at: deps.clock() })
      .where('id', '=', order.id)
      .execute();
    return { url: session.url, orderId: order.id, free: false };
  } catch (err) {
    await deps.db.deleteFrom('orders').where('id', '=', order.id).where('status', '=', 'pending').execute();
    deps.log.error({ err, orderId: order.id }, 'creating the Stripe Checkout Session failed');
    throw paymentProviderFailed();
  }
}
