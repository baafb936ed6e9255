import { Type, type TSchema } from 'typebox';
import {
  ADMIN_PAGE_DEFAULT,
  ADMIN_PAGE_MAX,
  BIO_MAX,
  DISPLAY_NAME_MAX,
  EMAIL_MAX,
  ERROR_CODES,
  ERROR_CODE_LIST,
  HANDLE_MAX,
  LIST_LIMIT_DEFAULT,
  LIST_LIMIT_MAX,
  PAGE_LIMIT_DEFAULT,
  PAGE_LIMIT_MAX,
  PASSWORD_MAX_LENGTH,
  PRICE_MAX_MINOR,
} from '@earshot/core';
import { QUEUE_NAMES } from '@earshot/jobs';

/** `t`, or JSON null. */
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** `{items, nextCursor}`: every keyset-paginated list (`nextCursor` is null on the last page). */
export const PageOf = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) });

/** Shared response schemas. `ErrorResponse` publishes the catalogue of error codes and their meaning (`x-error-codes`). */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ enum: ERROR_CODE_LIST, description: 'One of the codes listed in `x-error-codes`' }),
      message: Type.String(),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
  },
  { $id: 'ErrorResponse', description: 'Every error response', 'x-error-codes': ERROR_CODES },
);

export const errorResponses = (...statuses: number[]): Record<number, TSchema> =>
  Object.fromEntries(statuses.map((s) => [s, Type.Ref('ErrorResponse')]));

/**
 * Passwords: the text rule's `secret` kind (controls refused, never normalised); long enough for
 * any passphrase the policy accepts (≤ 256 characters of up to 4 bytes).
 */
export const Password = Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH * 4, 'x-text': 'secret' });

/**
 * A user's fields, bounded by core's limits (core checks them again after normalising, with a
 * message naming the rule). Lookups by handle (`/users/:handle`) stay looser: any string is a 404.
 */
export const Email = Type.String({ minLength: 1, maxLength: EMAIL_MAX });
export const Handle = Type.String({ minLength: 1, maxLength: HANDLE_MAX });
export const DisplayName = Type.String({ maxLength: DISPLAY_NAME_MAX });
export const Bio = Type.String({ maxLength: BIO_MAX, 'x-text': 'multiline' });

export const Id = Type.String({ pattern: '^[0-9]{1,18}$', description: 'Numeric id, as a string' });

/** Route parameters naming one resource by its numeric id (`/…/:id`). */
export const ById = Type.Object({ id: Id });

/**
 * The fields of `?limit=&cursor=` of the community's lists (comments, people, feed, notifications):
 * core's list limits; spread into a route's querystring object beside its own fields.
 */
export const ListQuery = {
  limit: Type.Integer({ minimum: 1, maximum: LIST_LIMIT_MAX, default: LIST_LIMIT_DEFAULT }),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
};

/** `?limit=&cursor=` of keyset-paginated lists (the cursor is opaque; core decodes it). */
export const PageQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: PAGE_LIMIT_MAX, default: PAGE_LIMIT_DEFAULT }),
    cursor: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);

/** A price in a request body (tracks and releases): core checks the currency and the bounds. */
export const PriceBody = Type.Union([
  Type.Object(
    {
      amountMinor: Type.Integer({
        minimum: 0,
        maximum: PRICE_MAX_MINOR,
        description: 'Minor units (cents); the minimum when payWhatYouWant',
      }),
      currency: Type.String({ minLength: 3, maxLength: 3, description: 'ISO 4217, e.g. EUR' }),
      payWhatYouWant: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
  Type.Null(),
]);

/** A time in a reply: ISO 8601, as the presenters write it (`toISOString()`). */
export const DateTime = Type.String({ format: 'date-time' });
export const NullableDate = Nullable(DateTime);

/** A moderator's takedown of an item, as the admin replies show it; spread into the item's object. */
export const TakedownFields = { takenDownAt: NullableDate, takedownReason: Nullable(Type.String()) };

/** `?cursor=&limit=` of the admin lists (users, content, reports, audit); spread beside a route's own fields. */
export const AdminPageQuery = {
  cursor: Type.Optional(Type.String({ maxLength: 20 })),
  limit: Type.Integer({ minimum: 1, maximum: ADMIN_PAGE_MAX, default: ADMIN_PAGE_DEFAULT }),
};

/** The name of a job queue (the jobs registry). */
export const QueueName = Type.Union(QUEUE_NAMES.map((q) => Type.Literal(q)));
