import type { ErrorCode } from './error-codes.ts';

export { ERROR_CODES, ERROR_CODE_LIST, type ErrorCode } from './error-codes.ts';

/**
 * Errors the rules raise. The HTTP layer turns them into `{error: {code, message}}` with the
 * status given here; anything else becomes a 500 whose details only reach the log.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, details?: Record<string, unknown>) =>
  new AppError(400, 'bad_request', message, details);
export const validationFailed = (message: string, details?: Record<string, unknown>) =>
  new AppError(400, 'validation_failed', message, details);
export const unauthorized = (message = 'Sign in to do this') => new AppError(401, 'unauthorized', message);
export const forbidden = (message = 'You are not allowed to do this') => new AppError(403, 'forbidden', message);
export const notFound = (what = 'Resource') => new AppError(404, 'not_found', `${what} not found`);
export const conflict = (code: ErrorCode, message: string, details?: Record<string, unknown>) =>
  new AppError(409, code, message, details);
export const payloadTooLarge = (message: string, details?: Record<string, unknown>) =>
  new AppError(413, 'payload_too_large', message, details);
export const unsupportedMedia = (message: string) => new AppError(415, 'unsupported_media_type', message);
export const unprocessable = (code: ErrorCode, message: string, details?: Record<string, unknown>) =>
  new AppError(422, code, message, details);
