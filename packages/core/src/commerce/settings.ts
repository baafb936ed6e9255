import type { PaymentsGateway } from '@earshot/payments';
import { AppError, conflict } from '../errors.ts';

/** What commerce reads of the configuration (docs/payments.md), built once by the composition root. */
export interface CommerceSettings {
  /** PLATFORM_FEE_PERCENT: the platform's share of a Connect destination charge. */
  platformFeePercent: number;
  /** PAYMENTS_WITHOUT_CONNECT: sales of artists without a connected account go to the platform, or are refused. */
  withoutConnect: 'platform' | 'refuse';
  /** SECURE_LINK_SECRET: signs download URLs (`?sig=&expires=`). */
  secureLinkSecret: string;
  /** Lifetime of a signed download URL (MEDIA_URL_TTL_SECONDS). */
  downloadUrlTtlSeconds: number;
}

export interface CommercePorts {
  /** null = no Stripe keys: buying is off (free downloads still work). */
  payments: PaymentsGateway | null;
  commerce: CommerceSettings;
}

export const paymentsDisabled = () =>
  conflict('payments_disabled', 'Buying is not available on this site (payments are not configured)');
export const artistNotPayable = () => conflict('artist_not_payable', 'This artist cannot take payments yet');
export const ownItem = () => new AppError(400, 'own_item', 'You cannot buy your own music');
export const paymentProviderFailed = () =>
  new AppError(502, 'payment_provider_error', 'The payment provider did not answer; try again in a moment');
