import { startTailCheck, verifyDecodes, type DecodeCheckOptions } from './decode-check.ts';
import { assertAudio, probe, type AudioProbeResult } from './probe.ts';

/**
 * What an upload goes through before anything is kept: `probe`, `assertAudio`, then
 * `verifyDecodes` (truncated files, estimated durations), whose first decode starts with the probe. Resolves with a description whose
 * `durationMs` can be trusted; rejects with `MediaRejectedError` (a reason for the uploader) or
 * `FfmpegError` (our problem: timeout, ffmpeg missing).
 */
export async function inspectAudio(file: string, options: DecodeCheckOptions = {}): Promise<AudioProbeResult> {
  // The decode check's usual first run (the last seconds) starts with the probe, not after it.
  const early = startTailCheck(file, options);
  const probed = async (): Promise<AudioProbeResult> => {
    const r = await probe(file, { signal: options.signal, ffprobePath: options.ffprobePath });
    assertAudio(r);
    return r;
  };
  const result = await probed().catch((err: unknown) => {
    early.cancel();
    throw err;
  });
  const check = await verifyDecodes(file, result, { ...options, early });
  return {
    ...result,
    durationMs: check.durationMs,
    durationEstimated: result.durationEstimated && check.decodedDurationMs === null,
  };
}
