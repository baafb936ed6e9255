import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';

const exec = promisify(execFile);

/** A fresh temp directory; `cleanup` removes it. */
export async function tempDir(
  prefix: string,
): Promise<{ dir: string; file: (name: string) => string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `earshot-media-${prefix}-`));
  return { dir, file: (name) => path.join(dir, name), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A tone for the tests of a temp directory: written as `name`, encoded with `codecArgs`, `seconds` long. */
export interface SampleTone {
  name: string;
  codecArgs: string[];
  seconds: number;
}

/**
 * The temp directory of a test file, or of the describe it is called in: made before its tests
 * (with `tone`, that tone is written into it first: its path is `tone`), removed after them. Call
 * it where `beforeAll` would go; read `dir`, `file()` and `tone` inside tests and hooks.
 */
export function useTempDir(
  prefix: string,
  tone?: SampleTone,
): { readonly dir: string; file: (name: string) => string; readonly tone: string } {
  let made: Awaited<ReturnType<typeof tempDir>> | undefined;
  let tonePath: string | undefined;
  beforeAll(async () => {
    made = await tempDir(prefix);
    if (tone) tonePath = await makeTone(made.file(tone.name), tone.codecArgs, { seconds: tone.seconds });
  });
  afterAll(() => made?.cleanup());
  const current = () => {
    if (!made) throw new Error(`the ${prefix} temp directory is made in beforeAll: read it inside tests and hooks`);
    return made;
  };
  return {
    get dir() {
      return current().dir;
    },
    file: (name) => current().file(name),
    get tone() {
      current();
      if (tonePath === undefined) throw new Error(`no tone was asked of the ${prefix} temp directory`);
      return tonePath;
    },
  };
}

/** Runs ffmpeg directly (not through the code under test) to make test inputs. */
export async function ffmpeg(args: string[]): Promise<void> {
  await exec('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args], {
    maxBuffer: 16 * 1024 * 1024,
  });
}

/** Runs ffprobe directly and parses its JSON. */
export async function ffprobeJson(args: string[]): Promise<any> {
  const { stdout } = await exec('ffprobe', ['-hide_banner', '-v', 'error', '-of', 'json', ...args], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout);
}

/** A sine tone as a lavfi source; `channels` 1 or 2. */
export function toneSource(seconds: number, rate = 44100, channels = 2, freq = 440): string {
  const layout = channels === 1 ? 'mono' : 'stereo';
  return `sine=f=${freq}:r=${rate}:d=${seconds},volume=2,aformat=channel_layouts=${layout}`;
}

/** Pink noise under a tone, so encoders have real work (a pure sine costs an AAC encoder nothing). */
export function musicSource(seconds: number, rate = 44100, channels = 2): string {
  const layout = channels === 1 ? 'mono' : 'stereo';
  return `anoisesrc=c=pink:r=${rate}:a=0.2:d=${seconds}:seed=7[n];sine=f=220:r=${rate}:d=${seconds}[s];[n][s]amix=inputs=2,aformat=channel_layouts=${layout}[out0]`;
}

/** Writes a generated tone to `file`, encoded with `codecArgs`. */
export async function makeTone(
  file: string,
  codecArgs: string[],
  opts: { seconds?: number; rate?: number; channels?: number } = {},
): Promise<string> {
  await ffmpeg(['-f', 'lavfi', '-i', toneSource(opts.seconds ?? 1, opts.rate, opts.channels), ...codecArgs, file]);
  return file;
}

/**
 * Writes `out`: the audio of `audio` (encoded with `audioCodec`) with `cover` muxed in as an
 * attached picture, the way taggers store cover art (not a video stream).
 */
export async function muxCover(
  audio: string,
  cover: string,
  out: string,
  audioCodec: string[],
  extra: string[] = [],
): Promise<string> {
  const picture = ['-c:v', 'copy', '-disposition:v:0', 'attached_pic'];
  await ffmpeg(['-i', audio, '-i', cover, '-map', '0:a', '-map', '1:v', ...audioCodec, ...picture, ...extra, out]);
  return out;
}

/** Whether a process with this pid still exists. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A stand-in for ffmpeg (`ffmpegPath`): records its arguments (one call per line of `args()`), writes
 * `progress` to fd 3 (ffmpeg's `-progress pipe:3`) — `seekProgress` instead when `-ss` is among its
 * arguments — and `stderr`, then exits with `exitCode` (0 by default; after `sleep` seconds).
 */
export async function fakeFfmpeg(
  tmp: { file: (name: string) => string },
  name: string,
  out: { stderr?: string; progress?: string; seekProgress?: string; exitCode?: number; sleep?: number },
): Promise<{ path: string; args: () => Promise<string[]>; calls: () => Promise<string[]> }> {
  const [script, args, calls, stderr, progress, seekProgress] = [
    'sh',
    'args',
    'calls',
    'stderr',
    'progress',
    'seek-progress',
  ].map((ext) => tmp.file(`${name}.${ext}`));
  await writeFile(calls!, '');
  await writeFile(stderr!, out.stderr ?? '');
  await writeFile(progress!, out.progress ?? '');
  await writeFile(seekProgress!, out.seekProgress ?? out.progress ?? '');
  const body = [
    '#!/bin/sh',
    `printf '%s\\n' "$@" > '${args}'`,
    `echo "$*" >> '${calls}'`,
    `case " $* " in *" -ss "*) cat '${seekProgress}' >&3 ;; *) cat '${progress}' >&3 ;; esac`,
    `cat '${stderr}' >&2`,
    out.sleep ? `exec sleep ${out.sleep}` : '', // exec: the signal that ends the run reaches it
    `exit ${out.exitCode ?? 0}`,
  ];
  await writeFile(script!, `${body.join('\n')}\n`, { mode: 0o755 });
  const lines = async (file: string) => (await readFile(file, 'utf8').catch(() => '')).trim().split('\n');
  return { path: script!, args: () => lines(args!), calls: () => lines(calls!) };
}

/** A command line as the argument list it stands for, split at single spaces: golden argument lists read as commands. */
export const argv = (...parts: string[]): string[] => parts.join(' ').split(' ');

/** Running and not a zombie (an orphan killed under a PID 1 that does not reap stays a zombie). Linux. */
export function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Waits until `check()` holds (every 25 ms, for 10 s at most); `what` names it when it never does. */
export async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`never: ${what}`);
}
