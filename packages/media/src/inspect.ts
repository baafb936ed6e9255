import { verifyDecodes, type DecodeCheckOptions } from './decode-check.ts';
import { assertAudio, probe, type AudioProbeResult } from './probe.ts';

/**
 * What an upload goes through before anything is kept: `probe`, `assertAudio`, then
 * `verifyDecodes` (truncated files, estimated durations). Resolves with a description whose
 * `durationMs` can be trusted; rejects with `MediaRejectedError` (a reason for the uploader) or
 * `FfmpegError` (our problem: timeout, ffmpeg missing).
 */
export async function inspectAudio(file: string, options: DecodeCheckOptions = {}): Promise<AudioProbeResult> {
  const result = await probe(file, { signal: options.signal, ffprobePath: options.ffprobePath });
  assertAudio(result);
  const check = await verifyDecodes(file, result, options);
  return {
    ...result,
    durationMs: check.durationMs,
    durationEstimated: result.durationEstimated && check.decodedDurationMs === null,
  };
}
