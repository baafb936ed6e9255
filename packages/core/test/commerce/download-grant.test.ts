/**
 * Who may download what (docs/architecture.md, "Commerce"; docs/payments.md, "Downloads"), on
 * PGlite started from the migrated template: `downloadGrant` (owner and admins, free items, a paid
 * order of the track or of a release holding it — by account, by verified email, by Checkout
 * Session id) and `grantStillHolds`, the check a signed link passes again when it is served (a
 * refund, a takedown, a disabled account, a price set on a free item end it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Insertable, Kysely } from 'kysely';
import { createDatabase, type Database, type DatabaseHandle } from '@earshot/db';
import { migratedPgliteTemplate } from '@earshot/db/testing';
import { downloadGrant } from '../../src/commerce/access.ts';
import { grantStillHolds } from '../../src/commerce/downloads.ts';
import type { SellableItem } from '../../src/commerce/items.ts';
import { addTrack, addTrackVersion } from '../../../../test/support/rows.ts';

const NOW = new Date('2026-07-01T12:00:00Z');
let handle: DatabaseHandle;
let db: Kysely<Database>;

beforeAll(async () => {
  handle = await createDatabase({ pgliteDir: 'memory://', pgliteTemplate: await migratedPgliteTemplate() });
  db = handle.db;
});
afterAll(async () => {
  await handle?.close();
});

let seq = 0;
async function user(fields: Partial<Insertable<Database['users']>> = {}) {
  const handle = `dl${seq++}`;
  const row = await db
    .insertInto('users')
    .values({
      email: `${handle}@example.test`,
      handle,
      display_name: handle,
      role: 'listener',
      password_hash: 'x',
      ...fields,
    })
    .returning(['id', 'role', 'email'])
    .executeTakeFirstOrThrow();
  return row;
}
async function track(ownerId: string, fields: Partial<Insertable<Database['tracks']>> = {}) {
  const t = await addTrack(db, ownerId, `dl-track-${seq++}`, fields);
  const v = await addTrackVersion(db, t.id);
  await db.updateTable('tracks').set({ current_version_id: v.id }).where('id', '=', t.id).execute();
  return t.id;
}
async function release(ownerId: string, trackIds: string[]) {
  const r = await db
    .insertInto('releases')
    .values({ owner_user_id: ownerId, title: 'EP', slug: `ep-${seq++}`, type: 'ep' })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const [position, track_id] of trackIds.entries())
    await db.insertInto('release_tracks').values({ release_id: r.id, position, track_id }).execute();
  return r.id;
}
async function order(fields: Partial<Insertable<Database['orders']>>) {
  const row = await db
    .insertInto('orders')
    .values({ item_type: 'track', amount_minor: 500, currency: 'USD', status: 'paid', ...fields })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
const item = (type: 'track' | 'release', id: string, ownerUserId: string, more: Partial<SellableItem> = {}) =>
  ({
    type,
    id,
    title: 'x',
    ownerUserId,
    ownerName: 'Artist',
    ownerHandle: 'artist',
    ownerStripeAccountId: null,
    ownerChargesEnabled: false,
    price: { amountMinor: 500, currency: 'usd', payWhatYouWant: false },
    downloadable: false,
    releaseDate: null,
    tracks: [],
    ...more,
  }) as SellableItem;
const listener = (u: { id: string }) => ({ id: u.id, role: 'listener' as const });

describe('downloadGrant', () => {
  it('the owner and admins always; anyone when free (price 0, or no price and downloadable)', async () => {
    const artist = await user({ role: 'artist' });
    const admin = await user({ role: 'admin' });
    const stranger = await user();
    const t = item('track', await track(artist.id), artist.id);
    expect(await downloadGrant(db, { id: artist.id, role: 'artist' }, t)).toEqual({ kind: 'owner' });
    expect(await downloadGrant(db, { id: admin.id, role: 'admin' }, t)).toEqual({ kind: 'owner' });
    expect(await downloadGrant(db, listener(stranger), t)).toBeNull();
    expect(await downloadGrant(db, null, t)).toBeNull();
    const zero = { ...t, price: { amountMinor: 0, currency: 'usd', payWhatYouWant: true } };
    expect(await downloadGrant(db, null, zero)).toEqual({ kind: 'free' });
    expect(await downloadGrant(db, null, { ...t, price: null, downloadable: true })).toEqual({ kind: 'free' });
    expect(await downloadGrant(db, null, { ...t, price: null, downloadable: false })).toBeNull();
    // A price wins over the downloadable flag.
    expect(await downloadGrant(db, null, { ...t, downloadable: true })).toBeNull();
  });

  it('a buyer: by account, by verified email of a guest order, or by the Checkout Session id', async () => {
    const artist = await user({ role: 'artist' });
    const buyer = await user();
    const verified = await user({ email: 'Guest.Buyer@example.test', email_verified_at: NOW });
    const unverified = await user({ email: 'other.guest@example.test' });
    const tId = await track(artist.id);
    const t = item('track', tId, artist.id);
    const byAccount = await order({ track_id: tId, buyer_user_id: buyer.id });
    const byEmail = await order({
      track_id: tId,
      buyer_email: 'guest.buyer@EXAMPLE.test',
      stripe_checkout_session_id: 'cs_g',
    });
    await order({ track_id: tId, buyer_email: 'other.guest@example.test' });
    expect(await downloadGrant(db, listener(buyer), t)).toEqual({ kind: 'order', orderId: byAccount });
    expect(await downloadGrant(db, listener(verified), t)).toEqual({ kind: 'order', orderId: byEmail });
    expect(await downloadGrant(db, listener(unverified), t)).toBeNull();
    expect(await downloadGrant(db, null, t, 'cs_g')).toEqual({ kind: 'order', orderId: byEmail });
    expect(await downloadGrant(db, null, t, 'cs_other')).toBeNull();
    expect(await downloadGrant(db, listener(unverified), t, 'cs_g')).toEqual({ kind: 'order', orderId: byEmail });
    // An order with an account is that account's: its email does not grant it to another account.
    const claimed = await user({ email: 'claimed@example.test', email_verified_at: NOW });
    const t2 = await track(artist.id);
    await order({ track_id: t2, buyer_user_id: buyer.id, buyer_email: 'claimed@example.test' });
    expect(await downloadGrant(db, listener(claimed), item('track', t2, artist.id))).toBeNull();
  });

  it('only a paid order of this item: not pending, not refunded, not another track; the first one', async () => {
    const artist = await user({ role: 'artist' });
    const buyer = await user();
    const tId = await track(artist.id);
    const other = await track(artist.id);
    await order({ track_id: tId, buyer_user_id: buyer.id, status: 'pending' });
    await order({ track_id: tId, buyer_user_id: buyer.id, status: 'refunded' });
    await order({ track_id: other, buyer_user_id: buyer.id });
    expect(await downloadGrant(db, listener(buyer), item('track', tId, artist.id))).toBeNull();
    const first = await order({ track_id: tId, buyer_user_id: buyer.id });
    await order({ track_id: tId, buyer_user_id: buyer.id });
    expect(await downloadGrant(db, listener(buyer), item('track', tId, artist.id))).toEqual({
      kind: 'order',
      orderId: first,
    });
  });

  it('a release bought grants its tracks; a track bought does not grant its release', async () => {
    const artist = await user({ role: 'artist' });
    const buyer = await user();
    const [a, b, c] = [await track(artist.id), await track(artist.id), await track(artist.id)];
    const ep = await release(artist.id, [a, b]);
    const bought = await order({ item_type: 'release', release_id: ep, buyer_user_id: buyer.id });
    const grant = { kind: 'order', orderId: bought };
    expect(await downloadGrant(db, listener(buyer), item('release', ep, artist.id))).toEqual(grant);
    expect(await downloadGrant(db, listener(buyer), item('track', a, artist.id))).toEqual(grant);
    expect(await downloadGrant(db, listener(buyer), item('track', b, artist.id))).toEqual(grant);
    expect(await downloadGrant(db, listener(buyer), item('track', c, artist.id))).toBeNull();
    const single = await release(artist.id, [c]);
    const other = await user();
    await order({ track_id: c, buyer_user_id: other.id });
    expect(await downloadGrant(db, listener(other), item('release', single, artist.id))).toBeNull();
    expect(await downloadGrant(db, listener(other), item('track', c, artist.id))).not.toBeNull();
  });
});

describe('grantStillHolds (a signed link, served again)', () => {
  it('an order: while paid and the item not taken down', async () => {
    const artist = await user({ role: 'artist' });
    const buyer = await user();
    const tId = await track(artist.id);
    const t = item('track', tId, artist.id);
    const o = await order({ track_id: tId, buyer_user_id: buyer.id });
    expect(await grantStillHolds(db, t, `o${o}`, NOW)).toBe(true);
    expect(await grantStillHolds(db, t, 'o999999', NOW)).toBe(false);
    await db.updateTable('orders').set({ status: 'refunded', refunded_at: NOW }).where('id', '=', o).execute();
    expect(await grantStillHolds(db, t, `o${o}`, NOW)).toBe(false);
    await db.updateTable('orders').set({ status: 'paid' }).where('id', '=', o).execute();
    await db.updateTable('tracks').set({ taken_down_at: NOW }).where('id', '=', tId).execute();
    expect(await grantStillHolds(db, t, `o${o}`, NOW)).toBe(false);
    // A release's takedown is read from releases; a gone item holds nothing.
    const ep = await release(artist.id, [await track(artist.id)]);
    const r = item('release', ep, artist.id);
    const ro = await order({ item_type: 'release', release_id: ep, buyer_user_id: buyer.id });
    expect(await grantStillHolds(db, r, `o${ro}`, NOW)).toBe(true);
    await db.updateTable('releases').set({ taken_down_at: NOW }).where('id', '=', ep).execute();
    expect(await grantStillHolds(db, r, `o${ro}`, NOW)).toBe(false);
    expect(await grantStillHolds(db, item('track', '999999', artist.id), `o${o}`, NOW)).toBe(false);
  });

  it('the owner or an admin: while the account exists, is not disabled and still owns it (or is admin)', async () => {
    const artist = await user({ role: 'artist' });
    const admin = await user({ role: 'admin' });
    const other = await user({ role: 'artist' });
    const t = item('track', await track(artist.id), artist.id);
    expect(await grantStillHolds(db, t, `u${artist.id}`, NOW)).toBe(true);
    expect(await grantStillHolds(db, t, `u${admin.id}`, NOW)).toBe(true);
    expect(await grantStillHolds(db, t, `u${other.id}`, NOW)).toBe(false);
    expect(await grantStillHolds(db, t, 'u999999', NOW)).toBe(false);
    await db.updateTable('users').set({ disabled_at: NOW }).where('id', '=', artist.id).execute();
    expect(await grantStillHolds(db, t, `u${artist.id}`, NOW)).toBe(false);
  });

  it('free: while the item is still free and visible to anyone', async () => {
    const artist = await user({ role: 'artist' });
    const tId = await track(artist.id, { price_amount_minor: 0, price_currency: 'USD' });
    const t = item('track', tId, artist.id);
    expect(await grantStillHolds(db, t, 'free', NOW)).toBe(true);
    // A price set later ends the free links.
    await db.updateTable('tracks').set({ price_amount_minor: 300 }).where('id', '=', tId).execute();
    expect(await grantStillHolds(db, t, 'free', NOW)).toBe(false);
    const flagged = await track(artist.id, { downloadable: true });
    expect(await grantStillHolds(db, item('track', flagged, artist.id), 'free', NOW)).toBe(true);
    await db.updateTable('tracks').set({ visibility: 'private' }).where('id', '=', flagged).execute();
    expect(await grantStillHolds(db, item('track', flagged, artist.id), 'free', NOW)).toBe(false);
    expect(await grantStillHolds(db, item('track', await track(artist.id), artist.id), 'free', NOW)).toBe(false);
  });
});
