import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** ffmpeg renders a lavfi source (`sine=…`, `aevalsrc=…`, `testsrc=…`) into `file`, with output options before it. */
export async function renderLavfi(source: string, file: string, outputArgs: string[] = []): Promise<string> {
  await run('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', source, ...outputArgs, file]);
  return file;
}

/** Generates a test tone with ffmpeg: `seconds` of a sine at `freq` Hz into `file` (format from its extension). */
export async function generateTone(
  file: string,
  options: { seconds?: number; freq?: number; rate?: number; channels?: 1 | 2; extraArgs?: string[] } = {},
): Promise<string> {
  const { seconds = 5, freq = 440, rate = 44_100, channels = 2, extraArgs = [] } = options;
  return renderLavfi(`sine=frequency=${freq}:sample_rate=${rate}:duration=${seconds}`, file, [
    '-ac',
    String(channels),
    ...extraArgs,
  ]);
}

/**
 * A tone tagged like a real master: each of `metadata` as `-metadata key=value` (title, album,
 * track, date…), and with `cover` an embedded front cover (a 320×320 PNG as an attached picture).
 */
export async function generateTaggedTone(
  file: string,
  options: { seconds?: number; freq?: number; metadata?: Record<string, string>; cover?: boolean } = {},
): Promise<string> {
  const { seconds = 2, freq = 440, metadata = {}, cover = false } = options;
  const tags = Object.entries(metadata).flatMap(([k, v]) => ['-metadata', `${k}=${v}`]);
  if (!cover) return generateTone(file, { seconds, freq, extraArgs: tags });
  const png = await renderLavfi('testsrc=size=320x320:rate=1', `${file}.cover.png`, ['-frames:v', '1']);
  const sine = `sine=frequency=${freq}:sample_rate=44100:duration=${seconds}`;
  return renderLavfi(sine, file, [...attachedPicture(png), '-ac', '2', ...tags]);
}

/** ffmpeg options after a lavfi tone (input 0) that add `image` as the file's attached picture, copied as it is. */
export const attachedPicture = (image: string): string[] => [
  ...['-i', image, '-map', '0:a', '-map', '1:v'],
  ...['-c:v', 'copy', '-disposition:v', 'attached_pic'],
];

/** ffmpeg audio options for a tone that swells and fades `rate` times a second (in radians), so a waveform has a shape to draw. */
export const swelling = (rate: number): string[] => ['-af', `volume='0.2+0.8*abs(sin(t*${rate}))':eval=frame`];
