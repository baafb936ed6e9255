import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  findOrphanedTools,
  launchBoundToParent,
  reapOrphanedTools,
  resolveExecutable,
  runFfmpeg,
} from '../src/index.ts';
import { running, tempDir, until } from './helpers.ts';

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe.runIf(process.platform === 'linux')('tools bound to the life of their parent', () => {
  it('starts tools through setpriv --pdeathsig KILL when the system has it', () => {
    const ffmpeg = resolveExecutable('ffmpeg')!;
    expect(ffmpeg).toMatch(/^\//);
    const launch = launchBoundToParent(ffmpeg, ['-version']);
    if (resolveExecutable('setpriv'))
      expect(launch).toEqual({
        command: resolveExecutable('setpriv'),
        args: ['--pdeathsig', 'KILL', '--', ffmpeg, '-version'],
      });
    else expect(launch).toEqual({ command: ffmpeg, args: ['-version'] });
  });

  it.runIf(resolveExecutable('setpriv') !== null)(
    'an encode dies when the process that ran it is SIGKILLed',
    async () => {
      const tmp = await tempDir('pdeathsig');
      cleanups.push(tmp.cleanup);
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', path.join(import.meta.dirname, 'fixtures/encode-forever.ts'), tmp.dir],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      cleanups.push(() => child.kill('SIGKILL'));
      const pid = await new Promise<number>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /pid (\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        child.once('exit', () => reject(new Error(`fixture exited early: ${out}`)));
      });
      expect(running(pid)).toBe(true);
      child.kill('SIGKILL');
      await until(`ffmpeg ${pid} gone after its parent was killed`, () => !running(pid));
    },
  );

  it('finds and kills orphaned tools working under the scratch folder, and only those', async () => {
    const tmp = await tempDir('orphans');
    cleanups.push(tmp.cleanup);
    const scratch = path.join(tmp.dir, 'scratch');
    const elsewhere = path.join(tmp.dir, 'elsewhere');
    // Two orphans (the shell that started them exits at once): one under the scratch folder, one not.
    const started = await new Promise<string>((resolve) => {
      const sh = spawn(
        'sh',
        [
          '-c',
          `mkdir -p ${scratch} ${elsewhere}; for d in ${scratch} ${elsewhere}; do ffmpeg -nostdin -loglevel error -re -f lavfi -i sine=f=440:r=8000 -f wav -y $d/out.wav </dev/null >/dev/null 2>&1 & echo $!; done`,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let out = '';
      sh.stdout.on('data', (d: Buffer) => (out += d.toString()));
      sh.on('exit', () => resolve(out));
    });
    const [orphan, unrelated] = started.trim().split('\n').map(Number) as [number, number];
    cleanups.push(() => process.kill(unrelated, 'SIGKILL'));
    cleanups.push(() => process.kill(orphan, 'SIGKILL'));
    // A live tool of this (Node) process under the same folder is not an orphan.
    const ac = new AbortController();
    let ownPid = 0;
    const own = runFfmpeg(
      ['-re', '-f', 'lavfi', '-i', 'sine=f=440:r=8000', '-f', 'wav', '-y', path.join(scratch, 'own.wav')],
      { timeoutMs: 600_000, signal: ac.signal, onSpawn: (p) => (ownPid = p) },
    ).catch(() => {});
    await until(
      'all three tools running',
      () => ownPid > 0 && running(orphan) && running(unrelated) && running(ownPid),
    );

    expect(findOrphanedTools(scratch).map((o) => o.pid)).toEqual([orphan]);
    expect(reapOrphanedTools(scratch).map((o) => o.pid)).toEqual([orphan]);
    await until('the orphan is gone', () => !running(orphan));
    expect(running(unrelated)).toBe(true);
    expect(running(ownPid)).toBe(true);
    ac.abort();
    await own;
  });
});
