import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LocalObjectStore, type Bucket, type ObjectStore } from '@earshot/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PUT_CONCURRENCY, storeOutputs } from '../../src/media/store-outputs.ts';

let dir: string;
let store: LocalObjectStore;
const files = [
  'playlist.m3u8',
  ...['64k', '128k'].flatMap((r) => [
    `${r}/index.m3u8`,
    `${r}/init.mp4`,
    ...Array.from({ length: 12 }, (_, i) => `${r}/seg_${String(i + 1).padStart(5, '0')}.m4s`),
  ]),
];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-store-outputs-'));
  for (const rel of files) {
    await mkdir(path.dirname(path.join(dir, 'out', rel)), { recursive: true });
    await writeFile(path.join(dir, 'out', rel), `bytes of ${rel}`);
  }
  store = new LocalObjectStore({ root: path.join(dir, 'store') });
  await store.ensureBuckets();
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The store, recording how many puts run at once and the order they finish in. */
function watched(failOn?: string): { store: ObjectStore; finished: string[]; peak: () => number } {
  let running = 0;
  let peak = 0;
  const finished: string[] = [];
  const proxy = Object.create(store) as ObjectStore;
  proxy.putFile = async (bucket: Bucket, key: string, file, options) => {
    running++;
    peak = Math.max(peak, running);
    try {
      await new Promise((r) => setTimeout(r, 2));
      if (key.endsWith(failOn ?? '\0')) throw new Error(`disk full writing ${key}`);
      return await store.putFile(bucket, key, file, options);
    } finally {
      running--;
      finished.push(key);
    }
  };
  return { store: proxy, finished, peak: () => peak };
}

describe('storeOutputs', () => {
  it('stores every file under the prefix with its content type, several at once, the master last', async () => {
    const w = watched();
    await storeOutputs(w.store, 'transcodes', 'hls/v1/', path.join(dir, 'out'), files, {
      last: 'playlist.m3u8',
      contentType: (rel) => (rel.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : 'video/iso.segment'),
    });
    expect(w.finished).toHaveLength(files.length);
    expect(w.finished.at(-1)).toBe('hls/v1/playlist.m3u8');
    expect(w.peak()).toBe(PUT_CONCURRENCY);
    const listed: string[] = [];
    for await (const o of store.list('transcodes', 'hls/v1/')) listed.push(o.key);
    expect(listed.sort()).toEqual(files.map((f) => `hls/v1/${f}`).sort());
    const head = await store.head('transcodes', 'hls/v1/64k/index.m3u8');
    expect(head?.contentType).toBe('application/vnd.apple.mpegurl');
    const seg = await store.get('transcodes', 'hls/v1/128k/seg_00003.m4s');
    expect(Buffer.concat(await seg.body.toArray()).toString()).toBe('bytes of 128k/seg_00003.m4s');
  });

  it('stops at the first failure, never stores the master, and throws that error', async () => {
    const w = watched('64k/seg_00002.m4s');
    await expect(
      storeOutputs(w.store, 'transcodes', 'hls/v2/', path.join(dir, 'out'), files, { last: 'playlist.m3u8' }),
    ).rejects.toThrow(/disk full writing hls\/v2\/64k\/seg_00002.m4s/);
    expect(await store.head('transcodes', 'hls/v2/playlist.m3u8')).toBeNull();
    // What was in flight settled; nothing new started after the failure.
    expect(w.finished.length).toBeLessThan(files.length - 1);
  });
});
