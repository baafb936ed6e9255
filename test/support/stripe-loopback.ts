import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/**
 * A loopback server speaking Stripe's wire format for the calls the platform makes (Stripe itself
 * cannot be reached from test machines): form-encoded POST bodies with bracketed keys, Bearer
 * secret key, JSON objects with `object` fields, errors as `{error: {type, code, message}}`.
 *
 *   POST /v1/checkout/sessions, GET /v1/checkout/sessions/:id
 *   POST /v1/accounts, GET /v1/accounts/:id, POST /v1/account_links
 *   POST /v1/refunds, GET /v1/balance (the health check's credential probe)
 *
 * It also hosts a minimal payment page (`session.url` = `<base>/pay/<id>`): submitting it
 * completes the session, POSTs a `checkout.session.completed` event signed with the SDK's
 * `generateTestHeaderString` to `webhookUrl` (when set), and redirects to the success URL — the
 * browser tests buy through it.
 */
export interface LoopbackStripe {
  url: string;
  secretKey: string;
  webhookSecret: string;
  /** Where the pay page delivers its webhook (set once the API's address is known). */
  webhookUrl: string | undefined;
  sessions: Map<string, Record<string, any>>;
  accounts: Map<string, Record<string, any>>;
  refunds: Array<Record<string, any>>;
  /** Every request received: method, path, parsed form body. */
  requests: Array<{ method: string; path: string; body: Record<string, any> }>;
  /** The buyer pays: the session completes; returns the `checkout.session.completed` event. */
  pay(sessionId: string, email?: string): Record<string, any>;
  /** A full Stripe event object of `type` around `object`. */
  event(type: string, object: Record<string, any>, id?: string): Record<string, any>;
  /** `{body, signature}` for an event, signed with the webhook secret (or another) at `timestamp` (unix seconds). */
  sign(
    event: Record<string, any>,
    options?: { timestamp?: number; secret?: string },
  ): { body: string; signature: string };
  /** Signs and POSTs an event to `webhookUrl`; resolves with the response status. */
  deliver(event: Record<string, any>): Promise<number>;
  close(): Promise<void>;
}

/** Parses `a[b][0][c]=1&x=2` into nested objects/arrays, as Stripe reads its form bodies. */
export function parseStripeForm(text: string): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const keys = rawKey.replace(/\]/g, '').split('[');
    let node: any = out;
    keys.forEach((k, i) => {
      const last = i === keys.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(keys[i + 1]!);
      if (last) node[k] = value;
      else node = node[k] ??= nextIsIndex ? [] : {};
    });
  }
  return out;
}

const newId = (prefix: string) => `${prefix}_test_${randomBytes(12).toString('hex')}`;

export async function startLoopbackStripe(
  options: { secretKey?: string; webhookSecret?: string } = {},
): Promise<LoopbackStripe> {
  const secretKey = options.secretKey ?? `sk_test_${randomBytes(12).toString('hex')}`;
  const webhookSecret = options.webhookSecret ?? `whsec_${randomBytes(16).toString('hex')}`;
  const sessions = new Map<string, Record<string, any>>();
  const accounts = new Map<string, Record<string, any>>();
  const refunds: Array<Record<string, any>> = [];
  const requests: LoopbackStripe['requests'] = [];
  const idempotent = new Map<string, { status: number; body: unknown }>();
  let base = '';

  const now = () => Math.floor(Date.now() / 1000);
  const stripeError = (status: number, code: string, message: string, type = 'invalid_request_error') => ({
    status,
    body: { error: { type, code, message } },
  });
  const missing = (what: string, key: string) => stripeError(404, 'resource_missing', `No such ${what}: '${key}'`);

  function route(method: string, path: string, body: Record<string, any>): { status: number; body: unknown } {
    let m: RegExpExecArray | null;
    if (method === 'POST' && path === '/v1/checkout/sessions') {
      const item = body.line_items?.[0];
      const amount = Number(item?.price_data?.unit_amount);
      if (!item || !Number.isInteger(amount) || amount < 1)
        return stripeError(400, 'parameter_invalid_integer', 'Invalid integer: unit_amount');
      if (!body.success_url || !body.cancel_url)
        return stripeError(400, 'parameter_missing', 'Missing required param: success_url.');
      const destination = body.payment_intent_data?.transfer_data?.destination;
      if (destination && !accounts.has(destination)) return missing('account', destination);
      const id = newId('cs');
      const session = {
        id,
        object: 'checkout.session',
        mode: body.mode ?? 'payment',
        status: 'open',
        payment_status: 'unpaid',
        url: `${base}/pay/${id}`,
        success_url: body.success_url,
        cancel_url: body.cancel_url,
        client_reference_id: body.client_reference_id ?? null,
        metadata: body.metadata ?? {},
        customer_email: body.customer_email ?? null,
        customer_details: null,
        amount_subtotal: amount,
        amount_total: amount,
        currency: String(item.price_data.currency).toLowerCase(),
        payment_intent: null,
        payment_intent_data: body.payment_intent_data ?? null,
        line_items_name: item.price_data.product_data?.name ?? '',
        created: now(),
        livemode: false,
      };
      sessions.set(id, session);
      return { status: 200, body: session };
    }
    if (method === 'GET' && (m = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path))) {
      const s = sessions.get(m[1]!);
      return s ? { status: 200, body: s } : missing('checkout.session', m[1]!);
    }
    if (method === 'POST' && path === '/v1/accounts') {
      const account = {
        id: newId('acct'),
        object: 'account',
        type: body.type ?? 'express',
        email: body.email ?? null,
        country: body.country ?? 'US',
        charges_enabled: false,
        payouts_enabled: false,
        details_submitted: false,
        created: now(),
      };
      accounts.set(account.id, account);
      return { status: 200, body: account };
    }
    if (method === 'GET' && (m = /^\/v1\/accounts\/([^/]+)$/.exec(path))) {
      const a = accounts.get(m[1]!);
      return a ? { status: 200, body: a } : missing('account', m[1]!);
    }
    if (method === 'POST' && path === '/v1/account_links') {
      if (!accounts.has(body.account)) return missing('account', String(body.account));
      return {
        status: 200,
        body: { object: 'account_link', url: `${base}/setup/${body.account}`, created: now(), expires_at: now() + 300 },
      };
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const pi = String(body.payment_intent ?? '');
      const session = [...sessions.values()].find((s) => s.payment_intent === pi);
      if (!session) return missing('payment_intent', pi);
      if (refunds.some((r) => r.payment_intent === pi))
        return stripeError(400, 'charge_already_refunded', `Charge for ${pi} has already been refunded.`);
      const refund = {
        id: newId('re'),
        object: 'refund',
        payment_intent: pi,
        amount: session.amount_total,
        currency: session.currency,
        status: 'succeeded',
        created: now(),
      };
      refunds.push(refund);
      return { status: 200, body: refund };
    }
    if (method === 'GET' && path === '/v1/balance') {
      return {
        status: 200,
        body: {
          object: 'balance',
          available: [{ amount: 0, currency: 'usd' }],
          pending: [{ amount: 0, currency: 'usd' }],
          livemode: false,
        },
      };
    }
    return stripeError(404, 'resource_missing', `Unrecognized request URL (${method}: ${path}).`);
  }

  function pay(sessionId: string, email = 'buyer@example.com'): Record<string, any> {
    const s = sessions.get(sessionId);
    if (!s) throw new Error(`No such session ${sessionId}`);
    if (s.status !== 'complete') {
      Object.assign(s, {
        status: 'complete',
        payment_status: 'paid',
        url: null,
        payment_intent: newId('pi'),
        customer_details: { email: s.customer_email ?? email },
      });
    }
    return event('checkout.session.completed', { ...s });
  }

  function event(type: string, object: Record<string, any>, id = newId('evt')): Record<string, any> {
    return {
      id,
      object: 'event',
      api_version: '2026-10-28.endive',
      created: now(),
      type,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: { object },
    };
  }

  function sign(
    ev: Record<string, any>,
    opts: { timestamp?: number; secret?: string } = {},
  ): { body: string; signature: string } {
    const body = JSON.stringify(ev);
    const signature = Stripe.webhooks.generateTestHeaderString({
      payload: body,
      secret: opts.secret ?? webhookSecret,
      timestamp: opts.timestamp ?? now(),
    });
    return { body, signature };
  }

  const loopback: LoopbackStripe = {
    url: '',
    secretKey,
    webhookSecret,
    webhookUrl: undefined,
    sessions,
    accounts,
    refunds,
    requests,
    pay,
    event,
    sign,
    async deliver(ev) {
      if (!loopback.webhookUrl) throw new Error('webhookUrl is not set');
      const { body, signature } = sign(ev);
      const res = await fetch(loopback.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': signature },
        body,
      });
      await res.arrayBuffer();
      return res.status;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  async function payPage(req: IncomingMessage, res: ServerResponse, sessionId: string, text: string): Promise<void> {
    const s = sessions.get(sessionId);
    if (!s) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('No such checkout session');
      return;
    }
    if (req.method === 'GET') {
      const amount = s.currency === 'jpy' ? `${s.amount_total}` : (s.amount_total / 100).toFixed(2);
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(
          `<!doctype html><html lang="en"><head><title>Loopback Stripe Checkout</title></head><body><main><h1>Pay ${amount} ${String(s.currency).toUpperCase()}</h1><p>${escapeHtml(s.line_items_name)}</p>` +
            `<form method="post"><label>Email <input name="email" type="email" value="${escapeHtml(s.customer_email ?? '')}"></label><button type="submit">Pay</button></form></main></body></html>`,
        );
      return;
    }
    const email = new URLSearchParams(text).get('email') || undefined;
    const ev = pay(sessionId, email);
    if (loopback.webhookUrl) await loopback.deliver(ev);
    res.writeHead(303, { location: String(s.success_url).replace('{CHECKOUT_SESSION_ID}', sessionId) }).end();
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        const pm = /^\/pay\/([^/]+)$/.exec(path);
        if (pm) return payPage(req, res, pm[1]!, text);
        const body = parseStripeForm(text);
        requests.push({ method: req.method ?? 'GET', path, body });
        const send = (status: number, payload: unknown) => {
          res
            .writeHead(status, { 'content-type': 'application/json', 'request-id': newId('req') })
            .end(JSON.stringify(payload));
        };
        if (req.headers.authorization !== `Bearer ${secretKey}`) {
          const key = (req.headers.authorization ?? '').replace(/^Bearer /, '');
          return send(401, {
            error: { type: 'invalid_request_error', message: `Invalid API Key provided: ${key.slice(0, 8)}***` },
          });
        }
        const idemKey = req.method === 'POST' ? req.headers['idempotency-key'] : undefined;
        const cacheKey = typeof idemKey === 'string' ? `${path} ${idemKey}` : undefined;
        const cached = cacheKey ? idempotent.get(cacheKey) : undefined;
        if (cached) return send(cached.status, cached.body);
        const result = route(req.method ?? 'GET', path, body);
        if (cacheKey) idempotent.set(cacheKey, result);
        send(result.status, result.body);
      })().catch((err: unknown) => {
        res
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { type: 'api_error', message: String(err) } }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  loopback.url = base;
  return loopback;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The configuration that points the platform's Stripe SDK at `stripe` (and turns buying on). */
export function stripeEnv(stripe: Pick<LoopbackStripe, 'secretKey' | 'webhookSecret' | 'url'>): Record<string, string> {
  return {
    STRIPE_SECRET_KEY: stripe.secretKey,
    STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
    STRIPE_API_URL: stripe.url,
  };
}
