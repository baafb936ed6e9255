import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLoudnessArgs, measureLoudness, parseEbur128Summary, replayGainTrackGain } from '../src/index.ts';
import { ffmpeg, tempDir } from './helpers.ts';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir('loudness');
});
afterAll(() => tmp.cleanup());

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

describe('builder and parser', () => {
  it('builds the ebur128 command: true peak, dual mono, frame log kept out of stderr', () => {
    expect(buildLoudnessArgs('/in/a.flac', { audioStreamIndex: 2 })).toEqual([
      '-protocol_whitelist',
      'file',
      '-i',
      '/in/a.flac',
      '-map',
      '0:2',
      '-vn',
      '-sn',
      '-dn',
      '-af',
      'ebur128=peak=true:dualmono=true:framelog=verbose',
      '-f',
      'null',
      '-',
    ]);
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
