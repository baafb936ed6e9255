import { WebhookRejected, type CheckoutSession, type PaymentEvent } from '@earshot/payments';
import type { ErrorCode } from '../error-codes.ts';
import { AppError } from '../errors.ts';

/**
 * The decisions of the payment webhook (docs/payments.md, "Webhooks"), apart from the queries
 * that apply them: how a refused delivery is answered, which completed Checkout Session pays an
 * order, and what a refund does to an order.
 */

const REJECTIONS: Record<WebhookRejected['reason'], ErrorCode> = {
  bad_signature: 'webhook_signature_invalid',
  too_old: 'webhook_too_old',
  malformed: 'webhook_malformed',
};

/** A delivery the payments adapter refused is a 400 naming why; any other error is passed on. */
export function webhookRefusal(err: unknown): unknown {
  return err instanceof WebhookRejected ? new AppError(400, REJECTIONS[err.reason], err.message) : err;
}

/** The order a completed Checkout Session pays: only a paid session naming an order id (digits, no leading zero). */
export function orderPaidBy(session: CheckoutSession): string | null {
  if (session.paymentStatus !== 'paid' || !session.orderId || !/^[1-9][0-9]{0,18}$/.test(session.orderId)) return null;
  return session.orderId;
}

type RefundCharge = Extract<PaymentEvent, { type: 'charge.refunded' }>['charge'];

/** A refund event worth applying: it names a payment and a positive whole amount. */
export function refundApplies(charge: RefundCharge): charge is RefundCharge & { paymentIntentId: string } {
  return !!charge.paymentIntentId && Number.isSafeInteger(charge.amountRefunded) && charge.amountRefunded > 0;
}

/**
 * What a refund does to a paid order. Stripe's `amount_refunded` is the charge's running total, so
 * a later event never lowers what is recorded (events may arrive out of order) and nothing counts
 * past the order's amount; only the whole amount (or Stripe's `refunded`) ends the access.
 */
export function refundOf(
  order: { amount_minor: number; refunded_minor: number },
  charge: RefundCharge,
): { full: boolean; refundedMinor: number } {
  const total = Math.min(order.amount_minor, Math.max(order.refunded_minor, charge.amountRefunded));
  const full = charge.refunded || total >= order.amount_minor;
  return { full, refundedMinor: full ? order.amount_minor : total };
}
