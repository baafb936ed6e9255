/**
 * Currencies the platform sells in, with their minor-unit exponent and Stripe's minimum charge
 * (in minor units). Stripe refuses a Checkout Session below the minimum, so checkout refuses it
 * first with a clear message. Source: Stripe's "Minimum and maximum charge amounts" table.
 */
export interface CurrencyInfo {
  code: string;
  /** 0 for zero-decimal currencies (JPY, KRW): amounts are whole units. */
  exponent: 0 | 2;
  minChargeMinor: number;
}

const TABLE: readonly CurrencyInfo[] = [
  { code: 'usd', exponent: 2, minChargeMinor: 50 },
  { code: 'eur', exponent: 2, minChargeMinor: 50 },
  { code: 'gbp', exponent: 2, minChargeMinor: 30 },
  { code: 'aud', exponent: 2, minChargeMinor: 50 },
  { code: 'cad', exponent: 2, minChargeMinor: 50 },
  { code: 'chf', exponent: 2, minChargeMinor: 50 },
  { code: 'nzd', exponent: 2, minChargeMinor: 50 },
  { code: 'sek', exponent: 2, minChargeMinor: 300 },
  { code: 'nok', exponent: 2, minChargeMinor: 300 },
  { code: 'dkk', exponent: 2, minChargeMinor: 250 },
  { code: 'pln', exponent: 2, minChargeMinor: 200 },
  { code: 'czk', exponent: 2, minChargeMinor: 1500 },
  { code: 'brl', exponent: 2, minChargeMinor: 50 },
  { code: 'mxn', exponent: 2, minChargeMinor: 1000 },
  { code: 'sgd', exponent: 2, minChargeMinor: 50 },
  { code: 'hkd', exponent: 2, minChargeMinor: 400 },
  { code: 'jpy', exponent: 0, minChargeMinor: 50 },
  { code: 'krw', exponent: 0, minChargeMinor: 100 },
];

const BY_CODE = new Map(TABLE.map((c) => [c.code, c]));

export const SUPPORTED_CURRENCIES: readonly string[] = TABLE.map((c) => c.code);

/** Looks up a currency by ISO code, any case; undefined when the platform does not sell in it. */
export function currencyInfo(code: string): CurrencyInfo | undefined {
  return BY_CODE.get(code.toLowerCase());
}

/**
 * Largest amount one order may carry, in minor units of any currency (absurd amounts are typos
 * or abuse): 10,000.00 USD/EUR, 1,000,000 JPY (about the same order of magnitude).
 */
export const MAX_ORDER_AMOUNT_MINOR = 1_000_000;

/** `1234, usd` → `12.34 USD`; `500, jpy` → `500 JPY`. For mails and the web. */
export function formatAmount(amountMinor: number, currency: string): string {
  const info = currencyInfo(currency);
  const exponent = info?.exponent ?? 2;
  const major = exponent === 0 ? String(amountMinor) : (amountMinor / 100).toFixed(2);
  return `${major} ${currency.toUpperCase()}`;
}
