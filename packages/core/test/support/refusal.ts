import { expect } from 'vitest';
import { AppError } from '../../src/errors.ts';

/**
 * The whole refusal `fn` throws: status, code, the sentence a person reads and the details a
 * client uses. Fails the test when `fn` throws anything but an AppError, or nothing.
 */
export function refusalOf(fn: () => unknown): Pick<AppError, 'status' | 'code' | 'message' | 'details'> {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    return { status: e.status, code: e.code, message: e.message, details: e.details };
  }
  throw new Error('accepted');
}
