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

// [ISO code, exponent, Stripe's minimum charge in minor units]
const TABLE: readonly CurrencyInfo[] = (
  [
    ['usd', 2, 50],
    ['eur', 2, 50],
    ['gbp', 2, 30],
    ['aud', 2, 50],
    ['cad', 2, 50],
    ['chf', 2, 50],
    ['nzd', 2, 50],
    ['sek', 2, 300],
    ['nok', 2, 300],
    ['dkk', 2, 250],
    ['pln', 2, 200],
    ['czk', 2, 1500],
    ['brl', 2, 50],
    ['mxn', 2, 1000],
    ['sgd', 2, 50],
    ['hkd', 2, 400],
    ['jpy', 0, 50],
    ['krw', 0, 100],
  ] as const
).map(([code, exponent, minChargeMinor]) => ({ code, exponent, minChargeMinor }));

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
