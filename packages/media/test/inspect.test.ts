/**
 * `inspectAudio` on real files, through a wrapper that logs every ffmpeg run: the decode check's
 * last-seconds run starts with the probe, and is used only when it is the check `verifyDecodes`
 * would have made (one audio stream, a declared duration longer than the tail).
 */
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { inspectAudio, MediaRejectedError } from '../src/index.ts';
import { ffmpeg, makeTone, toneSource, useTempDir } from './helpers.ts';

const tmp = useTempDir('inspect');

let wrappers = 0;
/** Real ffmpeg behind a script that writes each call's arguments to a log first. */
async function loggedFfmpeg(): Promise<{ path: string; calls(): Promise<string[]> }> {
  const n = wrappers++;
  const log = tmp.file(`calls-${n}.log`);
  const script = tmp.file(`ffmpeg-${n}.sh`);
  await writeFile(log, '');
  await writeFile(script, `#!/bin/sh\necho " $* " >> '${log}'\nexec ffmpeg "$@"\n`);
  await chmod(script, 0o755);
  return {
    path: script,
    calls: async () => (await readFile(log, 'utf8')).split('\n').filter(Boolean),
  };
}

describe('inspectAudio: the decode check starts with the probe', () => {
  it('a whole file: one ffmpeg run, the last 3 s of it, and the declared duration', async () => {
    const file = await makeTone(tmp.file('whole.flac'), ['-c:a', 'flac'], { seconds: 10 });
    const ff = await loggedFfmpeg();
    const r = await inspectAudio(file, { ffmpegPath: ff.path });
    expect(r.durationMs).toBe(10_000);
    expect(r.audioStreamCount).toBe(1);
    const calls = await ff.calls();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toContain(' -sseof -3 ');
    expect(calls[0]).toContain(' -map 0:a:0 ');
  });

  it('a file cut in half: the early tail finds nothing, the full decode says how much is left', async () => {
    // FLAC declares its length in its header (STREAMINFO): the probe believes it.
    const full = await makeTone(tmp.file('full.flac'), ['-c:a', 'flac'], { seconds: 8 });
    const bytes = await readFile(full);
    await writeFile(tmp.file('half.flac'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    const ff = await loggedFfmpeg();
    const err = await inspectAudio(tmp.file('half.flac'), { ffmpegPath: ff.path }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MediaRejectedError);
    expect(err).toMatchObject({ code: 'truncated' });
    expect((err as Error).message).toMatch(/^file is truncated: only [34]\.\d s of its 8\.0 s could be decoded$/);
    const calls = await ff.calls();
    expect(calls).toHaveLength(2);
    expect(calls[0]).toContain(' -sseof -3 ');
    expect(calls[1]).not.toMatch(/ -ss(eof)? /);
  });

  it('two audio streams, the second the default: the check reads the chosen stream, not the first', async () => {
    const file = tmp.file('two-streams.mka');
    await ffmpeg([
      ...['-f', 'lavfi', '-i', toneSource(10, 44100, 2, 330)],
      ...['-f', 'lavfi', '-i', toneSource(10, 44100, 2, 440)],
      ...['-map', '0:a', '-map', '1:a', '-c:a', 'flac'],
      ...['-disposition:a:0', '0', '-disposition:a:1', 'default'],
      file,
    ]);
    const ff = await loggedFfmpeg();
    const r = await inspectAudio(file, { ffmpegPath: ff.path });
    expect(r.audio.index).toBe(1);
    expect(r.audioStreamCount).toBe(2);
    expect(r.durationMs).toBe(10_000);
    const checked = (await ff.calls()).filter((c) => !c.includes(' -sseof '));
    expect(checked).toHaveLength(1);
    expect(checked[0]).toContain(' -ss 7 ');
    expect(checked[0]).toContain(' -map 0:1 ');
  });

  it('a file no longer than the tail: decoded once, from the start, by the check itself', async () => {
    const file = await makeTone(tmp.file('short.flac'), ['-c:a', 'flac'], { seconds: 2 });
    const ff = await loggedFfmpeg();
    const r = await inspectAudio(file, { ffmpegPath: ff.path });
    expect(r.durationMs).toBe(2000);
    const checked = (await ff.calls()).filter((c) => !c.includes(' -sseof '));
    expect(checked).toHaveLength(1);
    expect(checked[0]).not.toContain(' -ss ');
  });

  it('a file ffprobe cannot read: refused as before, with no decode but the early one', async () => {
    await writeFile(tmp.file('noise.flac'), Buffer.alloc(4096, 7));
    const ff = await loggedFfmpeg();
    const err = await inspectAudio(tmp.file('noise.flac'), { ffmpegPath: ff.path }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MediaRejectedError);
    expect((await ff.calls()).every((c) => c.includes(' -sseof '))).toBe(true);
  });
});
