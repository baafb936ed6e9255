import { Type, type TSchema } from 'typebox';

/** Shared response schemas. */
export const ErrorResponse = Type.Object(
  { error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Record(Type.String(), Type.Unknown())) }) },
  { $id: 'ErrorResponse', description: 'Every error response' },
);

export const errorResponses = (...statuses: number[]): Record<number, TSchema> => Object.fromEntries(statuses.map((s) => [s, Type.Ref('ErrorResponse')]));

/**
 * Passwords: the text rule's `secret` kind (controls refused, never normalised); long enough for
 * any passphrase the policy accepts (≤ 256 characters of up to 4 bytes).
 */
export const Password = Type.String({ minLength: 1, maxLength: 1024, 'x-text': 'secret' });

export const Id = Type.String({ pattern: '^[0-9]{1,18}$', description: 'Numeric id, as a string' });
