export {
  checkOffer,
  isFree,
  platformFee,
  MAX_AMOUNT_MINOR,
  type Price,
  type Offer,
  type CheckedAmount,
} from './pricing.ts';
export { paymentsDisabled, type CommerceSettings, type CommercePorts } from './settings.ts';
export { loadItem, type ItemType, type SellableItem } from './items.ts';
export { downloadGrant, type DownloadGrant } from './access.ts';
export { startCheckout, type CheckoutInput, type CheckoutResult, type CheckoutDeps } from './checkout.ts';
export {
  receivePaymentWebhook,
  applyPaymentEvent,
  type ApplyOutcome,
  type WebhookDeps,
  type ApplyDeps,
} from './webhook.ts';
export {
  requestDownload,
  openSignedDownload,
  makeDownloadFormat,
  itemFormats,
  DOWNLOAD_URL_PREFIX,
  DOWNLOAD_RETRY_AFTER_SECONDS,
  type DownloadAnswer,
  type DownloadEncoder,
  type MakeFormatDeps,
  type OpenedDownload,
} from './downloads.ts';
export {
  getCollection,
  getCheckoutSessionView,
  type Collection,
  type CollectionItem,
  type OrderView,
  type CheckoutSessionView,
} from './collection.ts';
export { getPayoutState, startPayoutOnboarding, type PayoutState } from './payouts.ts';
export { streamZip, zipSafeName, type ZipEntrySource } from './zip-stream.ts';
export { getPurchaseOptions, type PurchaseOptions } from './purchase-options.ts';
export {
  listOptedInBuyers,
  eachOptedInBuyer,
  buyerCsvLine,
  csvField,
  BUYERS_CSV_HEADER,
  type OptedInBuyer,
  type OptedInBuyersPage,
} from './buyers.ts';
