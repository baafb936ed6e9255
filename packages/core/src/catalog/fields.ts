import { validationFailed } from '../errors.ts';
import { cleanText } from '../text/text-input.ts';
import { GENRE_MAX, TAGS_MAX, TAG_MAX } from '../field-limits.ts';
export { GENRE_MAX, TAGS_MAX, TAG_MAX } from '../field-limits.ts';

/**
 * The rules of the catalogue's fields shared by tracks and releases: genre, tags and price
 * (docs/architecture.md, "Catalogue"). Limits are exported for the routes' schemas.
 */

/** 1,000,000.00 in a two-decimal currency: far above any price a person means, far below an int overflow. */
export const PRICE_MAX_MINOR = 100_000_000;

export interface Price {
  amountMinor: number;
  currency: string;
  payWhatYouWant: boolean;
}

/** Genres and tags are kept folded to lower case with single spaces: `/genre/<name>` and `/tag/<name>` find them one way. */
function label(input: string, field: string, max: number): string {
  const value = cleanText(input, field, { trim: true }).toLowerCase().replace(/\s+/g, ' ');
  if (value.length > max)
    throw validationFailed(`${field === 'genre' ? 'A genre' : 'A tag'} is at most ${max} characters`, {
      field,
      reason: 'too_long',
    });
  if (/[#,/\\?]/.test(value))
    throw validationFailed(`${field === 'genre' ? 'A genre' : 'A tag'} cannot contain # , / \\ or ?`, {
      field,
      reason: 'invalid_characters',
    });
  return value;
}

/** `null` or an empty string clears the genre. */
export function normalizeGenre(input: string | null): string | null {
  if (input === null) return null;
  const genre = label(input, 'genre', GENRE_MAX);
  return genre === '' ? null : genre;
}

/** Distinct, non-empty, in the order given; at most TAGS_MAX. */
export function normalizeTags(input: readonly string[]): string[] {
  const tags: string[] = [];
  for (const raw of input) {
    const tag = label(raw, 'tags', TAG_MAX);
    if (tag && !tags.includes(tag)) tags.push(tag);
  }
  if (tags.length > TAGS_MAX) throw validationFailed(`At most ${TAGS_MAX} tags`, { field: 'tags', reason: 'too_many' });
  return tags;
}

let currencies: Set<string> | undefined;
/** ISO 4217 codes as the runtime's ICU knows them (Intl.supportedValuesOf). */
function isCurrency(code: string): boolean {
  currencies ??= new Set(Intl.supportedValuesOf('currency'));
  return currencies.has(code);
}

/**
 * A price in minor units of an ISO 4217 currency; `null` = not for sale. With pay-what-you-want,
 * `amountMinor` is the minimum (0 = free, the buyer may still pay); a fixed price is above 0.
 */
export function normalizePrice(
  input: { amountMinor: number; currency: string; payWhatYouWant?: boolean } | null,
): Price | null {
  if (input === null) return null;
  const { amountMinor } = input;
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0 || amountMinor > PRICE_MAX_MINOR) {
    throw validationFailed(`amountMinor is a whole number of minor units (cents) from 0 to ${PRICE_MAX_MINOR}`, {
      field: 'price.amountMinor',
    });
  }
  const currency = String(input.currency ?? '').toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency) || !isCurrency(currency))
    throw validationFailed('currency is an ISO 4217 code such as EUR or USD', { field: 'price.currency' });
  const payWhatYouWant = input.payWhatYouWant === true;
  if (!payWhatYouWant && amountMinor === 0) {
    throw validationFailed('A fixed price is above 0; for a free download use pay-what-you-want with a minimum of 0', {
      field: 'price.amountMinor',
      reason: 'zero_fixed_price',
    });
  }
  return { amountMinor, currency, payWhatYouWant };
}

/** The row's price columns as a Price (null when not for sale). */
export function priceOf(row: {
  price_amount_minor: number | null;
  price_currency: string | null;
  price_pwyw: boolean | null;
}): Price | null {
  if (row.price_amount_minor === null || row.price_currency === null) return null;
  return { amountMinor: row.price_amount_minor, currency: row.price_currency, payWhatYouWant: row.price_pwyw === true };
}

/** A Price as the row's columns. */
export function priceColumns(price: Price | null): {
  price_amount_minor: number | null;
  price_currency: string | null;
  price_pwyw: boolean;
} {
  return price
    ? { price_amount_minor: price.amountMinor, price_currency: price.currency, price_pwyw: price.payWhatYouWant }
    : { price_amount_minor: null, price_currency: null, price_pwyw: false };
}

/** The columns of a track's catalogue fields (alias `t`), read by every view that shows them. */
export const TRACK_CATALOGUE_COLUMNS = [
  't.genre',
  't.tags',
  't.album',
  't.track_number',
  't.year',
  't.downloadable',
  't.price_amount_minor',
  't.price_currency',
  't.price_pwyw',
] as const;

/** Those columns as a track's views carry them (the studio's rows, the track view). */
export function trackCatalogueFields(
  row: {
    genre: string | null;
    tags: string[] | null;
    album: string | null;
    track_number: number | null;
    year: number | null;
    downloadable: boolean;
  } & Parameters<typeof priceOf>[0],
) {
  return {
    genre: row.genre,
    tags: row.tags ?? [],
    album: row.album,
    trackNumber: row.track_number,
    year: row.year,
    downloadable: row.downloadable,
    price: priceOf(row),
  };
}
