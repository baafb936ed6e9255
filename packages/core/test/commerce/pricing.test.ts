import { describe, expect, it } from 'vitest';
import { checkOffer, isFree, platformFee, MAX_AMOUNT_MINOR, type Price } from '../../src/commerce/pricing.ts';
import { refusalOf } from '../support/refusal.ts';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as { code: string; status: number }).code;
  }
  return 'accepted';
};

const fixed: Price = { amountMinor: 700, currency: 'eur', payWhatYouWant: false };
const pwyw: Price = { amountMinor: 500, currency: 'usd', payWhatYouWant: true };
const free: Price = { amountMinor: 0, currency: 'usd', payWhatYouWant: true };
const yen: Price = { amountMinor: 300, currency: 'jpy', payWhatYouWant: true };

describe('checkOffer', () => {
  it('takes a fixed price exactly and a pay-what-you-want amount at or above the minimum', () => {
    expect(checkOffer(fixed, { amountMinor: 700, currency: 'EUR' })).toEqual({
      kind: 'charge',
      amountMinor: 700,
      currency: 'eur',
    });
    expect(checkOffer(pwyw, { amountMinor: 500, currency: 'usd' })).toMatchObject({ kind: 'charge', amountMinor: 500 });
    expect(checkOffer(pwyw, { amountMinor: 1234, currency: 'usd' })).toMatchObject({
      kind: 'charge',
      amountMinor: 1234,
    });
  });

  it('refuses below the minimum, another amount than a fixed price, and no price at all', () => {
    expect(code(() => checkOffer(pwyw, { amountMinor: 499, currency: 'usd' }))).toBe('amount_below_minimum');
    expect(code(() => checkOffer(fixed, { amountMinor: 800, currency: 'eur' }))).toBe('amount_mismatch');
    expect(code(() => checkOffer(null, { amountMinor: 800, currency: 'eur' }))).toBe('not_for_sale');
  });

  it('refuses unknown currencies and currencies other than the price', () => {
    expect(code(() => checkOffer(fixed, { amountMinor: 700, currency: 'xyz' }))).toBe('unknown_currency');
    expect(code(() => checkOffer(fixed, { amountMinor: 700, currency: '' }))).toBe('unknown_currency');
    expect(code(() => checkOffer(fixed, { amountMinor: 700, currency: 'usd' }))).toBe('currency_mismatch');
  });

  it('refuses negative, fractional, non-finite and absurd amounts', () => {
    for (const amountMinor of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60]) {
      expect(code(() => checkOffer(pwyw, { amountMinor, currency: 'usd' }))).not.toBe('accepted');
    }
    expect(code(() => checkOffer(pwyw, { amountMinor: -1, currency: 'usd' }))).toBe('invalid_amount');
    expect(code(() => checkOffer(pwyw, { amountMinor: MAX_AMOUNT_MINOR + 1, currency: 'usd' }))).toBe(
      'amount_too_large',
    );
  });

  it("handles zero-decimal JPY and Stripe's minimum charge per currency", () => {
    expect(checkOffer(yen, { amountMinor: 300, currency: 'JPY' })).toEqual({
      kind: 'charge',
      amountMinor: 300,
      currency: 'jpy',
    });
    const cheapYen: Price = { amountMinor: 10, currency: 'jpy', payWhatYouWant: true };
    expect(code(() => checkOffer(cheapYen, { amountMinor: 10, currency: 'jpy' }))).toBe('amount_below_stripe_minimum');
    expect(checkOffer(cheapYen, { amountMinor: 50, currency: 'jpy' })).toMatchObject({ kind: 'charge' });
    const cheapGbp: Price = { amountMinor: 10, currency: 'gbp', payWhatYouWant: true };
    expect(code(() => checkOffer(cheapGbp, { amountMinor: 29, currency: 'gbp' }))).toBe('amount_below_stripe_minimum');
    expect(checkOffer(cheapGbp, { amountMinor: 30, currency: 'gbp' })).toMatchObject({ kind: 'charge' });
  });

  it('a zero offer on a free item is free; a small tip below the Stripe minimum is refused', () => {
    expect(checkOffer(free, { amountMinor: 0, currency: 'usd' })).toEqual({ kind: 'free' });
    expect(code(() => checkOffer(free, { amountMinor: 20, currency: 'usd' }))).toBe('amount_below_stripe_minimum');
  });
});

describe('isFree and platformFee', () => {
  it('free = a price of 0, or no price on a downloadable item', () => {
    expect(isFree(free, false)).toBe(true);
    expect(isFree(null, true)).toBe(true);
    expect(isFree(null, false)).toBe(false);
    expect(isFree(pwyw, true)).toBe(false);
    expect(isFree({ amountMinor: 0, currency: 'usd', payWhatYouWant: false }, false)).toBe(true);
  });

  it('rounds the fee down to the minor unit', () => {
    expect(platformFee(1000, 10)).toBe(100);
    expect(platformFee(999, 10)).toBe(99);
    expect(platformFee(55, 15)).toBe(8);
    expect(platformFee(1000, 0)).toBe(0);
  });
});

/** The whole refusal: status, code, the sentence the buyer reads and the details a client uses. */
const refusal = refusalOf;

describe('checkOffer refusals, word for word', () => {
  it('says what is wrong and what would be right', () => {
    expect(refusal(() => checkOffer(null, { amountMinor: 800, currency: 'eur' }))).toEqual({
      status: 409,
      code: 'not_for_sale',
      message: 'This item is not for sale',
      details: undefined,
    });
    expect(refusal(() => checkOffer(fixed, { amountMinor: 700, currency: 'abcdefghijklmnop' }))).toEqual({
      status: 400,
      code: 'unknown_currency',
      message: 'Unknown or unsupported currency: abcdefghij',
      details: undefined,
    });
    expect(refusal(() => checkOffer(fixed, { amountMinor: 700, currency: 'usd' }))).toEqual({
      status: 400,
      code: 'currency_mismatch',
      message: 'This item is priced in EUR',
      details: { currency: 'EUR' },
    });
    expect(refusal(() => checkOffer(pwyw, { amountMinor: 1.5, currency: 'usd' }))).toEqual({
      status: 400,
      code: 'invalid_amount',
      message: 'The amount must be a whole number of minor units (cents; yen for JPY), not negative',
      details: undefined,
    });
    expect(refusal(() => checkOffer(pwyw, { amountMinor: MAX_AMOUNT_MINOR + 1, currency: 'usd' }))).toEqual({
      status: 400,
      code: 'amount_too_large',
      message: 'That amount is more than one order may carry',
      details: { maxAmountMinor: MAX_AMOUNT_MINOR },
    });
    expect(refusal(() => checkOffer(pwyw, { amountMinor: 499, currency: 'usd' }))).toEqual({
      status: 400,
      code: 'amount_below_minimum',
      message: 'The minimum for this item is 500',
      details: { minimumMinor: 500 },
    });
    expect(refusal(() => checkOffer(fixed, { amountMinor: 701, currency: 'eur' }))).toEqual({
      status: 400,
      code: 'amount_mismatch',
      message: 'The price of this item is 700',
      details: { priceMinor: 700 },
    });
    const cheapGbp: Price = { amountMinor: 10, currency: 'gbp', payWhatYouWant: true };
    expect(refusal(() => checkOffer(cheapGbp, { amountMinor: 29, currency: 'gbp' }))).toEqual({
      status: 400,
      code: 'amount_below_stripe_minimum',
      message: 'Card payments in GBP must be at least 30',
      details: { minimumMinor: 30 },
    });
  });

  it('takes a price stored in upper case like one in lower case', () => {
    const upper: Price = { amountMinor: 700, currency: 'EUR', payWhatYouWant: false };
    expect(checkOffer(upper, { amountMinor: 700, currency: 'eur' })).toEqual({
      kind: 'charge',
      amountMinor: 700,
      currency: 'eur',
    });
    expect(refusal(() => checkOffer(upper, { amountMinor: 700, currency: 'usd' }))).toMatchObject({
      message: 'This item is priced in EUR',
      details: { currency: 'EUR' },
    });
  });

  it('takes exactly the largest amount one order may carry', () => {
    expect(checkOffer(pwyw, { amountMinor: MAX_AMOUNT_MINOR, currency: 'usd' })).toEqual({
      kind: 'charge',
      amountMinor: MAX_AMOUNT_MINOR,
      currency: 'usd',
    });
  });
});
