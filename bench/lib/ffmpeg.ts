/** One quiet ffmpeg run for the benchmarks (inputs, masters, hand-written baselines); rejects with its last stderr. */
import { spawn } from 'node:child_process';

export function ffmpeg(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', ['-nostdin', '-hide_banner', '-v', 'error', '-y', ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg ${code}: ${err.slice(-400)}`))));
  });
}

/** A lavfi source as an input (`-f lavfi -i <spec>`): tones, noise, test pictures. */
export const lavfi = (spec: string): string[] => ['-f', 'lavfi', '-i', spec];

/**
 * A master that sounds like music to the encoders: pink noise under a 220 Hz tone, FLAC. `toneOnly`
 * leaves the noise out (a small file for hour-long masters); `cover` attaches that image as its picture.
 */
export async function makeMaster(
  file: string,
  seconds: number,
  options: { toneOnly?: boolean; cover?: string } = {},
): Promise<string> {
  const tone = lavfi(`sine=frequency=220:sample_rate=44100:duration=${seconds}`);
  const noise = lavfi(`anoisesrc=color=pink:amplitude=0.2:sample_rate=44100:duration=${seconds}`);
  const inputs = options.toneOnly ? tone : [...noise, ...tone];
  const mix = options.toneOnly ? '[0:a]' : '[0:a][1:a]amix=inputs=2,';
  const picture = options.cover
    ? ['-map', `${options.toneOnly ? 1 : 2}:v`, '-c:v', 'mjpeg', '-disposition:v', 'attached_pic']
    : [];
  await ffmpeg([
    ...inputs,
    ...(options.cover ? ['-i', options.cover] : []),
    ...['-filter_complex', `${mix}aformat=channel_layouts=stereo[a]`, '-map', '[a]'],
    ...picture,
    ...['-c:a', 'flac', file],
  ]);
  return file;
}

/** The master lengths to run, in seconds: those given on the command line, else `defaults`. */
export function lengthsFromArgs(defaults: number[]): number[] {
  const given = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  return given.length ? given : defaults;
}
