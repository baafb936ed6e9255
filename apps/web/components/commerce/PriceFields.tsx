'use client';

/**
 * How an artist offers a track or a release (docs/payments.md): not for sale, a fixed price, or pay
 * what you want above a minimum (0: free, the buyer may still pay). Read back with `priceFromForm`.
 */
import { useState } from 'react';
import { FieldError } from '@/lib/hooks/use-form-submit';
import { formatMajor, priceModeOf, readPrice, type Price, type PriceMode } from '@/lib/commerce';
import { Notice } from '@/components/Notice';
import './commerce.css';

/** The form fields these inputs add (for `useFormSubmit`'s field list). */
export const PRICE_FIELDS = ['priceMode', 'priceAmount', 'priceCurrency'] as const;

const MODES: { value: PriceMode; label: string }[] = [
  { value: 'none', label: 'Not for sale' },
  { value: 'fixed', label: 'Fixed price' },
  { value: 'pwyw', label: 'Pay what you want' },
];

export function PriceFields({
  price,
  errors,
  downloadable,
}: {
  price: Price | null;
  errors: Partial<Record<(typeof PRICE_FIELDS)[number], string>>;
  /**
   * A track's "free download" switch (`downloadable`), which counts only when it is not for sale
   * (docs/payments.md): offered under "Not for sale", kept as it is otherwise.
   */
  downloadable?: boolean;
}) {
  const [mode, setMode] = useState<PriceMode>(priceModeOf(price));
  const currency = price?.currency ?? 'EUR';
  return (
    <fieldset className="price-fields" data-testid="price-fields">
      <legend>Price</legend>
      <div className="price-fields__modes">
        {MODES.map((m) => (
          <label key={m.value} className="price-fields__mode">
            <input
              type="radio"
              name="priceMode"
              value={m.value}
              checked={mode === m.value}
              onChange={() => setMode(m.value)}
            />
            {m.label}
          </label>
        ))}
      </div>
      {downloadable !== undefined &&
        (mode === 'none' ? (
          <label className="price-fields__mode">
            <input type="checkbox" name="downloadable" defaultChecked={downloadable} />
            Free download for anyone who can listen
          </label>
        ) : (
          <input type="hidden" name="downloadable" value={downloadable ? 'on' : ''} />
        ))}
      {mode !== 'none' && (
        <div className="price-fields__amount">
          <label>
            {mode === 'pwyw' ? 'Minimum (0: free)' : 'Amount'}
            <input
              name="priceAmount"
              inputMode="decimal"
              defaultValue={price ? formatMajor(price.amountMinor, price.currency) : ''}
              placeholder={mode === 'pwyw' ? '0' : formatMajor(500, currency)}
              aria-invalid={errors.priceAmount ? true : undefined}
            />
            <Notice as="span" className="library-form__error" message={errors.priceAmount} />
          </label>
          <label>
            Currency
            <input
              name="priceCurrency"
              defaultValue={currency}
              maxLength={3}
              autoCapitalize="characters"
              spellCheck={false}
              aria-invalid={errors.priceCurrency ? true : undefined}
            />
            <Notice as="span" className="library-form__error" message={errors.priceCurrency} />
          </label>
        </div>
      )}
    </fieldset>
  );
}

/** The price the fields say (`FieldError` at the field that cannot be read). */
export function priceFromForm(form: FormData): Price | null {
  const read = readPrice(
    String(form.get('priceMode') ?? 'none'),
    String(form.get('priceAmount') ?? ''),
    String(form.get('priceCurrency') ?? ''),
  );
  if ('field' in read) throw new FieldError(read.field, read.message);
  return read.price;
}
