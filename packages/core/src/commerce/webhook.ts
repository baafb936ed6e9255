import { formatAmount, type PaymentEvent } from '@earshot/payments';
import type { CoreDeps } from '../deps.ts';
import { orderPaidBy, refundApplies, refundOf, webhookRefusal } from './webhook-rules.ts';
import { paymentsDisabled, type CommercePorts } from './settings.ts';
import type { NotificationDelivery } from '../community/deps.ts';
import { getEmailPreferences } from '../community/notifications.ts';
import { notifySale, type WrittenNotification } from '../community/notify.ts';

export type WebhookDeps = Pick<CoreDeps, 'db' | 'jobs' | 'log'> & Pick<CommercePorts, 'payments'>;

/**
 * The webhook route's one call (docs/payments.md, "Webhooks"): checks the signature on the raw
 * body (and the 5-minute tolerance), stores the event by id, and queues it. Nothing slow happens
 * here, so Stripe is answered at once. A repeated delivery of an event already applied is
 * acknowledged and not queued again; one stored but not yet applied is queued again (the queue
 * dedupes by job id).
 */
export async function receivePaymentWebhook(
  deps: WebhookDeps,
  rawBody: Buffer,
  signature: string | undefined,
): Promise<{ eventId: string; duplicate: boolean }> {
  if (!deps.payments) throw paymentsDisabled();
  let event: PaymentEvent;
  try {
    event = deps.payments.verifyWebhook(rawBody, signature);
  } catch (err) {
    throw webhookRefusal(err);
  }
  const inserted = await deps.db
    .insertInto('stripe_events')
    .values({
      id: event.id,
      type: event.type === 'ignored' ? event.stripeType : event.type,
      payload: JSON.stringify(event),
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) {
    const row = await deps.db
      .selectFrom('stripe_events')
      .select('applied_at')
      .where('id', '=', event.id)
      .executeTakeFirst();
    if (row?.applied_at) return { eventId: event.id, duplicate: true };
  }
  if (event.type !== 'ignored')
    await deps.jobs.add('payment-events', { eventId: event.id }, { jobId: `stripe-${event.id}` });
  return { eventId: event.id, duplicate: !inserted };
}

export type ApplyDeps = Pick<CoreDeps, 'db' | 'clock' | 'log' | 'mailer' | 'publicUrl'> & {
  /** Live delivery of the artist's sale notification (the worker's live bus); none: stored only. */
  delivery?: NotificationDelivery;
};

export type ApplyOutcome = 'applied' | 'already_applied' | 'unknown_event' | 'unknown_order' | 'ignored';

/**
 * The `payment-events` job: applies one stored event exactly once. `applied_at` is claimed in the
 * same transaction as the effect, so two runs (a retry, a duplicate delivery) cannot both apply it.
 * Mails go after the commit, claimed per order (`receipt_sent_at`), so a failed mail retries the
 * job without applying the event twice.
 *
 * - `checkout.session.completed` (paid) → order `pending → paid`, a sale notification to the artist
 *   (in the same transaction; live after the commit), receipt to the buyer, a sale mail to the
 *   artist unless they turned sale emails off.
 * - `charge.refunded` → the refunded amount is recorded; a full refund turns the order `paid → refunded`
 *   and revokes its downloads (links already handed out included); a partial one keeps it `paid`.
 * - `account.updated` → the artist's payout state.
 */
export async function applyPaymentEvent(deps: ApplyDeps, eventId: string): Promise<ApplyOutcome> {
  const now = deps.clock();
  const result = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('stripe_events')
      .set({ applied_at: now })
      .where('id', '=', eventId)
      .where('applied_at', 'is', null)
      .returning('payload')
      .executeTakeFirst();
    if (!row) {
      const exists = await trx.selectFrom('stripe_events').select('id').where('id', '=', eventId).executeTakeFirst();
      return { outcome: (exists ? 'already_applied' : 'unknown_event') as ApplyOutcome };
    }
    const event = (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as PaymentEvent;
    switch (event.type) {
      case 'checkout.session.completed': {
        const s = event.session;
        const orderId = orderPaidBy(s);
        if (!orderId) return { outcome: 'ignored' as ApplyOutcome };
        const order = await trx
          .updateTable('orders')
          .set((eb) => ({
            status: 'paid',
            paid_at: now,
            updated_at: now,
            stripe_payment_intent_id: s.paymentIntentId,
            buyer_email: eb.fn.coalesce('buyer_email', eb.val(s.customerEmail)),
          }))
          .where('id', '=', orderId)
          .where('stripe_checkout_session_id', '=', s.id)
          .where('status', '=', 'pending')
          .returning('id')
          .executeTakeFirst();
        if (!order) {
          deps.log.warn(
            { eventId, orderId: s.orderId, sessionId: s.id },
            'checkout.session.completed for an unknown or already settled order',
          );
          return { outcome: 'unknown_order' as ApplyOutcome };
        }
        const sale = await notifySale(trx, order.id);
        return { outcome: 'applied' as ApplyOutcome, paidOrderId: order.id, sale };
      }
      case 'charge.refunded': {
        // The amounts and when access ends: refundOf (webhook-rules.ts).
        const charge = event.charge;
        if (!refundApplies(charge)) return { outcome: 'ignored' as ApplyOutcome };
        const pi = charge.paymentIntentId;
        const paid = await trx
          .selectFrom('orders')
          .select(['id', 'amount_minor', 'refunded_minor'])
          .where('stripe_payment_intent_id', '=', pi)
          .where('status', '=', 'paid')
          .forUpdate()
          .execute();
        const orders = [];
        for (const o of paid) {
          const { full, refundedMinor } = refundOf(o, charge);
          const updated = await trx
            .updateTable('orders')
            .set(
              full
                ? { status: 'refunded', refunded_minor: o.amount_minor, refunded_at: now, updated_at: now }
                : { refunded_minor: refundedMinor, updated_at: now },
            )
            .where('id', '=', o.id)
            .returning(['id', 'status', 'refunded_minor'])
            .executeTakeFirstOrThrow();
          orders.push(updated);
        }
        if (!orders.length) deps.log.warn({ eventId, paymentIntentId: pi }, 'charge.refunded for an unknown order');
        else
          deps.log.info(
            { eventId, orders: orders.map((o) => ({ id: o.id, status: o.status, refundedMinor: o.refunded_minor })) },
            'refund applied',
          );
        return { outcome: (orders.length ? 'applied' : 'unknown_order') as ApplyOutcome };
      }
      case 'account.updated': {
        const a = event.account;
        await trx
          .updateTable('users')
          .set({
            stripe_charges_enabled: a.chargesEnabled,
            stripe_payouts_enabled: a.payoutsEnabled,
            stripe_details_submitted: a.detailsSubmitted,
            updated_at: now,
          })
          .where('stripe_account_id', '=', a.id)
          .execute();
        return { outcome: 'applied' as ApplyOutcome };
      }
      default:
        return { outcome: 'ignored' as ApplyOutcome };
    }
  });
  const sale: WrittenNotification | null = 'sale' in result ? (result.sale ?? null) : null;
  if (sale && deps.delivery)
    await deps.delivery
      .deliver([sale])
      .catch((err: unknown) => deps.log.warn({ err: String(err), eventId }, 'sale notification delivery failed'));
  // Also on a retry after a failed mail (the event was applied, the receipt not yet sent).
  const orderId = 'paidOrderId' in result ? result.paidOrderId : await paidOrderOfEvent(deps, eventId);
  if (orderId) await sendSaleMails(deps, orderId);
  return result.outcome;
}

async function paidOrderOfEvent(deps: ApplyDeps, eventId: string): Promise<string | undefined> {
  const row = await deps.db
    .selectFrom('stripe_events')
    .select(['payload', 'type'])
    .where('id', '=', eventId)
    .executeTakeFirst();
  if (row?.type !== 'checkout.session.completed') return undefined;
  const event = (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as PaymentEvent;
  if (
    event.type !== 'checkout.session.completed' ||
    !event.session.orderId ||
    !/^[1-9][0-9]{0,18}$/.test(event.session.orderId)
  )
    return undefined;
  const order = await deps.db
    .selectFrom('orders')
    .select('id')
    .where('id', '=', event.session.orderId)
    .where('stripe_checkout_session_id', '=', event.session.id)
    .where('status', '=', 'paid')
    .where('receipt_sent_at', 'is', null)
    .executeTakeFirst();
  return order?.id;
}

/** Receipt to the buyer and a sale mail to the artist, once per order (claimed before sending, released if sending fails). */
async function sendSaleMails(deps: ApplyDeps, orderId: string): Promise<void> {
  const claimed = await deps.db
    .updateTable('orders')
    .set({ receipt_sent_at: deps.clock() })
    .where('id', '=', orderId)
    .where('receipt_sent_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!claimed) return;
  try {
    const o = await deps.db
      .selectFrom('orders as o')
      .leftJoin('users as b', 'b.id', 'o.buyer_user_id')
      .leftJoin('users as s', 's.id', 'o.seller_user_id')
      .select([
        'o.id',
        'o.item_title',
        'o.amount_minor',
        'o.currency',
        'o.buyer_email',
        'o.stripe_checkout_session_id',
        'o.seller_user_id',
        'b.email as buyer_account_email',
        's.email as seller_email',
        's.display_name as seller_name',
      ])
      .where('o.id', '=', orderId)
      .executeTakeFirstOrThrow();
    const base = deps.publicUrl.replace(/\/+$/, '');
    const amount = formatAmount(o.amount_minor, o.currency);
    const to = o.buyer_email ?? o.buyer_account_email;
    if (to) {
      await deps.mailer.send({
        to,
        subject: `Your receipt: ${o.item_title}`,
        text: [
          `Thank you for buying "${o.item_title}" from ${o.seller_name ?? 'the artist'}.`,
          '',
          `Order ${o.id}: ${amount}`,
          '',
          `Download it in any format: ${base}/thanks?session=${o.stripe_checkout_session_id}`,
          `Sign up or sign in with this email address and it stays in your collection: ${base}/collection`,
        ].join('\n'),
      });
    }
    if (o.seller_email && o.seller_user_id && (await getEmailPreferences(deps, o.seller_user_id)).sale) {
      await deps.mailer.send({
        to: o.seller_email,
        subject: `You made a sale: ${o.item_title}`,
        text: `"${o.item_title}" was bought for ${amount} (order ${o.id}).`,
      });
    }
  } catch (err) {
    await deps.db.updateTable('orders').set({ receipt_sent_at: null }).where('id', '=', orderId).execute();
    throw err;
  }
}
