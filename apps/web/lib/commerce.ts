/** Money and download helpers of the buy box, the thank-you page and the collection (pure; unit-tested). */

const ZERO_DECIMAL = new Set(['JPY', 'KRW']);

export function currencyExponent(currency: string): 0 | 2 {
  return ZERO_DECIMAL.has(currency.toUpperCase()) ? 0 : 2;
}

/** `1234, USD` → `12.34`; `500, JPY` → `500`. */
export function formatMajor(amountMinor: number, currency: string): string {
  return currencyExponent(currency) === 0 ? String(amountMinor) : (amountMinor / 100).toFixed(2);
}

/** `12.34 USD`. */
export function formatMoney(amountMinor: number, currency: string): string {
  return `${formatMajor(amountMinor, currency)} ${currency.toUpperCase()}`;
}

/**
 * What a person typed (`12`, `12.5`, `12,50`) → minor units, or null when it is not an amount.
 * JPY takes whole yen only.
 */
export function parseAmount(text: string, currency: string): number | null {
  const t = text.trim().replace(',', '.');
  const exponent = currencyExponent(currency);
  const pattern = exponent === 0 ? /^\d{1,9}$/ : /^\d{1,9}(\.\d{1,2})?$/;
  if (!pattern.test(t)) return null;
  if (exponent === 0) return Number(t);
  const [whole, frac = ''] = t.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

/** A price as the API takes and gives it (`null`: not for sale). */
export interface Price {
  amountMinor: number;
  currency: string;
  payWhatYouWant: boolean;
}

/** The three ways an artist offers a track or release (the price fields' `priceMode`). */
export type PriceMode = 'none' | 'fixed' | 'pwyw';

export const priceModeOf = (price: Price | null): PriceMode =>
  price === null ? 'none' : price.payWhatYouWant ? 'pwyw' : 'fixed';

/**
 * The price fields as typed (`priceMode`, `priceAmount`, `priceCurrency`) → what the API takes,
 * or the field and sentence to show when they cannot be read. The API checks the rest (a known
 * ISO 4217 code, the highest amount).
 */
export function readPrice(
  mode: string,
  amountText: string,
  currencyText: string,
): { price: Price | null } | { field: 'priceAmount' | 'priceCurrency'; message: string } {
  if (mode !== 'fixed' && mode !== 'pwyw') return { price: null };
  const currency = currencyText.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency))
    return { field: 'priceCurrency', message: 'A currency is a three-letter code such as EUR or USD' };
  const text = amountText.trim() === '' && mode === 'pwyw' ? '0' : amountText;
  const amountMinor = parseAmount(text, currency);
  if (amountMinor === null)
    return { field: 'priceAmount', message: `Enter an amount like ${formatMajor(500, currency)}` };
  if (mode === 'fixed' && amountMinor === 0)
    return { field: 'priceAmount', message: 'A fixed price is above 0: choose “Pay what you want” to give it away' };
  return { price: { amountMinor, currency, payWhatYouWant: mode === 'pwyw' } };
}

export const FORMAT_LABELS: Record<string, string> = {
  flac: 'FLAC',
  wav: 'WAV',
  'mp3-320': 'MP3 320',
  'mp3-v0': 'MP3 V0',
  'aac-256': 'AAC 256',
  'opus-160': 'Opus 160',
};

export interface PurchaseOptions {
  price: { amountMinor: number; currency: string; payWhatYouWant: boolean } | null;
  free: boolean;
  buyable: boolean;
  canDownload: boolean;
  own: boolean;
  formats: string[];
  paymentsEnabled: boolean;
}

export type ItemType = 'track' | 'release';

export const commerceApi = {
  purchaseOptions: (type: ItemType, id: string, session?: string) =>
    `/api/v1/${type}s/${encodeURIComponent(id)}/purchase-options${session ? `?session=${encodeURIComponent(session)}` : ''}`,
  download: (type: ItemType, id: string, format: string, session?: string) => {
    const q = new URLSearchParams({ format });
    if (session) q.set('session', session);
    return `/api/v1/${type}s/${encodeURIComponent(id)}/download?${q}`;
  },
  checkout: '/api/v1/checkout',
  session: (id: string) => `/api/v1/checkout/sessions/${encodeURIComponent(id)}`,
  collection: '/api/v1/me/collection',
};
