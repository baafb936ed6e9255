import { chmod, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  FfmpegError,
  ProgressParser,
  TailBuffer,
  reasonFromStderr,
  directLauncher,
  runFfmpeg as runTool,
  runFfprobe as runProbe,
  type FfmpegProgress,
  type ProbeRunOptions,
  type RunOptions,
} from '../src/index.ts';
import { pidAlive, useTempDir } from './helpers.ts';

const INFINITE_SINE = ['-f', 'lavfi', '-i', 'sine=f=440:r=44100', '-f', 'null', '-'];

describe('ProgressParser', () => {
  it('turns out_time_us into a percentage of the known duration, across chunk boundaries', () => {
    const seen: FfmpegProgress[] = [];
    const p = new ProgressParser(10_000, (r) => seen.push(r));
    p.push('bitrate=N/A\nout_time_us=2500000\nout_time_ms=2500000\nspe');
    p.push('ed=41.5x\nprogress=continue\nout_time_us=N/A\nprogress=continue\n');
    p.push('out_time_us=10010000\nspeed=40x\nprogress=end\n');
    expect(seen).toEqual([
      { percent: 25, outTimeMs: 2500, speed: 41.5, done: false },
      { percent: null, outTimeMs: null, speed: null, done: false },
      { percent: 100, outTimeMs: 10010, speed: 40, done: true },
    ]);
  });

  it('gives no percentage without a duration, except 100 at the end', () => {
    const p = new ProgressParser(undefined);
    p.push('out_time_us=1000\nprogress=continue\n');
    expect(p.last?.percent).toBeNull();
    p.push('out_time_us=2000\nprogress=end\n');
    expect(p.last).toMatchObject({ percent: 100, outTimeMs: 2, done: true });
  });
});

describe('TailBuffer and reasonFromStderr', () => {
  it('keeps only the last bytes, starting at a whole line', () => {
    const t = new TailBuffer(32);
    for (let i = 0; i < 100; i++) t.push(Buffer.from(`line ${i}\n`));
    const text = t.toString();
    expect(text.length).toBeLessThanOrEqual(32);
    expect(text.startsWith('line ')).toBe(true);
    expect(text.endsWith('line 99\n')).toBe(true);
  });

  it('handles one chunk larger than the limit', () => {
    const t = new TailBuffer(8);
    t.push(Buffer.from('aaaaaaaaaaaaa\nbbbbb\n'));
    expect(t.toString()).toBe('bbbbb\n');
  });

  it('picks the last meaningful line, without the [ctx @ 0x..] prefix and the input path', () => {
    expect(
      reasonFromStderr("[wav @ 0x5555] no 'data' tag found\n/data/in.wav: Invalid data found when processing input\n"),
    ).toBe('Invalid data found when processing input');
    expect(
      reasonFromStderr(
        '[aac @ 0x55c1] Too many bits per frame\nError while processing the decoded data for stream #0:0\nConversion failed!\n',
      ),
    ).toBe('Too many bits per frame');
    expect(reasonFromStderr('\n\n')).toBeNull();
  });
});

// Every case runs twice: through the process's tool spawner (what the platform uses) and with
// Node's spawn from this process (where the spawner cannot run).
describe.each([
  { how: 'through the tool spawner', launcher: undefined },
  { how: 'started directly', launcher: directLauncher },
])('runFfmpeg / runFfprobe on the real binaries, $how', ({ launcher }) => {
  const runFfmpeg = (args: readonly string[], options: RunOptions) => runTool(args, { ...options, launcher });
  const runFfprobe = (args: readonly string[], options: ProbeRunOptions) => runProbe(args, { ...options, launcher });
  const tmp = useTempDir('runner', { name: 'tone.flac', codecArgs: ['-c:a', 'flac'], seconds: 5 });

  it('reports progress up to 100 % when the duration is known', async () => {
    const seen: FfmpegProgress[] = [];
    const out = await runFfmpeg(['-i', tmp.tone, '-f', 'null', '-'], {
      timeoutMs: 60_000,
      durationMs: 5000,
      onProgress: (p) => seen.push(p),
    });
    expect(seen.at(-1)).toMatchObject({ percent: 100, done: true });
    expect(out.progress?.outTimeMs).toBeCloseTo(5000, -1);
  });

  it('runs the child at the niceness asked for (background steps give way to the transcode)', async () => {
    let nice: number | undefined;
    await runFfmpeg(['-i', tmp.tone, '-f', 'null', '-'], {
      timeoutMs: 60_000,
      niceness: 7,
      onSpawn: (pid) => {
        nice = os.getPriority(pid);
      },
    });
    expect(nice).toBe(7);
  });

  it('streams stdout chunk by chunk to a callback', async () => {
    let bytes = 0;
    let chunks = 0;
    await runFfmpeg(['-i', tmp.tone, '-ac', '1', '-f', 's16le', 'pipe:1'], {
      timeoutMs: 60_000,
      onStdout: (c) => {
        bytes += c.length;
        chunks++;
      },
    });
    expect(bytes).toBe(5 * 44100 * 2);
    expect(chunks).toBeGreaterThan(1);
  });

  it.each([
    {
      name: 'kills the child and rejects with the callback error when the stdout callback throws',
      args: INFINITE_SINE.slice(0, 4).concat(['-f', 's16le', 'pipe:1']),
      timeoutMs: 60_000,
      callback: 'onStdout',
      message: 'consumer gave up',
    },
    {
      name: 'a throwing progress callback kills the child instead of crashing the process',
      args: INFINITE_SINE,
      timeoutMs: 600_000,
      callback: 'onProgress',
      message: 'progress sink broke',
    },
  ] as const)('$name', async ({ args, timeoutMs, callback, message }) => {
    let pid = 0;
    const err = await runFfmpeg([...args], {
      timeoutMs,
      onSpawn: (p) => (pid = p),
      [callback]: () => {
        throw new Error(message);
      },
    }).catch((e: unknown) => e);
    expect((err as Error).message).toBe(message);
    expect(pidAlive(pid)).toBe(false);
  });

  it('rejects (does not throw) on a bad timeout', async () => {
    await expect(runFfmpeg(['-version'], { timeoutMs: 0 })).rejects.toThrow(RangeError);
  });

  it('rejects with a short reason and the exit code when ffmpeg fails', async () => {
    const err = await runFfmpeg(['-i', tmp.file('missing.wav'), '-f', 'null', '-'], { timeoutMs: 60_000 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FfmpegError);
    const e = err as FfmpegError;
    expect(e.kind).toBe('exit');
    expect(e.exitCode).not.toBe(0);
    expect(e.reason).toBe('No such file or directory');
    expect(e.message).toBe('ffmpeg: No such file or directory');
    expect(e.stderrTail).toContain('missing.wav');
  });

  it('kills a run that exceeds its timeout and says so', async () => {
    let pid = 0;
    const err = await runFfmpeg(INFINITE_SINE, { timeoutMs: 300, onSpawn: (p) => (pid = p) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FfmpegError);
    expect(err).toMatchObject({ kind: 'timeout', reason: 'timed out after 300 ms' });
    expect(pid).toBeGreaterThan(0);
    expect(pidAlive(pid)).toBe(false);
  });

  it('escalates to SIGKILL when SIGTERM is not enough', async () => {
    // A stand-in for a stuck ffmpeg: ignores SIGTERM and never ends.
    const stubborn = tmp.file('stubborn.mjs');
    await writeFile(
      stubborn,
      `#!${process.execPath}\nprocess.on('SIGTERM', () => {});\nsetInterval(() => {}, 1000);\n`,
    );
    await chmod(stubborn, 0o755);
    let pid = 0;
    const err = await runFfmpeg([], {
      binary: stubborn,
      timeoutMs: 2000,
      killGraceMs: 300,
      onSpawn: (p) => (pid = p),
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'timeout', signal: 'SIGKILL' });
    expect(pidAlive(pid)).toBe(false);
  });

  it('kills the child when the AbortSignal fires', async () => {
    const ac = new AbortController();
    let pid = 0;
    const running = runFfmpeg(INFINITE_SINE, {
      timeoutMs: 600_000,
      signal: ac.signal,
      onSpawn: (p) => (pid = p),
      onProgress: () => ac.abort(new Error('shutting down')),
    });
    const err = await running.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FfmpegError);
    expect(err).toMatchObject({ kind: 'aborted' });
    expect((err as FfmpegError).cause).toEqual(new Error('shutting down'));
    expect(pid).toBeGreaterThan(0);
    expect(pidAlive(pid)).toBe(false);
  });

  it('does not start when the signal has already fired', async () => {
    let spawned = false;
    const err = await runFfmpeg(INFINITE_SINE, {
      timeoutMs: 1000,
      signal: AbortSignal.abort(),
      onSpawn: () => (spawned = true),
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'aborted' });
    expect(spawned).toBe(false);
  });

  it('reports a missing binary as a spawn failure', async () => {
    const err = await runFfmpeg(['-version'], { timeoutMs: 1000, binary: 'ffmpeg-that-does-not-exist' }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ kind: 'spawn', reason: 'ffmpeg-that-does-not-exist not found (is ffmpeg installed?)' });
  });

  it('collects ffprobe output, bounded', async () => {
    const out = await runFfprobe(['-v', 'error', '-show_format', '-of', 'json', tmp.tone], { timeoutMs: 60_000 });
    expect(JSON.parse(out.stdout).format.format_name).toBe('flac');
    const err = await runFfprobe(['-v', 'error', '-show_format', '-show_streams', '-of', 'json', tmp.tone], {
      timeoutMs: 60_000,
      maxStdoutBytes: 100,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'output-limit' });
  });
});
