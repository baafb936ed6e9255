import type { ErrorCode } from '../error-codes.ts';
import { currencyInfo, MAX_ORDER_AMOUNT_MINOR } from '@earshot/payments';
import { AppError, conflict } from '../errors.ts';

/**
 * Prices and amounts (docs/architecture.md, "Commerce"). A price is in minor units of an ISO
 * currency; with pay-what-you-want the amount is the minimum and the buyer may give more.
 * `null` = not for sale.
 */
export interface Price {
  amountMinor: number;
  currency: string;
  payWhatYouWant: boolean;
}

/** What the caller offers to pay. */
export interface Offer {
  amountMinor: number;
  currency: string;
}

export const MAX_AMOUNT_MINOR = MAX_ORDER_AMOUNT_MINOR;

const refused = (code: ErrorCode, message: string, details?: Record<string, unknown>) =>
  new AppError(400, code, message, details);

/**
 * Free = downloadable by anyone without paying: a price of 0 (pay-what-you-want from 0), or no
 * price on an item the artist marked downloadable. Paying something for a free pay-what-you-want
 * item is still allowed (a tip through checkout).
 */
export function isFree(price: Price | null, downloadable: boolean): boolean {
  if (price) return price.amountMinor === 0;
  return downloadable;
}

export type CheckedAmount = { kind: 'free' } | { kind: 'charge'; amountMinor: number; currency: string };

/**
 * Checks an offer against the item's price: the currency is the price's (the artist's), the
 * amount an integer in minor units, at least the price (exactly the price when it is fixed), at
 * least Stripe's minimum charge for the currency, at most MAX_AMOUNT_MINOR. An offer of 0 on a
 * free item is a free "order" (no charge; the email, if given, is the opt-in the artist sees).
 */
export function checkOffer(price: Price | null, offer: Offer): CheckedAmount {
  if (!price) throw conflict('not_for_sale', 'This item is not for sale');
  const info = currencyInfo(offer.currency);
  if (!info)
    throw refused('unknown_currency', `Unknown or unsupported currency: ${String(offer.currency).slice(0, 10)}`);
  if (info.code !== price.currency.toLowerCase()) {
    throw refused('currency_mismatch', `This item is priced in ${price.currency.toUpperCase()}`, {
      currency: price.currency.toUpperCase(),
    });
  }
  const amount = offer.amountMinor;
  if (!Number.isSafeInteger(amount) || amount < 0)
    throw refused(
      'invalid_amount',
      'The amount must be a whole number of minor units (cents; yen for JPY), not negative',
    );
  if (amount > MAX_AMOUNT_MINOR)
    throw refused('amount_too_large', 'That amount is more than one order may carry', {
      maxAmountMinor: MAX_AMOUNT_MINOR,
    });
  if (price.payWhatYouWant) {
    if (amount < price.amountMinor)
      throw refused('amount_below_minimum', `The minimum for this item is ${price.amountMinor}`, {
        minimumMinor: price.amountMinor,
      });
  } else if (amount !== price.amountMinor) {
    throw refused('amount_mismatch', `The price of this item is ${price.amountMinor}`, {
      priceMinor: price.amountMinor,
    });
  }
  if (amount === 0) return { kind: 'free' };
  if (amount < info.minChargeMinor) {
    throw refused(
      'amount_below_stripe_minimum',
      `Card payments in ${info.code.toUpperCase()} must be at least ${info.minChargeMinor}`,
      { minimumMinor: info.minChargeMinor },
    );
  }
  return { kind: 'charge', amountMinor: amount, currency: info.code };
}

/** The platform's share (Stripe Connect application fee), rounded down to the minor unit. */
export function platformFee(amountMinor: number, percent: number): number {
  return Math.floor((amountMinor * percent) / 100);
}
