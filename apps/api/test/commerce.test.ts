import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUrl } from '@earshot/core';
import { createTestApi, createUser, type TestApi } from '../../../test/support/factories.ts';
import { signIn } from '../../../test/support/users.ts';
import { sessionFor } from './support/accounts.ts';
import { startLoopbackStripe, stripeEnv, type LoopbackStripe } from '../../../test/support/stripe-loopback.ts';
import { capturingMailer, createRelease, createTrackWithOriginal, priceTrack } from '../../../test/support/commerce.ts';
import { runJob } from '../../../test/support/run-job.ts';

/**
 * Commerce over HTTP (docs/payments.md) on real PostgreSQL, the real Stripe SDK against the
 * loopback Stripe server, real ffmpeg for the download formats.
 */
const run = promisify(execFile);
let stripe: LoopbackStripe;
let api: TestApi;
let tmp: string;
let artist: { token: string; id: string; handle: string };
let buyer: { token: string; id: string; handle: string };
const mailer = capturingMailer();
const auth = (token: string) => ({ authorization: `Bearer ${token}` });
/** A user made in the database with a session (registering through the API counts in the auth rate zone). */
async function quickUser(role: 'listener' | 'artist') {
  const u = await createUser(api.db, role);
  return { id: u.id, handle: u.handle, token: (await sessionFor(api.db, api.t.config, u.id)).token };
}

beforeAll(async () => {
  stripe = await startLoopbackStripe();
  api = await createTestApi({
    infra: {
      database: 'postgres',
      env: { ...stripeEnv(stripe), PLATFORM_FEE_PERCENT: '15' },
    },
  });
  tmp = await mkdtemp(path.join(os.tmpdir(), 'commerce-api-'));
  artist = await signIn(api.app, api.db, 'artist');
  buyer = await signIn(api.app, api.db, 'listener');
});
afterAll(async () => {
  await api?.close();
  await stripe?.close();
  await rm(tmp, { recursive: true, force: true });
});

const checkout = (payload: unknown, headers: Record<string, string> = {}) =>
  api.app.inject({ method: 'POST', url: '/api/v1/checkout', payload: payload as object, headers });
const deliver = (body: string, signature: string) =>
  api.app.inject({
    method: 'POST',
    url: '/api/v1/stripe/webhook',
    payload: body,
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
  });
const jobDeps = () => ({ config: api.t.config, logger: api.t.logger, infra: api.t.infra, mailer });

async function pricedTrack(
  price: { amountMinor: number; currency: string; pwyw?: boolean } | null,
  downloadable = false,
) {
  const t = await createTrackWithOriginal(
    api.db,
    api.t.infra.store,
    tmp,
    artist.id,
    `Song ${Math.random().toString(36).slice(2, 6)}`,
  );
  await priceTrack(api.db, t.id, price, downloadable);
  return t;
}

/** Pays a checkout through the loopback Stripe and lets the webhook job run; returns the session id. */
async function buy(
  itemType: 'track' | 'release',
  id: string,
  amountMinor: number,
  currency: string,
  headers: Record<string, string> = {},
  email?: string,
) {
  const res = await checkout(
    { item: { type: itemType, id }, amountMinor, currency, ...(email ? { email } : {}) },
    headers,
  );
  expect(res.statusCode, res.body).toBe(200);
  const sessionId = new URL(res.json().url).pathname.split('/').pop()!;
  const event = stripe.pay(sessionId);
  const { body, signature } = stripe.sign(event);
  expect((await deliver(body, signature)).statusCode).toBe(200);
  await runJob(jobDeps(), 'payment-events', { eventId: event.id });
  return { sessionId, event };
}

describe('checkout validation', () => {
  it('refuses below-minimum, unknown currency, wrong currency, negative, fractional and absurd amounts with clear 4xx codes', async () => {
    const t = await pricedTrack({ amountMinor: 500, currency: 'usd', pwyw: true });
    const item = { type: 'track', id: t.id };
    const cases: Array<[unknown, number, string]> = [
      [{ item, amountMinor: 499, currency: 'USD' }, 400, 'amount_below_minimum'],
      [{ item, amountMinor: 500, currency: 'XYZ' }, 400, 'unknown_currency'],
      [{ item, amountMinor: 500, currency: 'EUR' }, 400, 'currency_mismatch'],
      [{ item, amountMinor: -500, currency: 'USD' }, 400, 'invalid_amount'],
      [{ item, amountMinor: 500.5, currency: 'USD' }, 400, 'invalid_amount'],
      [{ item, amountMinor: 1e15, currency: 'USD' }, 400, 'amount_too_large'],
      [{ item, amountMinor: '500', currency: 'USD' }, 400, 'validation_failed'],
      [{ item: { type: 'album', id: t.id }, amountMinor: 500, currency: 'USD' }, 400, 'validation_failed'],
      [{ item: { type: 'track', id: '999999999' }, amountMinor: 500, currency: 'USD' }, 404, 'not_found'],
    ];
    for (const [payload, status, code] of cases) {
      const res = await checkout(payload);
      expect({ payload, status: res.statusCode, code: res.json().error?.code }).toEqual({ payload, status, code });
    }
    const before = await api.db.selectFrom('orders').select('id').execute();
    expect(before).toEqual([]);
  });

  it('refuses buying your own track', async () => {
    const t = await pricedTrack({ amountMinor: 500, currency: 'usd' });
    const res = await checkout(
      { item: { type: 'track', id: t.id }, amountMinor: 500, currency: 'USD' },
      auth(artist.token),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('own_item');
  });

  it("takes zero-decimal JPY as whole yen and holds Stripe's minimum charge", async () => {
    const t = await pricedTrack({ amountMinor: 10, currency: 'jpy', pwyw: true });
    const low = await checkout({ item: { type: 'track', id: t.id }, amountMinor: 49, currency: 'JPY' });
    expect(low.json().error.code).toBe('amount_below_stripe_minimum');
    const ok = await checkout({ item: { type: 'track', id: t.id }, amountMinor: 300, currency: 'JPY' });
    expect(ok.statusCode).toBe(200);
    const sent = stripe.requests.filter((r) => r.path === '/v1/checkout/sessions').at(-1)!.body;
    expect(sent.line_items[0].price_data).toMatchObject({ currency: 'jpy', unit_amount: '300' });
  });
});

describe('checkout through the loopback Stripe', () => {
  it('creates a pending order and a Checkout Session for a guest with email, to the platform account without Connect', async () => {
    const t = await pricedTrack({ amountMinor: 700, currency: 'eur', pwyw: true });
    const res = await checkout({
      item: { type: 'track', id: t.id },
      amountMinor: 900,
      currency: 'eur',
      email: 'Guest@Example.com',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().url).toMatch(new RegExp(`^${stripe.url}/pay/cs_`));
    const sessionId = res.json().url.split('/').pop();
    const order = await api.db
      .selectFrom('orders')
      .selectAll()
      .where('stripe_checkout_session_id', '=', sessionId)
      .executeTakeFirstOrThrow();
    expect(order).toMatchObject({
      status: 'pending',
      amount_minor: 900,
      currency: 'EUR',
      buyer_email: 'guest@example.com',
      buyer_user_id: null,
      seller_user_id: artist.id,
      platform_fee_minor: 0,
    });
    const session = stripe.sessions.get(sessionId)!;
    expect(session).toMatchObject({
      customer_email: 'guest@example.com',
      metadata: { order_id: order.id },
      amount_total: 900,
    });
    expect(session.payment_intent_data.transfer_data).toBeUndefined();
  });

  it('makes a destination charge with PLATFORM_FEE_PERCENT when the artist has a connected account', async () => {
    const seller = await signIn(api.app, api.db, 'artist');
    const onboarding = await api.app.inject({
      method: 'POST',
      url: '/api/v1/me/payouts/onboarding',
      headers: auth(seller.token),
    });
    expect(onboarding.statusCode).toBe(200);
    expect(onboarding.json().url).toMatch(`${stripe.url}/setup/acct_`);
    const accountId = (
      await api.db.selectFrom('users').select('stripe_account_id').where('id', '=', seller.id).executeTakeFirstOrThrow()
    ).stripe_account_id!;
    // account.updated (through the webhook and the queue) turns charges and payouts on.
    const event = stripe.event('account.updated', {
      ...stripe.accounts.get(accountId),
      charges_enabled: true,
      payouts_enabled: true,
      details_submitted: true,
    });
    const signed = stripe.sign(event);
    expect((await deliver(signed.body, signed.signature)).statusCode).toBe(200);
    await runJob(jobDeps(), 'payment-events', { eventId: event.id });
    const payouts = await api.app.inject({ url: '/api/v1/me/payouts', headers: auth(seller.token) });
    expect(payouts.json()).toMatchObject({
      paymentsEnabled: true,
      connected: true,
      chargesEnabled: true,
      payoutsEnabled: true,
    });

    const t = await createTrackWithOriginal(api.db, api.t.infra.store, tmp, seller.id, 'Connected');
    await priceTrack(api.db, t.id, { amountMinor: 1000, currency: 'usd' });
    const res = await checkout(
      { item: { type: 'track', id: t.id }, amountMinor: 1000, currency: 'usd' },
      auth(buyer.token),
    );
    expect(res.statusCode).toBe(200);
    const session = stripe.sessions.get(res.json().url.split('/').pop())!;
    expect(session.payment_intent_data).toMatchObject({
      application_fee_amount: '150',
      transfer_data: { destination: accountId },
    });
  });
});

describe('webhook', () => {
  it('refuses a forged signature, a missing one, and a valid one replayed after 6 minutes; nothing is stored', async () => {
    const event = stripe.event('checkout.session.completed', {
      id: 'cs_x',
      object: 'checkout.session',
      metadata: { order_id: '1' },
    });
    const forged = stripe.sign(event, { secret: 'whsec_forged' });
    const forgedRes = await deliver(forged.body, forged.signature);
    expect(forgedRes.statusCode).toBe(400);
    expect(forgedRes.json().error.code).toBe('webhook_signature_invalid');
    const missing = await api.app.inject({
      method: 'POST',
      url: '/api/v1/stripe/webhook',
      payload: forged.body,
      headers: { 'content-type': 'application/json' },
    });
    expect(missing.statusCode).toBe(400);
    const old = stripe.sign(event, { timestamp: Math.floor(Date.now() / 1000) - 360 });
    const oldRes = await deliver(old.body, old.signature);
    expect(oldRes.statusCode).toBe(400);
    expect(oldRes.json().error.code).toBe('webhook_too_old');
    // Re-serialised JSON (what a parser would hand over) no longer matches: the raw body is what counts.
    const good = stripe.sign(event);
    const reformatted = JSON.stringify(JSON.parse(good.body), null, 2);
    expect((await deliver(reformatted, good.signature)).statusCode).toBe(400);
    expect(await api.db.selectFrom('stripe_events').select('id').where('id', '=', event.id).execute()).toEqual([]);
  });

  it('applies the same event once: the order is paid once, one receipt, one sale mail', async () => {
    const t = await pricedTrack({ amountMinor: 500, currency: 'usd' });
    const mailsBefore = mailer.sent.length;
    const { sessionId, event } = await buy('track', t.id, 500, 'usd', {}, 'once@example.com');
    const { body, signature } = stripe.sign(event);
    const again = await deliver(body, signature);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ received: true, duplicate: true });
    await runJob(jobDeps(), 'payment-events', { eventId: event.id });
    const orders = await api.db
      .selectFrom('orders')
      .selectAll()
      .where('stripe_checkout_session_id', '=', sessionId)
      .execute();
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ status: 'paid', stripe_payment_intent_id: expect.stringMatching(/^pi_/) });
    const mails = mailer.sent.slice(mailsBefore);
    const artistEmail = (
      await api.db.selectFrom('users').select('email').where('id', '=', artist.id).executeTakeFirstOrThrow()
    ).email;
    expect(mails.map((m) => m.to)).toEqual(['once@example.com', artistEmail]);
    expect(mails.find((m) => m.to === 'once@example.com')!.text).toContain(`/thanks?session=${sessionId}`);
    const view = await api.app.inject({ url: `/api/v1/checkout/sessions/${sessionId}` });
    expect(view.json()).toMatchObject({ status: 'paid', order: { amountMinor: 500, currency: 'USD' } });
  });

  it('tells the artist of each sale in the app, live and grouped per item and day; the sale mail follows the email preference', async () => {
    const seller = await signIn(api.app, api.db, 'artist');
    const t = await createTrackWithOriginal(api.db, api.t.infra.store, tmp, seller.id, 'Sold Song');
    await priceTrack(api.db, t.id, { amountMinor: 300, currency: 'usd' }, false);
    const releaseId = await createRelease(api.db, seller.id, 'Sold Album', [t.id], {
      amountMinor: 900,
      currency: 'usd',
    });
    const sellerEmail = `${seller.handle}@example.com`;
    const live: unknown[] = [];
    const stop = api.t.infra.progress.subscribe((e) => {
      if (e.type === 'notification' && e.userId === seller.id) live.push(e);
    });
    try {
      const mailsBefore = mailer.sent.length;
      await buy('track', t.id, 300, 'usd', auth(buyer.token));
      await buy('track', t.id, 300, 'usd', {}, 'guest-sale@example.com');
      await buy('release', releaseId, 900, 'usd', {}, 'guest-album@example.com');
      expect(mailer.sent.slice(mailsBefore).filter((m) => m.to === sellerEmail)).toHaveLength(3);
      expect(live).toHaveLength(3);
      expect(live[2]).toMatchObject({ type: 'notification', kind: 'sale', unreadCount: 3 });
      const list = await api.app.inject({ url: '/api/v1/notifications', headers: auth(seller.token) });
      expect(list.statusCode).toBe(200);
      const items = list.json().items;
      // Two buyers of the track (one signed in, one guest) make one group; the album its own.
      expect(items).toHaveLength(2);
      expect(items[0]).toMatchObject({
        type: 'sale',
        count: 1,
        actors: [],
        track: null,
        release: { id: releaseId, title: 'Sold Album', artistHandle: seller.handle },
      });
      expect(items[1]).toMatchObject({
        type: 'sale',
        count: 2,
        actors: [{ handle: buyer.handle }],
        track: { id: t.id, title: 'Sold Song' },
        release: null,
      });
      // The sale mail is the artist's choice; the in-app notification stays.
      const bad = await api.app.inject({
        method: 'PATCH',
        url: '/api/v1/me/notification-settings',
        headers: auth(seller.token),
        payload: { email: { sale: 'yes' } },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBeTruthy();
      const off = await api.app.inject({
        method: 'PATCH',
        url: '/api/v1/me/notification-settings',
        headers: auth(seller.token),
        payload: { email: { sale: false } },
      });
      expect(off.statusCode).toBe(200);
      expect(off.json().email).toMatchObject({ sale: false, follow: true });
      const quietBefore = mailer.sent.length;
      await buy('track', t.id, 300, 'usd', {}, 'quiet@example.com');
      const quiet = mailer.sent.slice(quietBefore);
      expect(quiet.map((m) => m.to)).toEqual(['quiet@example.com']);
      const after = await api.app.inject({ url: '/api/v1/notifications', headers: auth(seller.token) });
      expect(after.json().items[0]).toMatchObject({ type: 'sale', count: 3, track: { id: t.id } });
      expect(after.json().unreadCount).toBe(4);
    } finally {
      stop();
    }
  });

  it('acknowledges an event for an unknown order and changes nothing', async () => {
    const event = stripe.event('checkout.session.completed', {
      id: 'cs_test_nobody',
      object: 'checkout.session',
      status: 'complete',
      payment_status: 'paid',
      metadata: { order_id: '987654321' },
      payment_intent: 'pi_nobody',
      amount_total: 500,
      currency: 'usd',
    });
    const { body, signature } = stripe.sign(event);
    expect((await deliver(body, signature)).statusCode).toBe(200);
    const mailsBefore = mailer.sent.length;
    await runJob(jobDeps(), 'payment-events', { eventId: event.id });
    expect(mailer.sent.length).toBe(mailsBefore);
    const row = await api.db
      .selectFrom('stripe_events')
      .select('applied_at')
      .where('id', '=', event.id)
      .executeTakeFirstOrThrow();
    expect(row.applied_at).not.toBeNull();
    expect(await api.db.selectFrom('orders').select('id').where('id', '=', '987654321').execute()).toEqual([]);
  });
});

describe('downloads', () => {
  it('owner, buyer, anyone for free; others 403; 202 while the format is made; the signed file downloads; tampered 403, expired 410; a refund revokes', async () => {
    const t = await pricedTrack({ amountMinor: 500, currency: 'usd' });
    const url = `/api/v1/tracks/${t.id}/download?format=mp3-v0`;
    expect((await api.app.inject({ url })).statusCode).toBe(403);
    expect((await api.app.inject({ url, headers: auth(buyer.token) })).statusCode).toBe(403);

    await buy('track', t.id, 500, 'usd', auth(buyer.token));
    const preparing = await api.app.inject({ url, headers: auth(buyer.token) });
    expect(preparing.statusCode).toBe(202);
    expect(preparing.headers['retry-after']).toBe('5');
    expect(preparing.json()).toMatchObject({ status: 'preparing', ready: 0, total: 1 });
    await runJob(jobDeps(), 'download-formats', { versionId: t.versionId, format: 'mp3-v0' });
    const ready = await api.app.inject({ url, headers: auth(buyer.token) });
    expect(ready.statusCode).toBe(200);
    const signed = new URL(ready.json().url);
    expect(signed.pathname).toMatch(new RegExp(`^/media/downloads/track-${t.id}-o[0-9]+/mp3-v0$`));
    expect(new Date(ready.json().expiresAt).getTime()).toBeGreaterThan(Date.now());
    const file = await api.app.inject({ url: signed.pathname + signed.search });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('audio/mpeg');
    expect(file.headers['content-disposition']).toMatch(/attachment; filename=".*\.mp3"/);
    await writeFile(path.join(tmp, 'dl.mp3'), file.rawPayload);
    const { stdout } = await run('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'stream=codec_name',
      '-of',
      'csv=p=0',
      path.join(tmp, 'dl.mp3'),
    ]);
    expect(stdout.trim()).toBe('mp3');

    const tampered = new URL(signed);
    tampered.pathname = signed.pathname.replace(/mp3-v0$/, 'wav');
    expect((await api.app.inject({ url: tampered.pathname + tampered.search })).statusCode).toBe(403);
    const expiredPath = signUrl(signed.pathname, 60, api.t.config.media.secureLinkSecret, Date.now() - 3_600_000);
    const expired = await api.app.inject({ url: expiredPath });
    expect(expired.statusCode).toBe(410);
    expect(expired.json().error.code).toBe('link_expired');

    // The owner may always download; the collection lists the purchase.
    expect((await api.app.inject({ url, headers: auth(artist.token) })).statusCode).toBe(200);
    const collection = await api.app.inject({ url: '/api/v1/me/collection', headers: auth(buyer.token) });
    expect(collection.json().items).toContainEqual(
      expect.objectContaining({
        type: 'track',
        id: t.id,
        source: 'purchase',
        formats: expect.arrayContaining(['flac', 'mp3-v0']),
      }),
    );

    // Refund: charge.refunded → the order is refunded and the downloads are gone.
    const order = await api.db
      .selectFrom('orders')
      .select(['stripe_payment_intent_id'])
      .where('track_id', '=', t.id)
      .where('buyer_user_id', '=', buyer.id)
      .executeTakeFirstOrThrow();
    const refundEvent = stripe.event('charge.refunded', {
      id: 'ch_1',
      object: 'charge',
      payment_intent: order.stripe_payment_intent_id,
      amount_refunded: 500,
      refunded: true,
    });
    const r = stripe.sign(refundEvent);
    expect((await deliver(r.body, r.signature)).statusCode).toBe(200);
    await runJob(jobDeps(), 'payment-events', { eventId: refundEvent.id });
    expect((await api.app.inject({ url, headers: auth(buyer.token) })).statusCode).toBe(403);
    const after = await api.app.inject({ url: '/api/v1/me/collection', headers: auth(buyer.token) });
    expect(after.json().items.map((i: { id: string }) => i.id)).not.toContain(t.id);
    expect(after.json().orders).toContainEqual(expect.objectContaining({ status: 'refunded' }));
  });

  it('a buyer keeps the download when the artist makes the track private; others get 404; a takedown ends it', async () => {
    const t = await pricedTrack({ amountMinor: 500, currency: 'usd' });
    const url = `/api/v1/tracks/${t.id}/download?format=mp3-v0`;
    await buy('track', t.id, 500, 'usd', auth(buyer.token));
    await api.db.updateTable('tracks').set({ visibility: 'private' }).where('id', '=', t.id).execute();
    expect((await api.app.inject({ url, headers: auth(buyer.token) })).statusCode).toBe(202);
    expect((await api.app.inject({ url })).statusCode).toBe(404);
    await api.db
      .updateTable('tracks')
      .set({ taken_down_at: new Date(), takedown_reason: 'x' })
      .where('id', '=', t.id)
      .execute();
    expect((await api.app.inject({ url, headers: auth(buyer.token) })).statusCode).toBe(404);
  });

  it('a free item (pay what you want from 0) downloads for anyone; FLAC only from a lossless original', async () => {
    const t = await pricedTrack({ amountMinor: 0, currency: 'usd', pwyw: true });
    await runJob(jobDeps(), 'download-formats', { versionId: t.versionId, format: 'opus-160' });
    expect((await api.app.inject({ url: `/api/v1/tracks/${t.id}/download?format=opus-160` })).statusCode).toBe(200);
    await api.db.updateTable('track_versions').set({ codec: 'mp3' }).where('id', '=', t.versionId).execute();
    const flac = await api.app.inject({ url: `/api/v1/tracks/${t.id}/download?format=flac` });
    expect(flac.statusCode).toBe(400);
    expect(flac.json().error.code).toBe('format_unavailable');
    const options = await api.app.inject({ url: `/api/v1/tracks/${t.id}/purchase-options` });
    expect(options.json()).toMatchObject({
      free: true,
      canDownload: true,
      paymentsEnabled: true,
      formats: ['wav', 'mp3-320', 'mp3-v0', 'aac-256', 'opus-160'],
    });
  });

  it('a bought release downloads as one ZIP holding every track', async () => {
    const tracks = [];
    for (const title of ['First Light', 'Second/Wind', 'Third'])
      tracks.push(await createTrackWithOriginal(api.db, api.t.infra.store, tmp, artist.id, title));
    const releaseId = await createRelease(
      api.db,
      artist.id,
      'Three Songs',
      tracks.map((t) => t.id),
      { amountMinor: 800, currency: 'usd', pwyw: true },
    );
    const guest = 'zip-guest@example.com';
    const { sessionId } = await buy('release', releaseId, 1200, 'usd', {}, guest);
    const url = `/api/v1/releases/${releaseId}/download?format=mp3-320&session=${sessionId}`;
    expect((await api.app.inject({ url: `/api/v1/releases/${releaseId}/download?format=mp3-320` })).statusCode).toBe(
      403,
    );
    expect((await api.app.inject({ url })).statusCode).toBe(202);
    for (const t of tracks) await runJob(jobDeps(), 'download-formats', { versionId: t.versionId, format: 'mp3-320' });
    const ready = await api.app.inject({ url });
    expect(ready.statusCode).toBe(200);
    const signed = new URL(ready.json().url);
    const zip = await api.app.inject({ url: signed.pathname + signed.search });
    expect(zip.statusCode).toBe(200);
    expect(zip.headers['content-type']).toBe('application/zip');
    const file = path.join(tmp, 'release.zip');
    await writeFile(file, zip.rawPayload);
    const { stdout } = await run('unzip', ['-Z1', file]);
    expect(stdout.trim().split('\n')).toEqual(['01 - First Light.mp3', '02 - Second Wind.mp3', '03 - Third.mp3']);
    await run('unzip', ['-tq', file]);
    // A guest who later signs up with a verified address finds it in the collection.
    const account = await createUser(api.db, 'listener', { email: guest });
    const token = (
      await api.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: guest, password: account.password },
      })
    ).json().token;
    const collection = await api.app.inject({ url: '/api/v1/me/collection', headers: auth(token) });
    expect(collection.json().items).toContainEqual(
      expect.objectContaining({ type: 'release', id: releaseId, title: 'Three Songs' }),
    );
  });
});

describe('refunds, revoked links and failed formats', () => {
  const refund = async (paymentIntent: string, amountRefunded: number, full: boolean) => {
    const event = stripe.event('charge.refunded', {
      id: `ch_${Math.random().toString(36).slice(2, 10)}`,
      object: 'charge',
      payment_intent: paymentIntent,
      amount: 500,
      amount_refunded: amountRefunded,
      refunded: full,
    });
    const { body, signature } = stripe.sign(event);
    expect((await deliver(body, signature)).statusCode).toBe(200);
    await runJob(jobDeps(), 'payment-events', { eventId: event.id });
    return { event, body, signature };
  };
  const orderOf = (trackId: string) =>
    api.db
      .selectFrom('orders')
      .select(['id', 'status', 'refunded_minor', 'stripe_payment_intent_id', 'refunded_at'])
      .where('track_id', '=', trackId)
      .where('buyer_user_id', '=', buyer.id)
      .executeTakeFirstOrThrow();
  const fetchSigned = (url: string) => {
    const u = new URL(url);
    return api.app.inject({ url: u.pathname + u.search });
  };

  it('a partial refund records the amount once and keeps access; the full refund ends it, links already handed out included', async () => {
    const t = await pricedTrack({ amountMinor: 500, currency: 'usd' });
    const url = `/api/v1/tracks/${t.id}/download?format=mp3-v0`;
    await buy('track', t.id, 500, 'usd', auth(buyer.token));
    await runJob(jobDeps(), 'download-formats', { versionId: t.versionId, format: 'mp3-v0' });
    const ready = await api.app.inject({ url, headers: auth(buyer.token) });
    expect(ready.statusCode).toBe(200);
    const link = ready.json().url as string;
    const pi = (await orderOf(t.id)).stripe_payment_intent_id!;

    // 2.00 of 5.00 back: recorded, still paid, still downloads.
    const partial = await refund(pi, 200, false);
    expect(await orderOf(t.id)).toMatchObject({ status: 'paid', refunded_minor: 200, refunded_at: null });
    // The same event again is acknowledged and applied once (the amount does not double).
    const again = await deliver(partial.body, partial.signature);
    expect(again.json()).toEqual({ received: true, duplicate: true });
    await runJob(jobDeps(), 'payment-events', { eventId: partial.event.id });
    expect((await orderOf(t.id)).refunded_minor).toBe(200);
    expect((await fetchSigned(link)).statusCode).toBe(200);
    expect((await api.app.inject({ url, headers: auth(buyer.token) })).statusCode).toBe(200);
    const collection = await api.app.inject({ url: '/api/v1/me/collection', headers: auth(buyer.token) });
    expect(collection.json().orders).toContainEqual(
      expect.objectContaining({ status: 'paid', refundedMinor: 200, amountMinor: 500 }),
    );

    // An older event arriving late (a smaller running total) never lowers the amount.
    await refund(pi, 100, false);
    expect((await orderOf(t.id)).refunded_minor).toBe(200);

    // The rest back: refunded, access gone, and the link handed out before stops at once.
    await refund(pi, 500, true);
    expect(await orderOf(t.id)).toMatchObject({ status: 'refunded', refunded_minor: 500 });
    const revoked = await fetchSigned(link);
    expect(revoked.statusCode).toBe(403);
    expect(revoked.json().error.code).toBe('download_revoked');
    expect((await api.app.inject({ url, headers: auth(buyer.token) })).statusCode).toBe(403);
  });

  it('a refund amount Stripe reports as the whole charge ends access even without the refunded flag', async () => {
    const t = await pricedTrack({ amountMinor: 500, currency: 'usd' });
    await buy('track', t.id, 500, 'usd', auth(buyer.token));
    await refund((await orderOf(t.id)).stripe_payment_intent_id!, 500, false);
    expect(await orderOf(t.id)).toMatchObject({ status: 'refunded', refunded_minor: 500 });
  });

  it('hostile refund events: zero, negative, absurd amounts and unknown payment intents change nothing they should not', async () => {
    const t = await pricedTrack({ amountMinor: 500, currency: 'usd' });
    await buy('track', t.id, 500, 'usd', auth(buyer.token));
    const pi = (await orderOf(t.id)).stripe_payment_intent_id!;
    await refund(pi, 0, false);
    await refund(pi, -50, false);
    expect(await orderOf(t.id)).toMatchObject({ status: 'paid', refunded_minor: 0 });
    await refund('pi_nobody_at_all', 500, true);
    expect(await orderOf(t.id)).toMatchObject({ status: 'paid', refunded_minor: 0 });
    // More than was paid is the whole order, never more.
    await refund(pi, 10 ** 12, false);
    expect(await orderOf(t.id)).toMatchObject({ status: 'refunded', refunded_minor: 500 });
  });

  it('a free link stops when the item is no longer free; an owner link when the account is disabled; a forged grant is refused', async () => {
    const t = await pricedTrack({ amountMinor: 0, currency: 'usd', pwyw: true });
    await runJob(jobDeps(), 'download-formats', { versionId: t.versionId, format: 'opus-160' });
    const url = `/api/v1/tracks/${t.id}/download?format=opus-160`;
    const free = await api.app.inject({ url });
    expect(free.statusCode).toBe(200);
    expect(new URL(free.json().url).pathname).toBe(`/media/downloads/track-${t.id}-free/opus-160`);
    const own = await api.app.inject({ url, headers: auth(artist.token) });
    expect(new URL(own.json().url).pathname).toBe(`/media/downloads/track-${t.id}-u${artist.id}/opus-160`);
    expect((await fetchSigned(free.json().url)).statusCode).toBe(200);

    // Another grant named in a signed URL breaks its signature.
    const forged = new URL(free.json().url);
    forged.pathname = `/media/downloads/track-${t.id}-u${artist.id}/opus-160`;
    expect((await api.app.inject({ url: forged.pathname + forged.search })).statusCode).toBe(403);

    await priceTrack(api.db, t.id, { amountMinor: 700, currency: 'usd' });
    const stopped = await fetchSigned(free.json().url);
    expect(stopped.statusCode).toBe(403);
    expect(stopped.json().error.code).toBe('download_revoked');
    expect((await fetchSigned(own.json().url)).statusCode).toBe(200);
    await api.db.updateTable('users').set({ disabled_at: new Date() }).where('id', '=', artist.id).execute();
    try {
      expect((await fetchSigned(own.json().url)).statusCode).toBe(403);
    } finally {
      await api.db.updateTable('users').set({ disabled_at: null }).where('id', '=', artist.id).execute();
    }
  });

  it('a format whose job fails on its last attempt is marked failed: buyers are told so, its artist retries', async () => {
    const t = await pricedTrack({ amountMinor: 500, currency: 'usd' });
    await buy('track', t.id, 500, 'usd', auth(buyer.token));
    const url = `/api/v1/tracks/${t.id}/download?format=aac-256`;
    expect((await api.app.inject({ url, headers: auth(buyer.token) })).statusCode).toBe(202);
    // The stored original is broken: ffmpeg cannot read it.
    const junk = path.join(tmp, 'junk.wav');
    await writeFile(junk, Buffer.from('RIFF not really a wave file at all'));
    const version = await api.db
      .selectFrom('track_versions')
      .select('original_key')
      .where('id', '=', t.versionId)
      .executeTakeFirstOrThrow();
    await api.t.infra.store.putFile('originals', version.original_key!, junk, { contentType: 'audio/wav' });
    const data = { versionId: t.versionId, format: 'aac-256' };
    // Not the last attempt: it stays pending (the queue retries).
    await expect(runJob(jobDeps(), 'download-formats', data, { attempt: 1, maxAttempts: 4 })).rejects.toThrow();
    const pending = await api.db
      .selectFrom('download_files')
      .select(['status'])
      .where('version_id', '=', t.versionId)
      .where('format', '=', 'aac-256')
      .executeTakeFirstOrThrow();
    expect(pending.status).toBe('pending');
    expect((await api.app.inject({ url, headers: auth(buyer.token) })).statusCode).toBe(202);
    // The last attempt fails: marked failed with ffmpeg's reason.
    await expect(runJob(jobDeps(), 'download-formats', data, { attempt: 4, maxAttempts: 4 })).rejects.toThrow();
    const failed = await api.db
      .selectFrom('download_files')
      .select(['status', 'error'])
      .where('version_id', '=', t.versionId)
      .where('format', '=', 'aac-256')
      .executeTakeFirstOrThrow();
    expect(failed.status).toBe('failed');
    expect(failed.error).toBeTruthy();
    expect(failed.error!.length).toBeLessThanOrEqual(500);

    const told = await api.app.inject({ url, headers: auth(buyer.token) });
    expect(told.statusCode).toBe(409);
    expect(told.json().error.code).toBe('download_failed');
    expect(told.json().error.message).toMatch(/could not be made/);
    // A buyer cannot start it again; other formats still work.
    const buyerRetry = await api.app.inject({ url: `${url}&retry=true`, headers: auth(buyer.token) });
    expect(buyerRetry.statusCode).toBe(409);
    expect(
      (await api.app.inject({ url: `/api/v1/tracks/${t.id}/download?format=mp3-v0`, headers: auth(buyer.token) }))
        .statusCode,
    ).toBe(202);
    const options = await api.app.inject({
      url: `/api/v1/tracks/${t.id}/purchase-options`,
      headers: auth(artist.token),
    });
    expect(options.json()).toMatchObject({ canManage: true, own: true });
    const buyerOptions = await api.app.inject({
      url: `/api/v1/tracks/${t.id}/purchase-options`,
      headers: auth(buyer.token),
    });
    expect(buyerOptions.json()).toMatchObject({ canManage: false });
    // Hostile: retry must be a boolean.
    expect((await api.app.inject({ url: `${url}&retry=please`, headers: auth(artist.token) })).statusCode).toBe(400);
    // The artist retries: pending again, queued, and made once the original is fixed.
    const ownerSees = await api.app.inject({ url, headers: auth(artist.token) });
    expect(ownerSees.statusCode).toBe(409);
    expect(ownerSees.json().error.message).toMatch(/Retry/);
    expect((await api.app.inject({ url: `${url}&retry=true`, headers: auth(artist.token) })).statusCode).toBe(202);
    const good = await generateGoodOriginal(version.original_key!);
    expect(good).toBe(true);
    await runJob(jobDeps(), 'download-formats', data, { attempt: 1, maxAttempts: 4 });
    expect((await api.app.inject({ url, headers: auth(buyer.token) })).statusCode).toBe(200);
  });

  async function generateGoodOriginal(key: string): Promise<boolean> {
    const file = path.join(tmp, 'good.wav');
    await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', file]);
    await api.t.infra.store.putFile('originals', key, file, { contentType: 'audio/wav' });
    return true;
  }
});

describe('buyers who share their email', () => {
  it('lists only opted-in buyers of the caller’s own items, newest first, paged; the CSV is safe to open in a spreadsheet', async () => {
    const seller = await quickUser('artist');
    const fan = await quickUser('listener');
    await api.db
      .updateTable('users')
      .set({ display_name: '=HYPERLINK("http://evil.example","x"), Fan' })
      .where('id', '=', fan.id)
      .execute();
    const freeTrack = await createTrackWithOriginal(api.db, api.t.infra.store, tmp, seller.id, 'Free, "Quoted"');
    await priceTrack(api.db, freeTrack.id, { amountMinor: 0, currency: 'usd', pwyw: true });
    const paidTrack = await createTrackWithOriginal(api.db, api.t.infra.store, tmp, seller.id, 'Paid One');
    await priceTrack(api.db, paidTrack.id, { amountMinor: 500, currency: 'usd' });
    const free = (email: string, emailOptIn: boolean) =>
      checkout({ item: { type: 'track', id: freeTrack.id }, amountMinor: 0, currency: 'usd', email, emailOptIn });
    expect((await free('yes@example.com', true)).statusCode).toBe(200);
    expect((await free('no@example.com', false)).statusCode).toBe(200);
    // A signed-in buyer opts in while paying; a guest pays without opting in.
    const optedIn = await checkout(
      { item: { type: 'track', id: paidTrack.id }, amountMinor: 500, currency: 'usd', emailOptIn: true },
      auth(fan.token),
    );
    expect(optedIn.statusCode).toBe(200);
    const paidSession = new URL(optedIn.json().url).pathname.split('/').pop()!;
    const fanEmail = (
      await api.db.selectFrom('users').select('email').where('id', '=', fan.id).executeTakeFirstOrThrow()
    ).email;
    // The email typed into Stripe's form is the one the order keeps.
    const paid = stripe.pay(paidSession, fanEmail);
    const signed = stripe.sign(paid);
    await deliver(signed.body, signed.signature);
    await runJob(jobDeps(), 'payment-events', { eventId: paid.id });
    await buy('track', paidTrack.id, 500, 'usd', {}, 'quiet@example.com');
    // Opted in, but never paid: not a buyer.
    const unpaid = await checkout({
      item: { type: 'track', id: paidTrack.id },
      amountMinor: 500,
      currency: 'usd',
      email: 'left@example.com',
      emailOptIn: true,
    });
    expect(unpaid.statusCode).toBe(200);

    const list = await api.app.inject({ url: '/api/v1/me/buyers', headers: auth(seller.token) });
    expect(list.statusCode).toBe(200);
    expect(list.json().buyers.map((b: { email: string }) => b.email)).toEqual([fanEmail, 'yes@example.com']);
    expect(list.json().buyers[0]).toMatchObject({
      name: '=HYPERLINK("http://evil.example","x"), Fan',
      item: { type: 'track', id: paidTrack.id, title: 'Paid One' },
      amountMinor: 500,
      currency: 'USD',
    });
    expect(list.json().buyers[1]).toMatchObject({ name: null, amountMinor: 0 });
    const first = await api.app.inject({ url: '/api/v1/me/buyers?limit=1', headers: auth(seller.token) });
    expect(first.json().buyers).toHaveLength(1);
    const second = await api.app.inject({
      url: `/api/v1/me/buyers?limit=1&cursor=${first.json().nextCursor}`,
      headers: auth(seller.token),
    });
    expect(second.json().buyers.map((b: { email: string }) => b.email)).toEqual(['yes@example.com']);

    // Nobody else's list holds them.
    for (const other of [artist, fan]) {
      const theirs = await api.app.inject({ url: '/api/v1/me/buyers', headers: auth(other.token) });
      const emails = theirs.json().buyers.map((b: { email: string }) => b.email);
      expect(emails).not.toContain('yes@example.com');
      expect(emails).not.toContain(fanEmail);
    }
    expect((await api.app.inject({ url: '/api/v1/me/buyers' })).statusCode).toBe(401);
    expect((await api.app.inject({ url: '/api/v1/me/buyers.csv' })).statusCode).toBe(401);

    // Hostile paging.
    for (const q of ['cursor=abc', 'cursor=-1', 'limit=0', 'limit=100000', 'cursor=1%27%20or%201=1'])
      expect((await api.app.inject({ url: `/api/v1/me/buyers?${q}`, headers: auth(seller.token) })).statusCode, q).toBe(
        400,
      );

    const csv = await api.app.inject({ url: '/api/v1/me/buyers.csv', headers: auth(seller.token) });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="buyers.csv"');
    const lines = csv.body.split('\r\n');
    expect(lines[0]).toBe('name,email,item type,item,amount,currency,date');
    expect(
      lines[1]!.startsWith(`"'=HYPERLINK(""http://evil.example"",""x""), Fan",${fanEmail},track,Paid One,5.00,USD,`),
    ).toBe(true);
    expect(lines[2]!.startsWith(',yes@example.com,track,"Free, ""Quoted""",0.00,USD,')).toBe(true);
    expect(lines).toHaveLength(4);
    expect(csv.body).not.toContain('no@example.com');
    expect(csv.body).not.toContain('quiet@example.com');
    expect(csv.body).not.toContain('left@example.com');
  });
});

describe('files made before a rename', () => {
  const tagsOf = async (file: string) => {
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format_tags', '-of', 'json', file]);
    const tags = (JSON.parse(stdout) as { format: { tags?: Record<string, string> } }).format.tags ?? {};
    return Object.fromEntries(Object.entries(tags).map(([k, v]) => [k.toLowerCase(), v]));
  };
  const downloadTags = async (trackId: string, versionId: string, token: string) => {
    const url = `/api/v1/tracks/${trackId}/download?format=mp3-v0`;
    const first = await api.app.inject({ url, headers: auth(token) });
    if (first.statusCode === 202) await runJob(jobDeps(), 'download-formats', { versionId, format: 'mp3-v0' });
    const ready = await api.app.inject({ url, headers: auth(token) });
    expect(ready.statusCode, ready.body).toBe(200);
    const signed = new URL(ready.json().url);
    const file = await api.app.inject({ url: signed.pathname + signed.search });
    expect(file.statusCode).toBe(200);
    const out = path.join(tmp, `tags-${trackId}-${Math.random().toString(36).slice(2, 6)}.mp3`);
    await writeFile(out, file.rawPayload);
    return { tags: await tagsOf(out), remade: first.statusCode === 202 };
  };
  const filesOf = (versionId: string) =>
    api.db.selectFrom('download_files').select('format').where('version_id', '=', versionId).execute();

  it('are made again with the new tags when the track, its release or its artist is renamed; other edits keep them', async () => {
    const owner = await quickUser('artist');
    const t = await createTrackWithOriginal(api.db, api.t.infra.store, tmp, owner.id, 'Old Name');
    const other = await createTrackWithOriginal(api.db, api.t.infra.store, tmp, owner.id, 'Untouched');
    const releaseId = await createRelease(api.db, owner.id, 'Old Album', [t.id], null);
    const foreign = await createTrackWithOriginal(api.db, api.t.infra.store, tmp, artist.id, 'Foreign');
    await downloadTags(foreign.id, foreign.versionId, artist.token);
    const before = await downloadTags(t.id, t.versionId, owner.token);
    expect(before).toMatchObject({ remade: true, tags: { title: 'Old Name', album: 'Old Album' } });
    await downloadTags(other.id, other.versionId, owner.token);

    // A description edit keeps the file.
    const patch = (url: string, payload: object) =>
      api.app.inject({ method: 'PATCH', url, payload, headers: auth(owner.token) });
    expect((await patch(`/api/v1/tracks/${t.id}`, { description: 'Liner notes' })).statusCode).toBeLessThan(300);
    expect(await filesOf(t.versionId)).toHaveLength(1);
    expect((await downloadTags(t.id, t.versionId, owner.token)).remade).toBe(false);

    // The track's title.
    expect((await patch(`/api/v1/tracks/${t.id}`, { title: 'New Name' })).statusCode).toBeLessThan(300);
    expect(await filesOf(t.versionId)).toEqual([]);
    expect(await downloadTags(t.id, t.versionId, owner.token)).toMatchObject({
      remade: true,
      tags: { title: 'New Name', album: 'Old Album' },
    });
    // The release's title.
    expect((await patch(`/api/v1/releases/${releaseId}`, { title: 'New Album' })).statusCode).toBeLessThan(300);
    expect(await filesOf(t.versionId)).toEqual([]);
    expect((await downloadTags(t.id, t.versionId, owner.token)).tags).toMatchObject({ album: 'New Album' });
    // The artist's name: every file of theirs.
    const renamed = await patch('/api/v1/me', { displayName: 'Renamed Artist' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(await filesOf(other.versionId)).toEqual([]);
    expect((await downloadTags(t.id, t.versionId, owner.token)).tags).toMatchObject({
      artist: 'Renamed Artist',
      title: 'New Name',
    });
    // Someone else's files are never touched.
    expect(await filesOf(foreign.versionId)).toHaveLength(1);
  });

  it('a rename while the file is being made is not lost: the file is made again with the new tags', async () => {
    const owner = await quickUser('artist');
    const t = await createTrackWithOriginal(api.db, api.t.infra.store, tmp, owner.id, 'Before Rename');
    const url = `/api/v1/tracks/${t.id}/download?format=mp3-v0`;
    expect((await api.app.inject({ url, headers: auth(owner.token) })).statusCode).toBe(202);
    const encodedWith: string[] = [];
    await runJob(jobDeps(), 'download-formats', { versionId: t.versionId, format: 'mp3-v0' }, undefined, (core) => ({
      encodeDownload: async (options, signal) => {
        encodedWith.push(options.tags.title ?? '');
        // The artist renames the track while ffmpeg runs (the edit commits before the file is marked ready).
        if (encodedWith.length === 1) {
          const renamed = await api.app.inject({
            method: 'PATCH',
            url: `/api/v1/tracks/${t.id}`,
            payload: { title: 'After Rename' },
            headers: auth(owner.token),
          });
          expect(renamed.statusCode, renamed.body).toBeLessThan(300);
        }
        await core.encodeDownload(options, signal);
      },
    }));
    expect(encodedWith).toEqual(['Before Rename', 'After Rename']);
    expect(await downloadTags(t.id, t.versionId, owner.token)).toMatchObject({
      remade: false,
      tags: { title: 'After Rename' },
    });
  });
});

describe('without Stripe keys', () => {
  it('buying is off (409 payments_disabled) and free downloads still work', async () => {
    const off = await createTestApi({});
    try {
      const owner = await createUser(off.db, 'artist');
      const store = off.t.infra.store;
      const paid = await createTrackWithOriginal(off.db, store, tmp, owner.id, 'Paid');
      await priceTrack(off.db, paid.id, { amountMinor: 500, currency: 'usd' });
      const res = await off.app.inject({
        method: 'POST',
        url: '/api/v1/checkout',
        payload: { item: { type: 'track', id: paid.id }, amountMinor: 500, currency: 'USD' },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('payments_disabled');
      const options = await off.app.inject({ url: `/api/v1/tracks/${paid.id}/purchase-options` });
      expect(options.json()).toMatchObject({ buyable: false, paymentsEnabled: false });
      const free = await createTrackWithOriginal(off.db, store, tmp, owner.id, 'Free');
      await priceTrack(off.db, free.id, null, true);
      await runJob({ config: off.t.config, logger: off.t.logger, infra: off.t.infra, mailer }, 'download-formats', {
        versionId: free.versionId,
        format: 'wav',
      });
      expect((await off.app.inject({ url: `/api/v1/tracks/${free.id}/download?format=wav` })).statusCode).toBe(200);
      const zero = await off.app.inject({
        method: 'POST',
        url: '/api/v1/checkout',
        payload: { item: { type: 'track', id: free.id }, amountMinor: 0, currency: 'USD' },
      });
      expect(zero.statusCode).toBe(409);
    } finally {
      await off.close();
    }
  });
});
