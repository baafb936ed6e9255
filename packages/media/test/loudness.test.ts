import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  buildLoudnessArgs,
  FfmpegError,
  measureLoudness,
  parseEbur128Summary,
  replayGainTrackGain,
} from '../src/index.ts';
import { argv, fakeFfmpeg, ffmpeg, useTempDir } from './helpers.ts';

const tmp = useTempDir('loudness');

const SUMMARY = `video:0kB audio:938kB subtitle:0kB other streams:0kB global headers:0kB muxing overhead: unknown
[Parsed_ebur128_0 @ 0x5563780dfb40] Summary:

  Integrated loudness:
    I:         -23.0 LUFS
    Threshold: -33.0 LUFS

  Loudness range:
    LRA:        10.0 LU
    Threshold: -43.0 LUFS
    LRA low:   -30.0 LUFS
    LRA high:  -20.0 LUFS

  True peak:
    Peak:      -19.9 dBFS
`;

/**
 * Summaries captured from ffmpeg 5.1 (`sine=f=1000:d=3`, `ebur128=peak=sample` and `peak=none`): a
 * sample peak is not a true peak, and without `peak` there is no peak section at all.
 */
const SAMPLE_PEAK_SUMMARY = `[Parsed_ebur128_0 @ 0x55ebe3385a40] Summary:

  Integrated loudness:
    I:         -21.1 LUFS
    Threshold: -31.1 LUFS

  Loudness range:
    LRA:        20.0 LU
    Threshold: -41.1 LUFS
    LRA low:   -41.1 LUFS
    LRA high:  -21.1 LUFS

  Sample peak:
    Peak:      -18.1 dBFS
`;
const NO_PEAK_SUMMARY = SAMPLE_PEAK_SUMMARY.slice(0, SAMPLE_PEAK_SUMMARY.indexOf('\n\n  Sample peak:') + 1);
const SHORT_SINE = {
  integratedLufs: -21.1,
  integratedThresholdLufs: -31.1,
  loudnessRange: 20,
  lraLowLufs: -41.1,
  lraHighLufs: -21.1,
};

describe('builder and parser', () => {
  it('builds the ebur128 command: true peak, dual mono, frame log kept out of stderr', () => {
    expect(buildLoudnessArgs('/in/a.flac', { audioStreamIndex: 2 })).toEqual(
      argv(
        '-protocol_whitelist file -i /in/a.flac -map 0:2 -vn -sn -dn',
        '-af ebur128=peak=true:dualmono=true:framelog=verbose -f null -',
      ),
    );
  });

  it('parses the final summary', () => {
    expect(parseEbur128Summary(SUMMARY)).toEqual({
      integratedLufs: -23,
      integratedThresholdLufs: -33,
      loudnessRange: 10,
      lraLowLufs: -30,
      lraHighLufs: -20,
      truePeakDbtp: -19.9,
    });
  });

  it('parses silence (-70 LUFS, -inf peak) and only the last summary', () => {
    const silence = SUMMARY.replace('-23.0 LUFS', '-70.0 LUFS').replace('-19.9 dBFS', '-inf dBFS');
    const failedFirst = SUMMARY.replace(/-\d+\.\d/g, '0.0') + silence; // ffmpeg prints a zero summary when the filter fails to start
    expect(parseEbur128Summary(failedFirst)).toMatchObject({ integratedLufs: -70, truePeakDbtp: -Infinity });
    expect(parseEbur128Summary('no summary here')).toBeNull();
  });

  it('a sample peak (peak=sample) or no peak section (peak=none) is no true peak', () => {
    expect(parseEbur128Summary(SAMPLE_PEAK_SUMMARY)).toEqual({ ...SHORT_SINE, truePeakDbtp: null });
    expect(parseEbur128Summary(NO_PEAK_SUMMARY)).toEqual({ ...SHORT_SINE, truePeakDbtp: null });
  });

  it('reads the summary wherever it sits: first in the text, last without a final newline', () => {
    const summary = SUMMARY.slice(SUMMARY.indexOf('Summary:'));
    expect(parseEbur128Summary(summary)).toMatchObject({ integratedLufs: -23, truePeakDbtp: -19.9 });
    expect(parseEbur128Summary(SUMMARY.trimEnd())).toMatchObject({ integratedLufs: -23, truePeakDbtp: -19.9 });
  });

  it('each value is read from its own section: a missing line is NaN, not the next section one', () => {
    // Without its threshold line, the integrated section must not borrow the range's (-43).
    const noThreshold = SUMMARY.replace('    Threshold: -33.0 LUFS\n', '');
    expect(parseEbur128Summary(noThreshold)).toMatchObject({ integratedThresholdLufs: NaN, loudnessRange: 10 });
    const noBounds = SUMMARY.replace(/ {4}LRA (low|high): .*\n/g, '');
    expect(parseEbur128Summary(noBounds)).toMatchObject({ lraLowLufs: NaN, lraHighLufs: NaN, loudnessRange: 10 });
    // I or LRA outside its heading is not read.
    expect(parseEbur128Summary(SUMMARY.replace('  Integrated loudness:\n', ''))).toBeNull();
    expect(parseEbur128Summary(SUMMARY.replace('  Loudness range:\n', ''))).toBeNull();
  });

  it('no summary without both I and LRA', () => {
    expect(parseEbur128Summary(SUMMARY.replace(/ {4}I: .*\n/, ''))).toBeNull();
    expect(parseEbur128Summary(SUMMARY.replace(/ {4}LRA: .*\n/, ''))).toBeNull();
    expect(parseEbur128Summary(SUMMARY.replace('-23.0 LUFS', 'nan LUFS'))).toBeNull();
  });

  it('infinities in either sign and case (printf %f prints inf, %F INF)', () => {
    expect(parseEbur128Summary(SUMMARY.replace('-19.9 dBFS', '-INF dBFS'))?.truePeakDbtp).toBe(-Infinity);
    expect(parseEbur128Summary(SUMMARY.replace('-19.9 dBFS', 'inf dBFS'))?.truePeakDbtp).toBe(Infinity);
    expect(parseEbur128Summary(SUMMARY.replace('-19.9 dBFS', '3 dBFS'))?.truePeakDbtp).toBe(3);
  });

  it('ReplayGain 2.0 track gain is -18 - I', () => {
    expect(replayGainTrackGain(-23)).toBe(5);
    expect(replayGainTrackGain(-8.04)).toBe(-9.96);
  });
});

/** A stereo 1 kHz sine (both channels in phase) whose level, in dBFS, changes per segment. */
function steppedSine(segments: [dbfs: number, seconds: number][], channels: 1 | 2 = 2): string {
  let end = 0;
  let amplitude = '0';
  const bounds = segments.map(([db, s]) => {
    end += s;
    return [db, end] as const;
  });
  for (const [db, until] of [...bounds].reverse()) amplitude = `if(lt(t,${until}),pow(10,${db}/20),${amplitude})`;
  const expr = `${amplitude}*sin(2*PI*1000*t)`;
  return `aevalsrc=exprs='${channels === 2 ? `${expr}|${expr}` : expr}':s=48000:d=${end}`;
}

async function measureSignal(name: string, segments: [number, number][], channels: 1 | 2 = 2) {
  const file = tmp.file(`${name}.wav`);
  await ffmpeg(['-f', 'lavfi', '-i', steppedSine(segments, channels), '-c:a', 'pcm_s24le', file]);
  const durationMs = segments.reduce((s, [, sec]) => s + sec * 1000, 0);
  return measureLoudness(file, { durationMs });
}

describe('EBU Tech 3341 (integrated loudness), signals generated with ffmpeg', () => {
  const cases: { name: string; segments: [number, number][]; expected: number }[] = [
    { name: '3341-1', segments: [[-23, 20]], expected: -23 },
    { name: '3341-2', segments: [[-33, 20]], expected: -33 },
    {
      name: '3341-3',
      segments: [
        [-36, 10],
        [-23, 60],
        [-36, 10],
      ],
      expected: -23,
    },
    {
      name: '3341-4',
      segments: [
        [-72, 10],
        [-36, 10],
        [-23, 60],
        [-36, 10],
        [-72, 10],
      ],
      expected: -23,
    },
    {
      name: '3341-5',
      segments: [
        [-26, 20],
        [-20, 20.1],
        [-26, 20],
      ],
      expected: -23,
    },
  ];
  for (const c of cases) {
    it(`case ${c.name}: I = ${c.expected.toFixed(1)} ±0.1 LUFS`, async () => {
      const r = await measureSignal(c.name, c.segments);
      expect(Math.abs(r.integratedLufs - c.expected)).toBeLessThanOrEqual(0.1);
      expect(r.trackGainDb).toBeCloseTo(-18 - r.integratedLufs, 5);
      // The true peak of a sine is its amplitude: the loudest segment's level.
      const loudest = Math.max(...c.segments.map(([db]) => db));
      expect(Math.abs(r.truePeakDbtp - loudest)).toBeLessThanOrEqual(0.2);
    });
  }
});

describe('EBU Tech 3342 (loudness range)', () => {
  const cases: { name: string; segments: [number, number][]; expected: number }[] = [
    {
      name: '3342-1',
      segments: [
        [-20, 20],
        [-30, 20],
      ],
      expected: 10,
    },
    {
      name: '3342-2',
      segments: [
        [-20, 20],
        [-15, 20],
      ],
      expected: 5,
    },
    {
      name: '3342-3',
      segments: [
        [-40, 20],
        [-20, 20],
      ],
      expected: 20,
    },
    {
      name: '3342-4',
      segments: [
        [-50, 20],
        [-35, 20],
        [-20, 20],
        [-35, 20],
        [-50, 20],
      ],
      expected: 15,
    },
  ];
  for (const c of cases) {
    it(`case ${c.name}: LRA = ${c.expected} ±1 LU`, async () => {
      const r = await measureSignal(c.name, c.segments);
      expect(Math.abs(r.loudnessRange - c.expected)).toBeLessThanOrEqual(1);
    });
  }
});

describe('measureLoudness around ffmpeg (a stand-in ffmpeg)', () => {
  const PROGRESS =
    'out_time_us=N/A\nprogress=continue\nout_time_us=1500000\nprogress=continue\nout_time_us=3000000\nprogress=end\n';

  it("runs the source's stream, reports progress against its duration, returns the summary", async () => {
    const fake = await fakeFfmpeg(tmp, 'summary', { stderr: SUMMARY, progress: PROGRESS });
    const percents: unknown[] = [];
    const r = await measureLoudness(
      '/in/a.mka',
      { durationMs: 3000, audioStreamIndex: 1 },
      { ffmpegPath: fake.path, onProgress: (p) => percents.push(p) },
    );
    expect(r).toEqual({ integratedLufs: -23, loudnessRange: 10, truePeakDbtp: -19.9, trackGainDb: 5 });
    expect(await fake.args()).toContain('0:1');
    expect(percents).toEqual([50, 100]); // the report without a position is not passed on
  });

  it('probes the file for its audio stream when no source is given (ffprobePath is used)', async () => {
    const file = tmp.file('probed.wav');
    await ffmpeg(['-f', 'lavfi', '-i', 'anullsrc=r=8000:cl=mono:d=1', '-c:a', 'pcm_s16le', file]);
    const fake = await fakeFfmpeg(tmp, 'probed', { stderr: SUMMARY });
    await measureLoudness(file, undefined, { ffmpegPath: fake.path });
    const args = await fake.args();
    expect(args[args.indexOf('-map') + 1]).toBe('0:0');
    // The probe's verdict stands: an image is refused as such, before ffmpeg runs.
    const image = tmp.file('cover.png');
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=s=16x16:d=1', '-frames:v', '1', image]);
    await expect(measureLoudness(image, undefined, { ffmpegPath: fake.path })).rejects.toMatchObject({
      code: 'no-audio',
    });
    await expect(measureLoudness(file, undefined, { ffprobePath: tmp.file('no-ffprobe') })).rejects.toMatchObject({
      kind: 'spawn',
    });
  });

  it('no true peak in the summary is -inf; no summary at all is an error', async () => {
    const samplePeak = await fakeFfmpeg(tmp, 'sample-peak', { stderr: SAMPLE_PEAK_SUMMARY });
    const r = await measureLoudness('/in/a.wav', { durationMs: 3000 }, { ffmpegPath: samplePeak.path });
    expect(r).toEqual({ integratedLufs: -21.1, loudnessRange: 20, truePeakDbtp: -Infinity, trackGainDb: 3.1 });
    const silent = await fakeFfmpeg(tmp, 'silent', {});
    await expect(measureLoudness('/in/a.wav', { durationMs: 3000 }, { ffmpegPath: silent.path })).rejects.toThrow(
      'ffmpeg ebur128 printed no summary',
    );
  });

  it('timeoutMs and the abort signal reach ffmpeg', async () => {
    const slow = await fakeFfmpeg(tmp, 'slow', { stderr: SUMMARY, sleep: 30 });
    const source = { durationMs: 3000 };
    const timedOut = measureLoudness('/in/a.wav', source, { ffmpegPath: slow.path, timeoutMs: 300 });
    await expect(timedOut).rejects.toBeInstanceOf(FfmpegError);
    await expect(timedOut).rejects.toMatchObject({ kind: 'timeout' });
    const stop = new AbortController();
    stop.abort();
    await expect(
      measureLoudness('/in/a.wav', source, { ffmpegPath: slow.path, signal: stop.signal }),
    ).rejects.toMatchObject({ kind: 'aborted' });
  });
});

describe('mono and silence', () => {
  it('a mono track is measured as dual mono: same loudness as the stereo case', async () => {
    const r = await measureSignal('mono', [[-23, 20]], 1);
    expect(Math.abs(r.integratedLufs - -23)).toBeLessThanOrEqual(0.1);
    expect(r.trackGainDb).toBeCloseTo(5, 0);
  });

  it('digital silence: -70 LUFS and a -inf true peak', async () => {
    const file = tmp.file('silence.wav');
    await ffmpeg(['-f', 'lavfi', '-i', 'anullsrc=r=44100:cl=stereo:d=3', '-c:a', 'pcm_s16le', file]);
    const r = await measureLoudness(file); // probes the file itself
    expect(r).toEqual({ integratedLufs: -70, loudnessRange: 0, truePeakDbtp: -Infinity, trackGainDb: 52 });
  });
});
