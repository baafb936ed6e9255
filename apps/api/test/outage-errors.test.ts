import { describe, expect, it } from 'vitest';
import { classifyOutage } from '../src/plugins/error-handler.ts';

const err = (message: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), extra);

describe('classifyOutage: an outage (503 / 507) rather than a bug (500)', () => {
  it('a database, Redis or store that does not answer', () => {
    expect(classifyOutage(err('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED' }))).toBe(
      'dependency_down',
    );
    expect(classifyOutage(err('terminating connection due to administrator command', { code: '57P01' }))).toBe(
      'dependency_down',
    );
    expect(classifyOutage(err('the database system is starting up', { code: '57P03' }))).toBe('dependency_down');
    expect(classifyOutage(err('Connection terminated unexpectedly'))).toBe('dependency_down');
    expect(classifyOutage(err('timeout exceeded when trying to connect'))).toBe('dependency_down');
    expect(
      classifyOutage(
        err(
          'Reached the max retries per request limit (which is 3). Refer to "maxRetriesPerRequest" option for details.',
        ),
      ),
    ).toBe('dependency_down');
    // Wrapped, as the AWS SDK and AggregateErrors carry them.
    expect(classifyOutage(err('upload failed', { cause: err('socket hang up', { code: 'ECONNRESET' }) }))).toBe(
      'dependency_down',
    );
    expect(
      classifyOutage(
        new AggregateError([err('connect ECONNREFUSED ::1:9000', { code: 'ECONNREFUSED' })], 'all failed'),
      ),
    ).toBe('dependency_down');
  });

  it('a full disk, even when a connection error comes with it', () => {
    expect(classifyOutage(err('ENOSPC: no space left on device, write', { code: 'ENOSPC' }))).toBe('disk_full');
    expect(
      classifyOutage(
        err('failed', { cause: err('quota', { code: 'EDQUOT' }), errors: [err('x', { code: 'ECONNRESET' })] }),
      ),
    ).toBe('disk_full');
  });

  it('bugs stay bugs: a SQL error, a TypeError, a constraint violation', () => {
    expect(classifyOutage(err('column "nope" does not exist', { code: '42703' }))).toBeUndefined();
    expect(classifyOutage(err('duplicate key value violates unique constraint', { code: '23505' }))).toBeUndefined();
    expect(classifyOutage(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBeUndefined();
    expect(classifyOutage('a string')).toBeUndefined();
    // A cycle in `cause` does not loop.
    const a = err('a');
    a.cause = a;
    expect(classifyOutage(a)).toBeUndefined();
  });
});
