/**
 * Download formats benchmark (docs/performance.md): MP3 V0 and Opus 160 of a FORMAT_MINUTES-minute
 * master (44.1 kHz stereo WAV), the two made at once as two `download-formats` jobs would run on
 * two cores, through `makeDownloadFile` (tags + cover). Budget: ≥ 30× faster than real time.
 * Baseline in the same run: the same two encodes as bare hand-written ffmpeg commands.
 *
 *   npm run bench:download-formats            # 10-minute master
 *   FORMAT_MINUTES=2 npm run bench:download-formats
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeDownloadFile } from '@earshot/media';
import { ffmpeg, lavfi } from '../lib/ffmpeg.ts';
import { ensureBenchPrerequisites } from '../lib/prerequisites.ts';

const run = promisify(execFile);
const minutes = Number(process.env.FORMAT_MINUTES ?? 10);
const BUDGET_X = 30;

/** CPU seconds used by this process's finished children (ffmpeg), from /proc/self/stat (cutime + cstime). */
async function childCpuSeconds(): Promise<number> {
  const stat = await readFile('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command name: field 3 is index 0, so cutime (16) and cstime (17) are at 13 and 14.
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/** Wall seconds and the CPU seconds ffmpeg used. */
async function timed(fn: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const cpu0 = await childCpuSeconds();
  const t0 = performance.now();
  await fn();
  return { wall: (performance.now() - t0) / 1000, cpu: (await childCpuSeconds()) - cpu0 };
}

async function main(): Promise<void> {
  ensureBenchPrerequisites('download-formats');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-bench-formats-'));
  try {
    const master = path.join(dir, 'master.wav');
    const seconds = minutes * 60;
    // Music-like content (two tones with a slow tremolo and some noise), not silence: encoders take longer on real signal.
    await ffmpeg([
      ...lavfi(`sine=frequency=220:sample_rate=44100:duration=${seconds}`),
      ...lavfi(`anoisesrc=color=pink:amplitude=0.05:sample_rate=44100:duration=${seconds}`),
      '-filter_complex',
      "[0][1]amix=inputs=2,volume='0.6+0.4*sin(t)':eval=frame,aformat=channel_layouts=stereo",
      ...['-c:a', 'pcm_s16le', master],
    ]);
    const cover = path.join(dir, 'cover.jpg');
    await ffmpeg([...lavfi('color=blue:s=1000x1000'), '-frames:v', '1', cover]);
    const tags = { title: 'Bench', artist: 'Earshot', album: 'Benches', track: '1/1', date: '2026' };
    const durationMs = seconds * 1000;

    const ours = await timed(() =>
      Promise.all([
        makeDownloadFile({
          input: master,
          output: path.join(dir, 'v0.mp3'),
          format: 'mp3-v0',
          tags,
          cover,
          durationMs,
        }),
        makeDownloadFile({
          input: master,
          output: path.join(dir, 'o.opus'),
          format: 'opus-160',
          tags,
          cover,
          durationMs,
        }),
      ]),
    );
    // The same two encodes by hand: ffmpeg straight from the master, nothing of ours around it.
    const bareEncode = (codec: string[], file: string) =>
      run('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-i', master, ...codec, path.join(dir, file)]);
    const bare = await timed(() =>
      Promise.all([
        bareEncode(['-c:a', 'libmp3lame', '-q:a', '0'], 'bare.mp3'),
        bareEncode(['-c:a', 'libopus', '-b:a', '160k'], 'bare.opus'),
      ]),
    );
    const cores = Math.min(2, os.cpus().length);
    const speed = seconds / ours.wall;
    // What 2 cores of this machine do when nothing else runs: the CPU time spread over the two encodes' cores.
    const idleSpeed = seconds / Math.max(ours.cpu / cores, ours.cpu / 2);
    const load = os.loadavg()[0]!;
    console.log(
      `MP3 V0 + Opus 160 of a ${minutes}-minute master, both at once on ${os.cpus().length} cores (load average ${load.toFixed(1)})`,
    );
    console.log(
      `ours: wall ${ours.wall.toFixed(1)} s = ${speed.toFixed(1)}× real time; ffmpeg CPU ${ours.cpu.toFixed(1)} s = ${idleSpeed.toFixed(1)}× on 2 idle cores`,
    );
    console.log(
      `baseline (bare ffmpeg): wall ${bare.wall.toFixed(1)} s = ${(seconds / bare.wall).toFixed(1)}×; CPU ${bare.cpu.toFixed(1)} s = ${(seconds / (bare.cpu / 2)).toFixed(1)}× on 2 idle cores`,
    );
    console.log(
      `budget ≥ ${BUDGET_X}× → wall ${speed >= BUDGET_X ? 'OK' : 'UNDER'}, CPU-derived ${idleSpeed >= BUDGET_X ? 'OK' : 'UNDER'} (the wall figure only counts on an otherwise idle machine)`,
    );
    if (idleSpeed < BUDGET_X) process.exitCode = 1;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
