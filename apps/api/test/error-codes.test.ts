import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, ERROR_CODE_LIST } from '@earshot/core';
import { createTestApi, type TestApi } from '../../../test/support/factories.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/** Every source file that can put an `error.code` on the wire (the web app only reads them). */
async function sourceFiles(): Promise<string[]> {
  const { glob } = await import('node:fs/promises');
  const files: string[] = [];
  for await (const f of glob('{apps/api,apps/worker,apps/embedded,packages/*}/src/**/*.ts', { cwd: ROOT }))
    files.push(f);
  return files;
}

/** The codes a source text throws or sends: `new AppError(<status>, '<code>'`, the factories taking a code, `toErrorBody('<code>'`, `code: '<code>'`. */
function codesIn(text: string): string[] {
  const patterns = [
    /new AppError\(\s*\d{3},\s*'([a-z_]+)'/g,
    /\b(?:conflict|unprocessable|toErrorBody)\(\s*'([a-z_]+)'/g,
    /\bcode: '([a-z_]+)'/g,
    /\[\d{3}, '([a-z_]+)',/g,
    /\b\d{3}: '([a-z_]+)'/g,
  ];
  return patterns.flatMap((p) => [...text.matchAll(p)].map((m) => m[1]!));
}

interface ErrorSchema {
  description?: string;
  properties: { error: { properties: { code: { enum: string[] } } } };
  'x-error-codes': Record<string, string>;
}

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => {
  await api?.close();
});

describe('the catalogue of error codes', () => {
  it('is published in the OpenAPI document: the enum of ErrorResponse.error.code and x-error-codes with their meaning', async () => {
    const doc = (await api.app.inject('/api/docs/json')).json();
    // @fastify/swagger names shared schemas `def-<n>`: find ErrorResponse by its description.
    const schema = Object.values(doc.components.schemas as Record<string, ErrorSchema>).find(
      (s) => s.description === 'Every error response',
    );
    expect(schema?.properties.error.properties.code.enum).toEqual(ERROR_CODE_LIST);
    expect(schema?.['x-error-codes']).toEqual(ERROR_CODES);
  });

  it('lists every code the source throws or sends', async () => {
    const files = await sourceFiles();
    expect(files.length).toBeGreaterThan(50);
    const found = new Map<string, string>();
    for (const file of files)
      for (const code of codesIn(await readFile(path.join(ROOT, file), 'utf8'))) found.set(code, file);
    // The scan sees the codes it must see (so a change of style cannot make it vacuous).
    for (const known of [
      'invalid_audio',
      'email_taken',
      'upgrade_required',
      'range_not_satisfiable',
      'link_expired',
      'invalid_json',
    ])
      expect([...found.keys()]).toContain(known);
    const missing = [...found].filter(([code]) => !(code in ERROR_CODES)).map(([code, file]) => `${code} (${file})`);
    expect(missing).toEqual([]);
  });

  it('has no code that nothing uses', async () => {
    const files = await sourceFiles();
    let all = '';
    for (const file of files)
      if (!file.endsWith('error-codes.ts')) all += await readFile(path.join(ROOT, file), 'utf8');
    const unused = ERROR_CODE_LIST.filter((code) => !all.includes(`'${code}'`));
    expect(unused).toEqual([]);
  });
});
