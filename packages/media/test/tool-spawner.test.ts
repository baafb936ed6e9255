import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  directLauncher,
  FfmpegError,
  resolveExecutable,
  runFfmpeg,
  sharedToolLauncher,
  ToolSpawner,
  type ToolLauncher,
  type ToolProcess,
} from '../src/index.ts';
import { running, until } from './helpers.ts';

const onLinux = process.platform === 'linux';
const INFINITE_SINE = ['-f', 'lavfi', '-i', 'sine=f=440:r=44100', '-f', 'null', '-'];
/** 20 s of stereo 48 kHz PCM on stdout: 7.68 MB, many socket buffers' worth. */
const PCM_ARGS = ['-f', 'lavfi', '-i', 'sine=f=440:r=48000:d=20', '-ac', '2', '-f', 's16le', 'pipe:1'];

function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

async function digestOfStdout(launcher: ToolLauncher): Promise<{ bytes: number; sha: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  await runFfmpeg(PCM_ARGS, {
    timeoutMs: 60_000,
    launcher,
    onStdout: (chunk) => {
      bytes += chunk.length;
      hash.update(chunk);
    },
  });
  return { bytes, sha: hash.digest('hex') };
}

function closed(tool: ToolProcess): Promise<{ code: number | null; signal: string | null; spawned: boolean }> {
  let spawned = false;
  tool.once('spawn', () => (spawned = true));
  return new Promise((resolve, reject) => {
    tool.once('error', reject);
    tool.once('close', (code, signal) => resolve({ code, signal, spawned }));
  });
}

describe.runIf(onLinux)('the tool spawner', () => {
  const spawners: ToolSpawner[] = [];
  afterAll(async () => {
    for (const spawner of spawners) await spawner.close();
  });
  const started = async () => {
    const spawner = await ToolSpawner.start();
    spawners.push(spawner);
    return spawner;
  };

  it('is what the runner uses by default: the tools are its children, not this process’s', async () => {
    const launcher = await sharedToolLauncher();
    expect(launcher).toBeInstanceOf(ToolSpawner);
    let parent = 0;
    await runFfmpeg(['-f', 'lavfi', '-i', 'sine=d=1', '-f', 'null', '-'], {
      timeoutMs: 60_000,
      onSpawn: (pid) => (parent = parentOf(pid)),
    });
    expect(parent).not.toBe(process.pid);
    expect(readFileSync(`/proc/${parent}/cmdline`, 'utf8')).toContain('tool-spawner-process.mjs');
    expect(parentOf(parent)).toBe(process.pid);
  });

  it('passes megabytes of stdout through unchanged, as a direct start does', async () => {
    const spawner = await started();
    const through = await digestOfStdout(spawner);
    expect(through).toEqual(await digestOfStdout(directLauncher));
    expect(through.bytes).toBe(20 * 48_000 * 2 * 2);
  });

  it('a kill that arrives before the tool started: it is never started, and the close says so', async () => {
    const spawner = await started();
    const ffmpeg = resolveExecutable('ffmpeg')!;
    const tool = spawner.launch(ffmpeg, ['-nostdin', ...INFINITE_SINE], { fds: [2] });
    const result = closed(tool);
    tool.kill('SIGTERM');
    expect(await result).toEqual({ code: null, signal: 'SIGTERM', spawned: false });
  });

  it('a binary that cannot run is an error event with its code, and the spawner goes on', async () => {
    const spawner = await started();
    const tool = spawner.launch('/nonexistent/ffmpeg', [], { fds: [2] });
    await expect(closed(tool)).rejects.toMatchObject({ code: 'ENOENT' });
    const ffmpeg = resolveExecutable('ffmpeg')!;
    expect(await closed(spawner.launch(ffmpeg, ['-version'], { fds: [1, 2] }))).toMatchObject({ code: 0 });
  });

  it.runIf(resolveExecutable('setpriv') !== null)(
    'when the spawner is SIGKILLed its tools die, the run fails, and the next run gets a new spawner',
    async () => {
      const first = await sharedToolLauncher();
      let toolPid = 0;
      const encoding = runFfmpeg(INFINITE_SINE, { timeoutMs: 600_000, onSpawn: (pid) => (toolPid = pid) });
      await until('the tool runs', () => toolPid > 0);
      process.kill(parentOf(toolPid), 'SIGKILL');
      const err = await encoding.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FfmpegError);
      expect(err).toMatchObject({ kind: 'exit', signal: 'SIGKILL' });
      await until(`ffmpeg ${toolPid} gone with its spawner`, () => !running(toolPid));
      const next = await sharedToolLauncher();
      expect(next).toBeInstanceOf(ToolSpawner);
      expect(next).not.toBe(first);
      await runFfmpeg(['-f', 'lavfi', '-i', 'sine=d=1', '-f', 'null', '-'], { timeoutMs: 60_000 });
    },
  );

  it('close() ends its running tools and removes its socket', async () => {
    const spawner = await started();
    const ffmpeg = resolveExecutable('ffmpeg')!;
    const tool = spawner.launch(ffmpeg, ['-nostdin', ...INFINITE_SINE], { fds: [2] });
    await new Promise((resolve) => tool.once('spawn', resolve));
    const pid = tool.pid!;
    const socketPath = (spawner as unknown as { socketPath: string }).socketPath;
    expect(existsSync(socketPath)).toBe(true);
    const result = closed(tool);
    await spawner.close();
    expect(await result).toMatchObject({ signal: 'SIGKILL' });
    await until(`ffmpeg ${pid} gone with its spawner`, () => !running(pid));
    expect(existsSync(socketPath)).toBe(false);
    await expect(closed(spawner.launch(ffmpeg, ['-version'], { fds: [2] }))).rejects.toThrow(
      /spawner was closed|ended/,
    );
  });
});
