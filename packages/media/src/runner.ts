import os from 'node:os';
import type { Readable } from 'node:stream';
import { launchBoundToParent, resolveExecutable } from './child-lifetime.ts';
import { FfmpegError, type FfmpegFailure } from './errors.ts';
import { ProgressParser, type FfmpegProgress } from './progress.ts';
import { TailBuffer, reasonFromStderr } from './stderr-tail.ts';
import { sharedToolLauncher, type ToolLauncher } from './tool-spawner.ts';

export interface RunOptions {
  /** Hard limit for the whole run. When it fires the child gets SIGTERM, then SIGKILL after `killGraceMs`. */
  timeoutMs: number;
  /** Kills the child the same way when it fires (shutdown, a cancelled job). */
  signal?: AbortSignal;
  /** Called for every `-progress` report (about twice a second, and once at the end). ffmpeg only. */
  onProgress?: (progress: FfmpegProgress) => void;
  /** Duration of the input, to turn `out_time_us` into a percentage. */
  durationMs?: number;
  /** Path of the binary; default `ffmpeg` / `ffprobe` from PATH. */
  binary?: string;
  /** Time between SIGTERM and SIGKILL. Default 2000 ms. */
  killGraceMs?: number;
  /** How much of the end of stderr to keep. Default 16 KiB. */
  stderrTailBytes?: number;
  cwd?: string;
  /**
   * Receives stdout chunk by chunk as ffmpeg writes it (e.g. raw PCM on `pipe:1`), so nothing is
   * buffered whole; ffmpeg waits while the callback runs. If it throws, the child is killed and the
   * run rejects with that error. Without it, stdout goes to /dev/null. ffmpeg only.
   */
  onStdout?: (chunk: Buffer) => void;
  /** Called once the child is running, with its pid. */
  onSpawn?: (pid: number) => void;
  /** A nice value (1–19) for the child: it gets the CPU only when more urgent work leaves some. */
  niceness?: number;
  /** How the tool is started; default the process's tool spawner (tool-spawner.ts). */
  launcher?: ToolLauncher;
}

export interface RunResult {
  /** The end of stderr (at most `stderrTailBytes`). */
  stderrTail: string;
  /** The last `-progress` report (ffmpeg only). */
  progress: FfmpegProgress | null;
}

export interface ProbeRunOptions extends Omit<RunOptions, 'onProgress' | 'durationMs' | 'onStdout'> {
  /** stdout is collected for parsing; more than this is an error. Default 8 MiB. */
  maxStdoutBytes?: number;
}

export interface ProbeRunResult extends RunResult {
  stdout: string;
}

/**
 * Options put in front of every ffmpeg command: no banner, never read stdin (a worker has none;
 * ffmpeg would otherwise take keystrokes or hang on it), no `\r` stats line on stderr, and
 * machine-readable progress on file descriptor 3, which keeps stdout free for data such as PCM.
 */
export const FFMPEG_GLOBAL_ARGS: readonly string[] = ['-hide_banner', '-nostdin', '-nostats', '-progress', 'pipe:3'];
export const FFPROBE_GLOBAL_ARGS: readonly string[] = ['-hide_banner'];

const DEFAULT_KILL_GRACE_MS = 2000;
const DEFAULT_STDERR_TAIL = 16 * 1024;
const DEFAULT_MAX_STDOUT = 8 * 1024 * 1024;

/** Runs ffmpeg with `args` (inputs, filters, outputs; the global options above are added). */
export function runFfmpeg(args: readonly string[], options: RunOptions): Promise<RunResult> {
  return run('ffmpeg', [...FFMPEG_GLOBAL_ARGS, ...args], options, { progress: true }).then(
    ({ stderrTail, progress }) => ({ stderrTail, progress }),
  );
}

/** Runs ffprobe with `args` and collects its stdout (bounded). */
export function runFfprobe(args: readonly string[], options: ProbeRunOptions): Promise<ProbeRunResult> {
  const { maxStdoutBytes = DEFAULT_MAX_STDOUT, ...rest } = options;
  return run('ffprobe', [...FFPROBE_GLOBAL_ARGS, ...args], rest, { progress: false, collectStdout: maxStdoutBytes });
}

interface Mode {
  progress: boolean;
  collectStdout?: number;
}

type Ending = Exclude<FfmpegFailure, 'spawn' | 'exit'> | 'callback';

async function run(tool: string, args: string[], options: RunOptions, mode: Mode): Promise<ProbeRunResult> {
  const launcher = options.launcher ?? (await sharedToolLauncher());
  const {
    timeoutMs,
    signal,
    binary = tool,
    killGraceMs = DEFAULT_KILL_GRACE_MS,
    stderrTailBytes = DEFAULT_STDERR_TAIL,
  } = options;
  return new Promise<ProbeRunResult>((resolve, reject) => {
    if (!(timeoutMs > 0)) throw new RangeError(`timeoutMs must be positive, got ${timeoutMs}`);
    const fail = (
      kind: FfmpegFailure,
      reason: string,
      extra: Partial<{
        exitCode: number | null;
        signal: NodeJS.Signals | null;
        stderrTail: string;
        cause: unknown;
      }> = {},
    ) =>
      reject(
        new FfmpegError({
          tool,
          kind,
          reason,
          exitCode: extra.exitCode ?? null,
          signal: extra.signal ?? null,
          stderrTail: extra.stderrTail ?? '',
          cause: extra.cause,
        }),
      );

    if (signal?.aborted) {
      fail('aborted', 'aborted before start', { cause: signal.reason });
      return;
    }

    const executable = resolveExecutable(binary);
    if (!executable) {
      fail('spawn', `${binary} not found (is ffmpeg installed?)`);
      return;
    }
    const wantsStdout = mode.collectStdout !== undefined || options.onStdout !== undefined;
    const fds = [...(wantsStdout ? [1] : []), 2, ...(mode.progress ? [3] : [])];
    // The tool dies with the process that starts it, even when that one is SIGKILLed (docs/operations.md, crash hygiene).
    const launch = launchBoundToParent(executable, args);
    const child = launcher.launch(launch.command, launch.args, { fds, cwd: options.cwd });

    const stderr = new TailBuffer(stderrTailBytes);
    const stdoutChunks: Buffer[] = [];
    let stdoutBytes = 0;
    let ending: Ending | null = null;
    let callbackError: unknown;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;

    const terminate = (why: Ending) => {
      if (ending !== null) return;
      ending = why;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), killGraceMs);
    };
    // A throwing callback must not become an uncaught exception in a stream handler: it kills the
    // child and the run rejects with it.
    const guarded = <T>(fn: ((x: T) => void) | undefined) =>
      fn &&
      ((x: T) => {
        if (ending !== null) return; // draining after a kill
        try {
          fn(x);
        } catch (err) {
          callbackError = err;
          terminate('callback');
        }
      });
    const onStdout = guarded(options.onStdout);
    const progress = new ProgressParser(options.durationMs, guarded(options.onProgress));
    const timeoutTimer = setTimeout(() => terminate('timeout'), timeoutMs);
    const onAbort = () => terminate('aborted');
    signal?.addEventListener('abort', onAbort, { once: true });

    const cleanup = () => {
      settled = true;
      clearTimeout(timeoutTimer);
      if (killTimer) clearTimeout(killTimer);
      signal?.removeEventListener('abort', onAbort);
    };

    for (const stream of child.stdio) stream?.on('error', () => {}); // the child's exit says what went wrong
    child.stdio[2]!.on('data', (chunk: Buffer) => stderr.push(chunk));
    if (mode.progress)
      (child.stdio[3] as Readable).on('data', (chunk: Buffer) => progress.push(chunk.toString('latin1')));
    if (wantsStdout) {
      child.stdio[1]!.on('data', (chunk: Buffer) => {
        if (onStdout) return onStdout(chunk);
        if (ending !== null) return;
        stdoutBytes += chunk.length;
        if (stdoutBytes > mode.collectStdout!) terminate('output-limit');
        else stdoutChunks.push(chunk);
      });
    }

    child.once('spawn', () => {
      if (child.pid === undefined) return;
      if (options.niceness) {
        try {
          os.setPriority(child.pid, options.niceness);
        } catch {
          // Not allowed here (or the child already ended): it runs at the normal priority.
        }
      }
      options.onSpawn?.(child.pid);
    });

    child.on('error', (err: NodeJS.ErrnoException) => {
      // Only a failure to start reaches us here (kill errors are not emitted for a live child).
      if (settled || child.pid !== undefined) return;
      cleanup();
      const reason = err.code === 'ENOENT' ? `${binary} not found (is ffmpeg installed?)` : err.message;
      fail('spawn', reason, { cause: err });
    });

    child.once('close', (exitCode: number | null, exitSignal: NodeJS.Signals | null) => {
      if (settled) return;
      cleanup();
      const stderrTail = stderr.toString();
      const extra = { exitCode, signal: exitSignal, stderrTail };
      switch (ending) {
        case 'timeout':
          return fail('timeout', `timed out after ${timeoutMs} ms`, extra);
        case 'aborted':
          return fail('aborted', 'aborted', { ...extra, cause: signal?.reason });
        case 'output-limit':
          return fail('output-limit', `wrote more than ${mode.collectStdout} bytes to stdout`, extra);
        case 'callback':
          return reject(callbackError);
        default:
      }
      if (exitCode === 0) {
        resolve({ stdout: Buffer.concat(stdoutChunks).toString('utf8'), stderrTail, progress: progress.last });
        return;
      }
      const reason =
        reasonFromStderr(stderrTail, args) ?? (exitSignal ? `killed by ${exitSignal}` : `exited with code ${exitCode}`);
      fail('exit', reason, extra);
    });
  });
}
