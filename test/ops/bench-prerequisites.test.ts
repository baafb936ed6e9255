import { chmod, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { benchNeeds, checkBenchPrerequisites } from '../../bench/lib/prerequisites.ts';

/**
 * The prerequisite check every benchmark runs first (bench/lib/prerequisites.ts), on a PATH made
 * here: only the commands this test puts there exist. The benchmarks themselves are not run.
 */
let bin: string;
const savedPath = process.env.PATH;

async function tool(name: string, script = 'exit 0'): Promise<void> {
  const file = path.join(bin, name);
  await writeFile(file, `#!/bin/sh\n${script}\n`);
  await chmod(file, 0o755);
}

beforeAll(async () => {
  bin = await mkdtemp(path.join(os.tmpdir(), 'earshot-bench-path-'));
  await symlink('/bin/sh', path.join(bin, 'sh'));
});
afterEach(() => {
  process.env.PATH = savedPath;
});
afterAll(async () => {
  await rm(bin, { recursive: true, force: true });
});

describe('benchmark prerequisites', () => {
  it('names a missing command by the apt package to install, and only what is missing', async () => {
    for (const name of ['nginx', 'ffmpeg', 'ffprobe']) await tool(name);
    process.env.PATH = bin;
    expect(() => checkBenchPrerequisites('streaming', { env: {}, canInstall: false })).toThrow(
      /^missing system packages: wrk — install them \(e\.g\. `sudo apt-get install -y wrk`\)$/,
    );
  });

  it('names each package once (ffmpeg gives ffmpeg and ffprobe)', () => {
    process.env.PATH = bin.replace(/$/, '-nothing-here');
    expect(() => checkBenchPrerequisites('pipeline', { env: {}, canInstall: false })).toThrow(
      /^missing system packages: ffmpeg — /,
    );
  });

  it('does not ask for wrk when the load comes from autocannon', async () => {
    for (const name of ['nginx', 'ffmpeg', 'ffprobe']) await tool(name);
    process.env.PATH = bin;
    expect(() =>
      checkBenchPrerequisites('streaming', { env: { BENCH_CLIENT: 'autocannon' }, canInstall: false }),
    ).not.toThrow();
  });

  it('read-endpoints: PostgreSQL only when DATABASE_URL is set, and then it must answer', async () => {
    process.env.PATH = bin;
    expect(() => checkBenchPrerequisites('read-endpoints', { env: {}, canInstall: false })).not.toThrow();
    expect(() =>
      checkBenchPrerequisites('read-endpoints', {
        env: { DATABASE_URL: 'postgres://127.0.0.1:1/x' },
        canInstall: false,
      }),
    ).toThrow(/postgresql-client/);
    await tool('pg_isready', 'exit 2');
    expect(() =>
      checkBenchPrerequisites('read-endpoints', {
        env: { DATABASE_URL: 'postgres://127.0.0.1:1/x' },
        canInstall: false,
      }),
    ).toThrow(/^PostgreSQL at DATABASE_URL does not answer/);
    await tool('pg_isready', 'exit 0');
    expect(() =>
      checkBenchPrerequisites('read-endpoints', {
        env: { DATABASE_URL: 'postgres://127.0.0.1:1/x' },
        canInstall: false,
      }),
    ).not.toThrow();
  });

  it('every bench under bench/ declares its needs and checks them first', async () => {
    const root = path.resolve(import.meta.dirname, '../../bench');
    const benches = (await readdir(root, { withFileTypes: true }))
      .filter((d) => d.isDirectory() && d.name !== 'lib')
      .map((d) => d.name);
    expect(benches.sort()).toEqual(Object.keys(benchNeeds({})).sort());
    for (const name of benches) {
      const source = await readFile(path.join(root, name, 'run.ts'), 'utf8');
      // First statement of main(), or a top-level statement before the first top-level await
      // (the benches on the shared harness, bench/lib/api-vs-bare.ts).
      const inMain = new RegExp(
        `async function main\\(\\): Promise<void> \\{\\n  ensureBenchPrerequisites\\('${name}'\\);`,
      );
      const topLevel = new RegExp(`^ensureBenchPrerequisites\\('${name}'\\);$`, 'm').exec(source);
      const firstAtTop = topLevel !== null && !/^await /m.test(source.slice(0, topLevel.index));
      expect(inMain.test(source) || firstAtTop, `bench/${name}/run.ts checks its needs before anything else`).toBe(
        true,
      );
    }
  });
});
