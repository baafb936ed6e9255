import { describe, expect, it } from 'vitest';
import { formatMajor, formatMoney, parseAmount, priceModeOf, readPrice } from '../lib/commerce';

describe('web money helpers', () => {
  it('parses what people type into minor units, whole yen for JPY', () => {
    expect(parseAmount('12', 'USD')).toBe(1200);
    expect(parseAmount('12.5', 'usd')).toBe(1250);
    expect(parseAmount('12,05', 'EUR')).toBe(1205);
    expect(parseAmount(' 7.99 ', 'GBP')).toBe(799);
    expect(parseAmount('500', 'JPY')).toBe(500);
    expect(parseAmount('500.5', 'JPY')).toBeNull();
    expect(parseAmount('-1', 'USD')).toBeNull();
    expect(parseAmount('1.234', 'USD')).toBeNull();
    expect(parseAmount('abc', 'USD')).toBeNull();
    expect(parseAmount('', 'USD')).toBeNull();
  });

  it('formats minor units per currency', () => {
    expect(formatMajor(1234, 'USD')).toBe('12.34');
    expect(formatMajor(500, 'JPY')).toBe('500');
    expect(formatMoney(50, 'eur')).toBe('0.50 EUR');
  });

  it('reads the price fields an artist fills in', () => {
    expect(readPrice('none', '12', 'EUR')).toEqual({ price: null });
    expect(readPrice('fixed', '7,50', 'eur')).toEqual({
      price: { amountMinor: 750, currency: 'EUR', payWhatYouWant: false },
    });
    expect(readPrice('pwyw', '', 'usd')).toEqual({ price: { amountMinor: 0, currency: 'USD', payWhatYouWant: true } });
    expect(readPrice('pwyw', '3', 'JPY')).toEqual({ price: { amountMinor: 3, currency: 'JPY', payWhatYouWant: true } });
    expect(readPrice('fixed', '0', 'EUR')).toMatchObject({ field: 'priceAmount' });
    expect(readPrice('fixed', '', 'EUR')).toMatchObject({ field: 'priceAmount' });
    expect(readPrice('fixed', '2.5', 'JPY')).toMatchObject({ field: 'priceAmount' });
    expect(readPrice('fixed', '5', 'euro')).toMatchObject({ field: 'priceCurrency' });
    expect(readPrice('pwyw', 'abc', 'EUR')).toMatchObject({
      field: 'priceAmount',
      message: 'Enter an amount like 5.00',
    });
  });

  it('names the way a price is offered', () => {
    expect(priceModeOf(null)).toBe('none');
    expect(priceModeOf({ amountMinor: 500, currency: 'EUR', payWhatYouWant: false })).toBe('fixed');
    expect(priceModeOf({ amountMinor: 0, currency: 'EUR', payWhatYouWant: true })).toBe('pwyw');
  });
});
