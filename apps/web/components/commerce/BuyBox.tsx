'use client';

/**
 * The buy box of a track or release page (docs/payments.md): price, a pay-what-you-want amount,
 * an optional email for guests, "share my email with the artist", and "Buy" → Stripe Checkout.
 * Hidden entirely when the site takes no payments and the item is not free; download buttons when
 * the caller may already download. A free item offers to leave an email for the artist.
 */
import { api, ok } from '@/lib/api/client';
import { useResource } from '@/lib/hooks/use-resource';
import { FieldError, useFormSubmit } from '@/lib/hooks/use-form-submit';
import { formatMajor, formatMoney, parseAmount, type ItemType } from '@/lib/commerce';
import { DownloadButtons } from './DownloadButtons';
import './commerce.css';

/** The buy box's (and the free thank-you page's) read: price, who may download, formats. */
export function loadPurchaseOptions(type: ItemType, id: string, signal: AbortSignal) {
  const params = { params: { path: { id } }, signal };
  return ok(
    type === 'track'
      ? api.GET('/api/v1/tracks/{id}/purchase-options', params)
      : api.GET('/api/v1/releases/{id}/purchase-options', params),
  );
}

function startCheckout(body: {
  item: { type: ItemType; id: string };
  amountMinor: number;
  currency: string;
  email?: string;
  emailOptIn?: boolean;
}) {
  return ok(api.POST('/api/v1/checkout', { body }));
}

export function BuyBox({ type, id, title }: { type: ItemType; id: string; title: string }) {
  const resource = useResource(`purchase-options:${type}:${id}`, (signal) => loadPurchaseOptions(type, id, signal));
  const buying = useFormSubmit(['amount', 'email'], { staysPending: true });
  const leaving = useFormSubmit(['email']);

  if (resource.status !== 'ready') return null;
  const options = resource.data;
  if (!options.buyable && !options.canDownload) return null;
  const price = options.price;
  const optInLabel = 'Share my email with the artist (they may write to you about new music)';

  const buy = buying.onSubmit(async (form) => {
    if (!price) return;
    const amountText = String(form.get('amount') ?? '');
    const amountMinor = price.payWhatYouWant ? parseAmount(amountText, price.currency) : price.amountMinor;
    if (amountMinor === null)
      throw new FieldError('amount', `Enter an amount like ${formatMajor(price.amountMinor || 500, price.currency)}`);
    if (amountMinor < price.amountMinor)
      throw new FieldError('amount', `The minimum is ${formatMoney(price.amountMinor, price.currency)}`);
    const email = String(form.get('email') ?? '').trim();
    const { url } = await startCheckout({
      item: { type, id },
      amountMinor,
      currency: price.currency,
      ...(email ? { email } : {}),
      emailOptIn: form.get('emailOptIn') === 'on',
    });
    window.location.assign(url);
  });

  const leaveEmail = leaving.onSubmit(async (form, element) => {
    if (!price) return;
    const email = String(form.get('email') ?? '').trim();
    if (!email) throw new FieldError('email', 'Enter your email address');
    await startCheckout({ item: { type, id }, amountMinor: 0, currency: price.currency, email, emailOptIn: true });
    element.reset();
    return 'Thank you: the artist can now write to you.';
  });

  const errorOf = (s: typeof buying, field: string) => s.errors.fields[field];
  return (
    <section className="buy-box" aria-label={`Buy ${title}`} data-testid="buy-box">
      {options.buyable && price && !options.canDownload && (
        <form className="buy-box__form" onSubmit={buy} noValidate data-hydrated={buying.hydrated ? 'true' : undefined}>
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
                defaultValue={formatMajor(price.amountMinor, price.currency)}
                aria-invalid={errorOf(buying, 'amount') ? true : undefined}
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
              aria-invalid={errorOf(buying, 'email') ? true : undefined}
            />
          </label>
          <label className="buy-box__opt-in">
            <input type="checkbox" name="emailOptIn" /> {optInLabel}
          </label>
          {(errorOf(buying, 'amount') || errorOf(buying, 'email') || buying.errors.form) && (
            <p className="form__error" role="alert">
              {errorOf(buying, 'amount') ?? errorOf(buying, 'email') ?? buying.errors.form}
            </p>
          )}
          <button type="submit" className="button button--accent buy-box__buy" disabled={buying.pending}>
            {buying.busy ? 'Opening checkout…' : `Buy ${type === 'release' ? 'the release' : 'this track'}`}
          </button>
        </form>
      )}
      {options.canDownload && (
        <DownloadButtons type={type} id={id} formats={options.formats} title={title} canRetry={options.canManage} />
      )}
      {options.free && !options.own && price && price.amountMinor === 0 && (
        <form
          className="buy-box__form buy-box__leave-email"
          onSubmit={leaveEmail}
          noValidate
          aria-label="Leave your email for the artist"
        >
          <label className="field buy-box__field">
            <span className="field__label">Your email, for the artist (optional)</span>
            <input
              className="field__input"
              type="email"
              name="email"
              autoComplete="email"
              aria-invalid={leaving.errors.fields.email ? true : undefined}
            />
          </label>
          {(leaving.errors.fields.email || leaving.errors.form) && (
            <p className="form__error" role="alert">
              {leaving.errors.fields.email ?? leaving.errors.form}
            </p>
          )}
          {leaving.done && <p role="status">{leaving.done}</p>}
          <button type="submit" className="button button--ghost" disabled={leaving.pending}>
            Share my email with the artist
          </button>
        </form>
      )}
    </section>
  );
}
