import { describe, expect, it } from 'vitest';
import { formatMajor, formatMoney, parseAmount } from '../lib/commerce';

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
});
