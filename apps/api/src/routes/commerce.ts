import { Readable } from 'node:stream';
import { Type } from 'typebox';
import {
  BUYERS_CSV_HEADER,
  buyerCsvLine,
  eachOptedInBuyer,
  listOptedInBuyers,
  getCheckoutSessionView,
  getCollection,
  getPayoutState,
  getPurchaseOptions,
  openSignedDownload,
  receivePaymentWebhook,
  requestDownload,
  startCheckout,
  startPayoutOnboarding,
  type Actor,
  validationFailed,
  type DownloadAnswer,
} from '@earshot/core';
import { DOWNLOAD_FORMATS } from '@earshot/media';
import { currentActor, requireUser } from '../current-user.ts';
import { presentCheckoutSession, presentCollection, presentDownload } from '../presenters/commerce.ts';
import { errorResponses, Id, PageQuery, ById, Nullable } from '../schemas.ts';
import type { Api, RouteDeps } from '../types.ts';
import { endpointsTagged } from '../http/endpoint.ts';

/** Largest webhook body accepted (Stripe events are a few KB). */
const WEBHOOK_MAX_BYTES = 512 * 1024;

const ItemType = Type.Union([Type.Literal('track'), Type.Literal('release')]);
const Format = Type.Union(DOWNLOAD_FORMATS.map((f) => Type.Literal(f)));
const SessionId = Type.String({ pattern: '^cs_[A-Za-z0-9_]{1,250}$' });
const PriceSchema = Type.Union([
  Type.Object({ amountMinor: Type.Integer(), currency: Type.String(), payWhatYouWant: Type.Boolean() }),
  Type.Null(),
]);
const OrderSchema = Type.Object({
  id: Type.String(),
  item: Type.Object({ type: ItemType, id: Nullable(Type.String()), title: Type.String() }),
  amountMinor: Type.Integer(),
  currency: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('paid'), Type.Literal('refunded')]),
  createdAt: Type.String(),
  paidAt: Nullable(Type.String()),
  refundedAt: Nullable(Type.String()),
  refundedMinor: Type.Integer(),
});
const DownloadReady = Type.Object({ url: Type.String(), expiresAt: Type.String() });
const DownloadPreparing = Type.Object({
  status: Type.Literal('preparing'),
  retryAfterSeconds: Type.Integer(),
  ready: Type.Integer(),
  total: Type.Integer(),
});

const endpoint = endpointsTagged('commerce');

/**
 * Commerce (docs/payments.md): checkout, the Stripe webhook, the buyer's collection and the
 * thank-you page's poll, downloads (signed URLs; 202 while formats are made), Stripe Connect payouts.
 */
export function commerceRoutes(app: Api, deps: RouteDeps): void {
  const core = deps.core;

  app.post(
    '/api/v1/checkout',
    {
      ...endpoint(
        'anyone',
        'Starts buying a track or a release: answers the Stripe Checkout URL (or the thank-you page for a free item at 0)',
        {
          body: Type.Object(
            {
              item: Type.Object({ type: ItemType, id: Id }, { additionalProperties: false }),
              // Any JSON number: the amount rule (integer, ≥ minimum, ≤ maximum) is core's, with clear codes.
              amountMinor: Type.Number(),
              currency: Type.String({ minLength: 1, maxLength: 10 }),
              email: Type.Optional(Type.String({ maxLength: 254 })),
              emailOptIn: Type.Optional(Type.Boolean()),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ url: Type.String() }), ...errorResponses(400, 404, 409, 502) },
        },
      ),
      // The app's validator coerces types ("500" → 500, null → 0): an amount must be a real JSON number.
      preValidation: async (request) => {
        const body = request.body as Record<string, unknown> | null | undefined;
        if (body && typeof body === 'object' && typeof body.amountMinor !== 'number')
          throw validationFailed('body.amountMinor must be a number', { field: 'amountMinor' });
      },
    },
    async (request, reply) => {
      const result = await startCheckout(core, currentActor(request), request.body);
      reply.header('cache-control', 'no-store');
      return { url: result.url };
    },
  );

  // The webhook needs the raw bytes Stripe signed: its own scope parses JSON bodies as a Buffer.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WEBHOOK_MAX_BYTES }, (_req, body, done) =>
      done(null, body),
    );
    (scope as unknown as Api).post(
      '/api/v1/stripe/webhook',
      endpoint(
        'public',
        'Stripe webhook: raw body, Stripe-Signature checked (5-minute tolerance), each event id applied once, through the payment-events queue',
        {
          response: {
            200: Type.Object({ received: Type.Literal(true), duplicate: Type.Boolean() }),
            ...errorResponses(400, 409),
          },
        },
      ),
      async (request) => {
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const signature = request.headers['stripe-signature'];
        const result = await receivePaymentWebhook(core, body, typeof signature === 'string' ? signature : undefined);
        return { received: true as const, duplicate: result.duplicate };
      },
    );
  });

  app.get(
    '/api/v1/checkout/sessions/:sessionId',
    // The Checkout Session id is the capability (Stripe puts it in the return URL; the receipt mail has it).
    endpoint(
      'public',
      "The thank-you page's poll: the order of a Checkout Session, pending until Stripe's webhook lands",
      {
        params: Type.Object({ sessionId: SessionId }),
        response: {
          200: Type.Object({ status: Type.String(), order: OrderSchema, formats: Type.Array(Type.String()) }),
          ...errorResponses(400, 404),
        },
      },
    ),
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return presentCheckoutSession(await getCheckoutSessionView(core, request.params.sessionId));
    },
  );

  app.get(
    '/api/v1/me/collection',
    endpoint('signed-in', 'What the account bought or downloaded for free, with formats, and its purchase history', {
      response: {
        200: Type.Object({
          items: Type.Array(
            Type.Object({
              type: ItemType,
              id: Type.String(),
              title: Type.String(),
              artist: Type.String(),
              formats: Type.Array(Type.String()),
              source: Type.String(),
              acquiredAt: Type.String(),
            }),
          ),
          orders: Type.Array(OrderSchema),
        }),
        ...errorResponses(401),
      },
    }),
    async (request, reply) => {
      reply.header('cache-control', 'private, no-store');
      return presentCollection(await getCollection(core, requireUser(request)));
    },
  );

  for (const type of ['track', 'release'] as const) {
    app.get(
      `/api/v1/${type}s/:id/purchase-options`,
      endpoint(
        'anyone',
        `What the buy box shows for a ${type}: price, free, buyable (payments configured), can the caller download it, formats`,
        {
          params: ById,
          querystring: Type.Object({ session: Type.Optional(SessionId) }),
          response: {
            200: Type.Object({
              price: PriceSchema,
              free: Type.Boolean(),
              buyable: Type.Boolean(),
              canDownload: Type.Boolean(),
              own: Type.Boolean(),
              canManage: Type.Boolean(),
              formats: Type.Array(Type.String()),
              paymentsEnabled: Type.Boolean(),
            }),
            ...errorResponses(400, 404),
          },
        },
      ),
      async (request, reply) => {
        reply.header('cache-control', 'private, no-store');
        const options = await getPurchaseOptions(
          core,
          currentActor(request),
          type,
          request.params.id,
          request.query.session,
        );
        return { ...options, paymentsEnabled: core.payments !== null };
      },
    );

    app.get(
      `/api/v1/${type}s/:id/download`,
      endpoint(
        'anyone',
        `A signed, expiring download URL of the ${type}${type === 'release' ? ' (one ZIP)' : ''}: owner, buyer, or anyone when free; 202 with Retry-After while the format is being made; 409 download_failed when it could not be made (its artist or an admin retries with retry=true)`,
        {
          params: ById,
          querystring: Type.Object({
            format: Format,
            session: Type.Optional(SessionId),
            retry: Type.Optional(Type.Boolean({ description: 'Make a failed format again (its artist or an admin)' })),
          }),
          response: { 200: DownloadReady, 202: DownloadPreparing, ...errorResponses(400, 403, 404, 409) },
        },
      ),
      async (request, reply) => {
        const actor: Actor | null = currentActor(request);
        const answer: DownloadAnswer = await requestDownload(core, actor, {
          type,
          id: request.params.id,
          format: request.query.format,
          sessionId: request.query.session,
          retry: request.query.retry === true,
        });
        reply.header('cache-control', 'private, no-store');
        if (answer.status === 'preparing') {
          reply.header('retry-after', String(answer.retryAfterSeconds));
          return reply.status(202).send(answer);
        }
        return presentDownload(answer);
      },
    );
  }

  // Signed download files (both modes: the API streams them; nginx proxies /media/downloads/ here).
  app.get(
    '/media/downloads/:item/:format',
    {
      config: { access: 'public' },
      schema: {
        hide: true,
        params: Type.Object({ item: Type.String({ maxLength: 64 }), format: Type.String({ maxLength: 20 }) }),
        querystring: Type.Object({
          sig: Type.Optional(Type.String({ maxLength: 64 })),
          expires: Type.Optional(Type.String({ maxLength: 20 })),
        }),
      },
    },
    async (request, reply) => {
      const pathname = `/media/downloads/${request.params.item}/${request.params.format}`;
      // 403 missing/wrong signature, 410 expired (AppErrors, answered by the error handler).
      const file = await openSignedDownload(core, pathname, request.query.sig, request.query.expires);
      reply.header('content-type', file.contentType);
      reply.header(
        'content-disposition',
        `attachment; filename="${file.filename.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
      );
      reply.header('cache-control', 'private, no-store');
      reply.header('x-content-type-options', 'nosniff');
      if (file.size !== null) reply.header('content-length', String(file.size));
      return reply.send(file.body);
    },
  );

  const Buyer = Type.Object({
    orderId: Type.String(),
    name: Nullable(Type.String()),
    email: Type.String(),
    item: Type.Object({ type: ItemType, id: Nullable(Type.String()), title: Type.String() }),
    amountMinor: Type.Integer(),
    currency: Type.String(),
    at: Type.String(),
  });

  app.get(
    '/api/v1/me/buyers',
    endpoint(
      'signed-in',
      "The caller's buyers who chose to share their email (name, email, what, when), newest first; never one who did not",
      {
        querystring: PageQuery,
        response: {
          200: Type.Object({ buyers: Type.Array(Buyer), nextCursor: Nullable(Type.String()) }),
          ...errorResponses(400, 401),
        },
      },
    ),
    async (request, reply) => {
      reply.header('cache-control', 'private, no-store');
      const page = await listOptedInBuyers(core, requireUser(request), request.query);
      return { ...page, buyers: page.buyers.map((b) => ({ ...b, at: b.at.toISOString() })) };
    },
  );

  app.get(
    '/api/v1/me/buyers.csv',
    endpoint('signed-in', 'The same list as a CSV file (every opted-in buyer), streamed', {
      produces: ['text/csv'],
      response: {
        200: Type.Unsafe<unknown>({ type: 'string', description: 'text/csv' }),
        ...errorResponses(401),
      },
    }),
    async (request, reply) => {
      const actor = requireUser(request);
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', 'attachment; filename="buyers.csv"');
      reply.header('cache-control', 'private, no-store');
      reply.header('x-content-type-options', 'nosniff');
      const lines = async function* () {
        yield BUYERS_CSV_HEADER;
        for await (const b of eachOptedInBuyer(core, actor)) yield buyerCsvLine(b);
      };
      return reply.send(Readable.from(lines()));
    },
  );

  app.get(
    '/api/v1/me/payouts',
    endpoint({ roles: ['artist', 'admin'] }, "The artist's Stripe Connect payout state", {
      response: {
        200: Type.Object({
          paymentsEnabled: Type.Boolean(),
          connected: Type.Boolean(),
          chargesEnabled: Type.Boolean(),
          payoutsEnabled: Type.Boolean(),
          detailsSubmitted: Type.Boolean(),
        }),
        ...errorResponses(401, 403),
      },
    }),
    async (request, reply) => {
      reply.header('cache-control', 'private, no-store');
      return getPayoutState(core, requireUser(request));
    },
  );

  app.post(
    '/api/v1/me/payouts/onboarding',
    endpoint(
      { roles: ['artist', 'admin'] },
      'A Stripe Connect Express onboarding link for the artist (the account is created on first use)',
      {
        response: {
          200: Type.Object({ url: Type.String(), expiresAt: Type.String() }),
          ...errorResponses(401, 403, 409, 502),
        },
      },
    ),
    async (request) => {
      const link = await startPayoutOnboarding(core, requireUser(request));
      return { url: link.url, expiresAt: link.expiresAt.toISOString() };
    },
  );
}
