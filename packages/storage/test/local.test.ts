import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { LocalObjectStore } from '../src/index.ts';
import { objectStoreContract } from './object-store-contract.ts';

let root = '';
afterAll(() => rm(root, { recursive: true, force: true }));

objectStoreContract('local folders', async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'earshot-local-store-'));
  return new LocalObjectStore({ root });
});

it('leaves no temp files after a failed put and never lists its own metadata', async () => {
  expect(await readdir(path.join(root, 'originals', '.tmp'))).toEqual([]);
});
