import { ownsOrAdmin, type Actor } from '../actor.ts';
import type { CoreDeps } from '../deps.ts';
import { downloadGrant } from './access.ts';
import { itemFormats } from './downloads.ts';
import { loadItem, type ItemType } from './items.ts';
import { isFree, type Price } from './pricing.ts';
import type { CommercePorts } from './settings.ts';

export interface PurchaseOptions {
  price: Price | null;
  /** Anyone may download it without paying. */
  free: boolean;
  /** A buy button is shown: a price above 0 (or a free pay-what-you-want item) and payments configured. */
  buyable: boolean;
  /** The caller may download it now (owner, buyer, or free). */
  canDownload: boolean;
  own: boolean;
  /** Its artist or an admin: may retry a download format that failed. */
  canManage: boolean;
  formats: string[];
}

/** What the web's buy box needs for one item and one caller (docs/payments.md). */
export async function getPurchaseOptions(
  deps: Pick<CoreDeps, 'db' | 'clock'> & Pick<CommercePorts, 'payments'>,
  actor: Actor | null,
  type: ItemType,
  id: string,
  sessionId?: string,
): Promise<PurchaseOptions> {
  const item = await loadItem(deps.db, actor, type, id, deps.clock());
  const free = isFree(item.price, item.downloadable);
  const grant = item.tracks.length ? await downloadGrant(deps.db, actor, item, sessionId) : null;
  const own = !!actor && actor.id === item.ownerUserId;
  const price = item.price ? { ...item.price, currency: item.price.currency.toUpperCase() } : null;
  const buyable =
    !own &&
    item.tracks.length > 0 &&
    price !== null &&
    deps.payments !== null &&
    (price.amountMinor > 0 || price.payWhatYouWant);
  return {
    price,
    free,
    buyable,
    canDownload: grant !== null && item.tracks.length > 0,
    own,
    canManage: ownsOrAdmin(actor, item.ownerUserId),
    formats: item.tracks.length ? itemFormats(item) : [],
  };
}
