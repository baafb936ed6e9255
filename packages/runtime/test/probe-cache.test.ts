import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sharedProbe } from '../src/probe-cache.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-probe-cache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A probe that counts its calls and answers when told to. */
function countingProbe() {
  let calls = 0;
  const waiting: { resolve: (v: string) => void; reject: (e: Error) => void }[] = [];
  const probe = (file: string) => {
    calls++;
    return new Promise<string>((resolve, reject) =>
      waiting.push({ resolve: () => resolve(`probed ${path.basename(file)} #${calls}`), reject }),
    );
  };
  const settle = (err?: Error) => {
    for (const w of waiting.splice(0)) {
      if (err) w.reject(err);
      else w.resolve('');
    }
  };
  return { probe, calls: () => calls, settle };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

/** A file and a shared probe over a counting one. */
async function fixture(name: string, maxEntries?: number) {
  const file = path.join(dir, name);
  await writeFile(file, 'x');
  const p = countingProbe();
  return { file, p, probeOnce: sharedProbe(p.probe, maxEntries) };
}

/** Lets the probe started by `pending` begin, answers it (or fails it with `err`), and hands `pending` back. */
async function answered<T>(pending: Promise<T>, p: ReturnType<typeof countingProbe>, err?: Error): Promise<T> {
  await tick();
  p.settle(err);
  return pending;
}

describe('sharedProbe', () => {
  it('probes a file once for callers that ask at the same time, and again once the file changes', async () => {
    const { file, p, probeOnce } = await fixture('a.flac');
    expect(
      await answered(Promise.all([probeOnce(file), probeOnce(file), probeOnce(file), probeOnce(file)]), p),
    ).toEqual(Array(4).fill('probed a.flac #1'));
    expect(await probeOnce(file)).toBe('probed a.flac #1');
    expect(p.calls()).toBe(1);

    await writeFile(file, 'a different, longer master');
    expect(await answered(probeOnce(file), p)).toBe('probed a.flac #2');
  });

  it('does not keep a failed probe', async () => {
    const { file, p, probeOnce } = await fixture('b.flac');
    await expect(answered(probeOnce(file), p, new Error('ffprobe was killed'))).rejects.toThrow('ffprobe was killed');
    expect(await answered(probeOnce(file), p)).toBe('probed b.flac #2');
  });

  it('lets one caller stop waiting without failing the others', async () => {
    const { file, p, probeOnce } = await fixture('c.flac');
    const cancel = new AbortController();
    const cancelled = probeOnce(file, cancel.signal);
    const other = probeOnce(file, new AbortController().signal);
    await tick();
    cancel.abort(new Error('step cancelled'));
    await expect(cancelled).rejects.toThrow('step cancelled');
    p.settle();
    expect(await other).toBe('probed c.flac #1');
    await expect(probeOnce(file, AbortSignal.abort(new Error('already gone')))).rejects.toThrow('already gone');
  });

  it('keeps at most maxEntries files', async () => {
    const p = countingProbe();
    const probeOnce = sharedProbe(p.probe, 2);
    const files = ['1', '2', '3'].map((n) => path.join(dir, `${n}.wav`));
    for (const f of files) {
      await writeFile(f, f);
      await answered(probeOnce(f), p);
    }
    expect(p.calls()).toBe(3);
    await answered(probeOnce(files[0]!), p);
    expect(p.calls()).toBe(4);
    await probeOnce(files[2]!);
    expect(p.calls()).toBe(4);
  });
});
