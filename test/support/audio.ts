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

/** ffmpeg audio options for a tone that swells and fades `rate` times a second (in radians), so a waveform has a shape to draw. */
export const swelling = (rate: number): string[] => ['-af', `volume='0.2+0.8*abs(sin(t*${rate}))':eval=frame`];
