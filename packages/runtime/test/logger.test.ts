import { Writable } from 'node:stream';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';

const db = new PGlite();
afterAll(() => db.close());

function capture() {
  const lines: string[] = [];
  const stream = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  return { lines, logger: createLogger({ logLevel: 'info', logDir: undefined, env: 'test' } as never, 'test', stream) };
}

describe('error logs never carry the values of a failed query', () => {
  it('a real PGlite error (which carries its params) logs message, code and SQL, not the values', async () => {
    await db.exec('create table t (email text unique)');
    await db.query('insert into t values ($1)', ['secret-address@example.test']);
    const err = (await db.query('insert into t values ($1)', ['secret-address@example.test']).then(
      () => null,
      (e: unknown) => e,
    )) as Error & { params?: unknown[] };
    expect(err.params).toEqual(['secret-address@example.test']); // what PGlite attaches
    const wrapped = new Error('request failed', { cause: err });
    const { lines, logger } = capture();
    logger.error({ err }, 'query failed');
    logger.error({ err: wrapped }, 'wrapped');
    logger.flush();
    await new Promise((r) => setImmediate(r));
    const text = lines.join('');
    expect(text).toContain('duplicate key value');
    expect(text).toContain('insert into t values ($1)');
    expect(text).not.toContain('secret-address');
    expect(lines).toHaveLength(2);
  });
});
