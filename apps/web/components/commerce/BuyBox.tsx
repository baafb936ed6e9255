'use client';

/**
 * The buy box of a track or release page (docs/payments.md): price, a pay-what-you-want amount,
 * an optional email for guests, and "Buy" → Stripe Checkout. Hidden entirely when the site takes
 * no payments and the item is not free; download buttons when the caller may already download.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { apiFetch, describeApiError } from '@/lib/api';
import {
  commerceApi,
  formatMajor,
  formatMoney,
  parseAmount,
  type ItemType,
  type PurchaseOptions,
} from '@/lib/commerce';
import { DownloadButtons } from './DownloadButtons';
import './commerce.css';

export function BuyBox({ type, id, title }: { type: ItemType; id: string; title: string }) {
  const [options, setOptions] = useState<PurchaseOptions | null>(null);
  const [amount, setAmount] = useState('');
  const [email, setEmail] = useState('');
  const [error, setError] = useState('');
  const [sending, setSending] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    apiFetch<PurchaseOptions>(commerceApi.purchaseOptions(type, id), { signal: controller.signal }).then(
      (o) => {
        setOptions(o);
        if (o.price) setAmount(formatMajor(o.price.amountMinor, o.price.currency));
      },
      () => {},
    );
    return () => controller.abort();
  }, [type, id]);

  if (!options || (!options.buyable && !options.canDownload)) return null;
  const price = options.price;

  async function buy(e: FormEvent) {
    e.preventDefault();
    if (!price) return;
    const amountMinor = price.payWhatYouWant ? parseAmount(amount, price.currency) : price.amountMinor;
    if (amountMinor === null) {
      setError(`Enter an amount like ${formatMajor(price.amountMinor || 500, price.currency)}`);
      return;
    }
    if (amountMinor < price.amountMinor) {
      setError(`The minimum is ${formatMoney(price.amountMinor, price.currency)}`);
      return;
    }
    setError('');
    setSending(true);
    try {
      const { url } = await apiFetch<{ url: string }>(commerceApi.checkout, {
        json: {
          item: { type, id },
          amountMinor,
          currency: price.currency,
          ...(email.trim() ? { email: email.trim() } : {}),
        },
      });
      window.location.assign(url);
    } catch (err) {
      setError(describeApiError(err));
      setSending(false);
    }
  }

  return (
    <section className="buy-box" aria-label={`Buy ${title}`} data-testid="buy-box">
      {options.buyable && price && !options.canDownload && (
        <form className="buy-box__form" onSubmit={buy} noValidate>
          <p className="buy-box__price" data-testid="buy-price">
            {price.payWhatYouWant
              ? price.amountMinor > 0
                ? `${formatMoney(price.amountMinor, price.currency)} or more`
                : 'Name your price'
              : formatMoney(price.amountMinor, price.currency)}
          </p>
          {price.payWhatYouWant && (
            <label className="field buy-box__field">
              <span className="field__label">Your price ({price.currency})</span>
              <input
                className="field__input"
                name="amount"
                inputMode="decimal"
                autoComplete="off"
                value={amount}
                onChange={(e) => setAmount(e.target.value)}
                aria-describedby="buy-box-minimum"
              />
              <span id="buy-box-minimum" className="field__hint">
                Minimum {formatMoney(price.amountMinor, price.currency)}
              </span>
            </label>
          )}
          <label className="field buy-box__field">
            <span className="field__label">Email for the receipt (optional when signed in)</span>
            <input
              className="field__input"
              type="email"
              name="email"
              autoComplete="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </label>
          {error && (
            <p className="form__error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="button button--accent buy-box__buy" disabled={sending}>
            {sending ? 'Opening checkout…' : `Buy ${type === 'release' ? 'the release' : 'this track'}`}
          </button>
        </form>
      )}
      {options.canDownload && <DownloadButtons type={type} id={id} formats={options.formats} title={title} />}
    </section>
  );
}
