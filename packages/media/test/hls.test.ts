import { mkdir, readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_RENDITIONS,
  FfmpegError,
  averageSegmentBitrate,
  buildHlsRenditionArgs,
  buildMasterPlaylist,
  hlsChannels,
  hlsSampleRate,
  parseMediaPlaylist,
  peakSegmentBitrate,
  probe,
  runFfmpeg,
  transcodeHls,
  finishedPlaylist,
  buildProvisionalMasterPlaylist,
  isGrowingPlaylist,
  measureRendition,
  type HlsOutput,
  type HlsPublication,
} from '../src/index.ts';
import { argv, ffmpeg, ffprobeJson, musicSource, useTempDir } from './helpers.ts';

const tmp = useTempDir('hls');

describe('argument builders', () => {
  it('one rendition: AAC-LC in fMP4, 6 s segments in an EVENT playlist (made VOD when finished), init.mp4 and seg_00001.m4s in the rendition folder', () => {
    expect(
      buildHlsRenditionArgs({
        input: '/in/track.flac',
        renditionDir: '/out/version-1/128k',
        rendition: { name: '128k', bitrateKbps: 128 },
        sourceSampleRate: 96000,
        sourceChannels: 2,
        audioStreamIndex: 1,
      }),
    ).toEqual(
      argv(
        '-y -protocol_whitelist file -i /in/track.flac -map 0:1 -vn -sn -dn -map_metadata -1',
        '-map_chapters -1 -c:a aac -profile:a aac_low -b:a 128k -ac 2 -ar 48000 -f hls -hls_time 6',
        '-hls_playlist_type event -hls_list_size 0 -hls_segment_type fmp4',
        '-hls_flags independent_segments -hls_fmp4_init_filename init.mp4 -start_number 1',
        '-hls_segment_filename /out/version-1/128k/seg_%05d.m4s /out/version-1/128k/index.m3u8',
      ),
    );
  });

  it('keeps mono mono, first audio stream by default, and escapes % in the segment pattern', () => {
    const args = buildHlsRenditionArgs({
      input: 'in.wav',
      renditionDir: '/o/100%/64k',
      rendition: { name: '64k', bitrateKbps: 64 },
      sourceSampleRate: 44100,
      sourceChannels: 1,
    });
    expect(args.slice(args.indexOf('-map'), args.indexOf('-map') + 2)).toEqual(['-map', '0:a:0']);
    expect(args[args.indexOf('-ac') + 1]).toBe('1');
    expect(args[args.indexOf('-ar') + 1]).toBe('44100');
    expect(args[args.indexOf('-hls_segment_filename') + 1]).toBe('/o/100%%/64k/seg_%05d.m4s');
    expect(args.at(-1)).toBe('/o/100%/64k/index.m3u8');
  });

  it('sample rates: 44.1 and 48 kHz stay, higher becomes 48 kHz, lower or odd becomes 44.1 kHz; >2 channels are downmixed', () => {
    expect([44100, 48000, 88200, 96000, 192000, 22050, 32000, 8000].map(hlsSampleRate)).toEqual([
      44100, 48000, 48000, 48000, 48000, 44100, 44100, 44100,
    ]);
    expect([1, 2, 6, 8].map(hlsChannels)).toEqual([1, 2, 2, 2]);
  });

  it('the ladder has at least three renditions up to 160k', () => {
    expect(DEFAULT_RENDITIONS.map((r) => [r.name, r.bitrateKbps])).toEqual([
      ['64k', 64],
      ['128k', 128],
      ['160k', 160],
    ]);
  });

  it('master playlist', () => {
    const text = buildMasterPlaylist(DEFAULT_RENDITIONS, {
      '64k': { peakBandwidth: 70_001, averageBandwidth: 66_500 },
      '128k': { peakBandwidth: 135_000, averageBandwidth: 130_200 },
      '160k': { peakBandwidth: 168_000, averageBandwidth: 162_000 },
    });
    expect(text).toBe(
      [
        '#EXTM3U',
        '#EXT-X-VERSION:7',
        '#EXT-X-INDEPENDENT-SEGMENTS',
        '#EXT-X-STREAM-INF:BANDWIDTH=70001,AVERAGE-BANDWIDTH=66500,CODECS="mp4a.40.2"',
        '64k/index.m3u8',
        '#EXT-X-STREAM-INF:BANDWIDTH=135000,AVERAGE-BANDWIDTH=130200,CODECS="mp4a.40.2"',
        '128k/index.m3u8',
        '#EXT-X-STREAM-INF:BANDWIDTH=168000,AVERAGE-BANDWIDTH=162000,CODECS="mp4a.40.2"',
        '160k/index.m3u8',
        '',
      ].join('\n'),
    );
    expect(() => buildMasterPlaylist([{ name: 'x' }], {})).toThrow('no measurement for rendition x');
  });
});

describe('bandwidth measurement', () => {
  it('peak: largest rate over runs of segments lasting 0.5–1.5× the target; a short tail only counts with its neighbour', () => {
    const segs = [
      { uri: 'a', durationSec: 6, bytes: 96_000 }, // 128 000 b/s
      { uri: 'b', durationSec: 6, bytes: 99_000 }, // 132 000 b/s
      { uri: 'c', durationSec: 0.25, bytes: 6_000 }, // 192 000 b/s alone, but 0.25 s < 3 s
    ];
    // Runs within [3, 9] s: a, b, b+c → max(128000, 132000, (105000*8)/6.25 = 134400)
    expect(peakSegmentBitrate(segs, 6)).toBe(134_400);
    // With a 750-byte init section fetched along with each run: (105750*8)/6.25
    expect(peakSegmentBitrate(segs, 6, 750)).toBe(135_360);
    // Nothing qualifies (all shorter than half the target): fall back to the largest single segment.
    expect(peakSegmentBitrate([{ uri: 'x', durationSec: 1, bytes: 1000 }], 6)).toBe(8000);
  });

  it('average: every byte, the init section once; the peak is never below it', () => {
    const segs = [
      { uri: 'a', durationSec: 6, bytes: 90_000 },
      { uri: 'b', durationSec: 2, bytes: 30_000 },
    ];
    expect(averageSegmentBitrate(segs, 800)).toBe(Math.ceil((120_800 * 8) / 8));
    expect(peakSegmentBitrate(segs, 6, 800)).toBeGreaterThanOrEqual(averageSegmentBitrate(segs, 800));
  });

  it('parses ffmpeg media playlists', () => {
    const p = parseMediaPlaylist(
      '#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:6\n#EXT-X-MEDIA-SEQUENCE:1\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-MAP:URI="init.mp4"\n#EXTINF:6.013968,\nseg_00001.m4s\n#EXTINF:2.004535,\nseg_00002.m4s\n#EXT-X-ENDLIST\n',
    );
    expect(p).toEqual({
      version: 7,
      targetDurationSec: 6,
      playlistType: 'VOD',
      mediaSequence: 1,
      initUri: 'init.mp4',
      segments: [
        { uri: 'seg_00001.m4s', durationSec: 6.013968 },
        { uri: 'seg_00002.m4s', durationSec: 2.004535 },
      ],
      endList: true,
    });
  });
});

/** Independent recomputation from the files on disk (RFC 8216bis definitions, init section as documented in hls-playlist.ts). */
async function recompute(dir: string): Promise<{ peak: number; average: number; durations: number[] }> {
  const text = await readFile(path.join(dir, 'index.m3u8'), 'utf8');
  const lines = text.split('\n');
  const target = Number(/#EXT-X-TARGETDURATION:(\d+)/.exec(text)![1]);
  const init = (await stat(path.join(dir, /URI="([^"]+)"/.exec(text)![1]!))).size;
  const segs: { d: number; b: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^#EXTINF:([\d.]+),/.exec(lines[i]!);
    if (m) segs.push({ d: Number(m[1]), b: (await stat(path.join(dir, lines[i + 1]!))).size });
  }
  // Peak: every run of consecutive segments lasting 0.5–1.5× the target, fetched with the init section.
  let peak = 0;
  for (let i = 0; i < segs.length; i++)
    for (let j = i; j < segs.length; j++) {
      const run = segs.slice(i, j + 1);
      const d = run.reduce((s, x) => s + x.d, 0);
      const b = init + run.reduce((s, x) => s + x.b, 0);
      if (d >= target / 2 && d <= target * 1.5) peak = Math.max(peak, (b * 8) / d);
    }
  // Average: all bytes (init once) over the playlist duration.
  const total = segs.reduce((s, x) => s + x.d, 0);
  const average = ((init + segs.reduce((s, x) => s + x.b, 0)) * 8) / total;
  return {
    peak: Math.max(Math.ceil(peak), Math.ceil(average)),
    average: Math.ceil(average),
    durations: segs.map((s) => s.d),
  };
}

/** Duration of the master playlist as ffprobe reports it, and as decoding it through ffmpeg gives. */
async function playedDuration(master: string): Promise<{ probedMs: number; decodedMs: number }> {
  const probed = await ffprobeJson(['-show_entries', 'format=duration', master]);
  const out = await runFfmpeg(['-i', master, '-f', 'null', '-'], { timeoutMs: 300_000 });
  return { probedMs: Number(probed.format.duration) * 1000, decodedMs: out.progress!.outTimeMs! };
}

describe('transcodeHls on real audio', () => {
  let source: string;
  let out: HlsOutput;
  let outDir: string;
  const progress: number[] = [];

  beforeAll(async () => {
    source = tmp.file('twenty.flac');
    await ffmpeg(['-f', 'lavfi', '-i', musicSource(20), '-c:a', 'flac', source]);
    outDir = tmp.file('out-20');
    const p = await probe(source);
    out = await transcodeHls(
      source,
      outDir,
      {
        sampleRate: p.audio!.sampleRate,
        channels: p.audio!.channels,
        durationMs: p.durationMs!,
        audioStreamIndex: p.audio!.index,
      },
      { onProgress: (x) => progress.push(x) },
    );
  });

  it('writes three renditions of init.mp4 + ~6 s segments, VOD playlists, and the master', async () => {
    expect(out.masterPlaylist).toBe('playlist.m3u8');
    expect(out.renditions.map((r) => r.name)).toEqual(['64k', '128k', '160k']);
    for (const r of out.renditions) {
      const dir = path.join(outDir, r.name);
      const text = await readFile(path.join(dir, 'index.m3u8'), 'utf8');
      expect(text).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
      expect(text).toContain('#EXT-X-MAP:URI="init.mp4"');
      expect(text).toContain('#EXT-X-ENDLIST');
      expect(text).toContain('#EXT-X-TARGETDURATION:6');
      expect((await readdir(dir)).sort()).toEqual([
        'index.m3u8',
        'init.mp4',
        'seg_00001.m4s',
        'seg_00002.m4s',
        'seg_00003.m4s',
        'seg_00004.m4s',
      ]);
      const durations = r.segments.map((s) => s.durationSec);
      for (const d of durations.slice(0, -1)) expect(Math.abs(d - 6)).toBeLessThan(0.1);
      expect(durations.at(-1)!).toBeLessThan(6.1);
      expect(durations.reduce((a, b) => a + b, 0)).toBeCloseTo(20, 1);
    }
    const listed = [...out.files].sort();
    const onDisk = (await readdir(outDir, { recursive: true })).filter((f) => f.includes('.')).sort();
    expect(listed).toEqual(onDisk);
  });

  it('encodes AAC-LC at the source rate, stereo, near the nominal bit rates', async () => {
    for (const r of out.renditions) {
      const info = await ffprobeJson(['-show_streams', path.join(outDir, r.name, 'index.m3u8')]);
      expect(info.streams[0]).toMatchObject({ codec_name: 'aac', profile: 'LC', sample_rate: '44100', channels: 2 });
      const nominal = Number(r.name.replace('k', '')) * 1000;
      expect(r.averageBandwidth / nominal).toBeGreaterThan(0.8);
      expect(r.averageBandwidth / nominal).toBeLessThan(1.2);
    }
  });

  it('master lists every rendition with CODECS and BANDWIDTH / AVERAGE-BANDWIDTH that match a recomputation from the files', async () => {
    const master = await readFile(path.join(outDir, 'playlist.m3u8'), 'utf8');
    const lines = master.trim().split('\n');
    expect(lines.slice(0, 3)).toEqual(['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS']);
    const variants = lines.slice(3);
    expect(variants).toHaveLength(6);
    for (let i = 0; i < 3; i++) {
      const m = /^#EXT-X-STREAM-INF:BANDWIDTH=(\d+),AVERAGE-BANDWIDTH=(\d+),CODECS="mp4a\.40\.2"$/.exec(
        variants[i * 2]!,
      );
      expect(m).not.toBeNull();
      const uri = variants[i * 2 + 1]!;
      expect(uri).toBe(`${DEFAULT_RENDITIONS[i]!.name}/index.m3u8`);
      const again = await recompute(path.join(outDir, path.dirname(uri)));
      expect(Number(m![1])).toBe(again.peak);
      expect(Number(m![2])).toBe(again.average);
      expect(again.peak).toBeGreaterThanOrEqual(again.average * 0.95);
    }
  });

  it('decoding the master playlist gives back the source duration ±50 ms', async () => {
    const { probedMs, decodedMs } = await playedDuration(path.join(outDir, 'playlist.m3u8'));
    expect(Math.abs(probedMs - 20_000)).toBeLessThanOrEqual(50);
    expect(Math.abs(decodedMs - 20_000)).toBeLessThanOrEqual(50);
  });

  it('reports progress up to 100 %', () => {
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(100);
    expect(progress.every((p) => p >= 0 && p <= 100)).toBe(true);
  });

  it('a rerun overwrites: no stale files stay behind', async () => {
    const again = await transcodeHls(
      source,
      outDir,
      { sampleRate: 44100, channels: 2, durationMs: 20_000 },
      { renditions: [{ name: '64k', bitrateKbps: 64 }] },
    );
    expect(again.files.sort()).toEqual([
      '64k/index.m3u8',
      '64k/init.mp4',
      '64k/seg_00001.m4s',
      '64k/seg_00002.m4s',
      '64k/seg_00003.m4s',
      '64k/seg_00004.m4s',
      'playlist.m3u8',
    ]);
    const master = await readFile(path.join(outDir, 'playlist.m3u8'), 'utf8');
    expect(master).not.toContain('160k');
  });
});

describe('transcodeHls: sources that need resampling or stay mono', () => {
  it('96 kHz 24-bit mono → 48 kHz mono AAC', async () => {
    const source = tmp.file('hi-res-mono.flac');
    await ffmpeg(['-f', 'lavfi', '-i', musicSource(8, 96000, 1), '-c:a', 'flac', '-sample_fmt', 's32', source]);
    const outDir = tmp.file('out-96k');
    const out = await transcodeHls(source, outDir, { sampleRate: 96000, channels: 1, durationMs: 8000 });
    const info = await ffprobeJson(['-show_streams', path.join(outDir, '128k', 'index.m3u8')]);
    expect(info.streams[0]).toMatchObject({ codec_name: 'aac', sample_rate: '48000', channels: 1 });
    expect(out.renditions.map((r) => r.segments.length)).toEqual([2, 2, 2]);
    const { decodedMs } = await playedDuration(path.join(outDir, 'playlist.m3u8'));
    expect(Math.abs(decodedMs - 8000)).toBeLessThanOrEqual(50);
  });

  it('a 1 s mono file: one short segment per rendition, BANDWIDTH ≥ AVERAGE-BANDWIDTH', async () => {
    const source = tmp.file('one-second.wav');
    await ffmpeg(['-f', 'lavfi', '-i', musicSource(1, 48000, 1), '-c:a', 'pcm_s16le', source]);
    const out = await transcodeHls(source, tmp.file('out-1s'), { sampleRate: 48000, channels: 1, durationMs: 1000 });
    for (const r of out.renditions) {
      expect(r.segments).toHaveLength(1);
      expect(r.peakBandwidth).toBeGreaterThanOrEqual(r.averageBandwidth);
    }
    const { decodedMs } = await playedDuration(path.join(tmp.file('out-1s'), 'playlist.m3u8'));
    expect(Math.abs(decodedMs - 1000)).toBeLessThanOrEqual(50);
  });

  it('stops every rendition when the signal fires', async () => {
    const source = tmp.file('abort.flac');
    await ffmpeg(['-f', 'lavfi', '-i', musicSource(60), '-c:a', 'flac', source]);
    const ac = new AbortController();
    const err = await transcodeHls(
      source,
      tmp.file('out-abort'),
      { sampleRate: 44100, channels: 2, durationMs: 60_000 },
      { signal: ac.signal, onProgress: () => ac.abort() },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FfmpegError);
    expect(err).toMatchObject({ kind: 'aborted' });
  });
});

describe('a 10-minute track', () => {
  it('transcodes all renditions and plays back for the source duration ±50 ms', async () => {
    const source = tmp.file('ten-minutes.flac');
    await ffmpeg(['-f', 'lavfi', '-i', musicSource(600), '-c:a', 'flac', source]);
    const outDir = tmp.file('out-600');
    const started = performance.now();
    const out = await transcodeHls(source, outDir, { sampleRate: 44100, channels: 2, durationMs: 600_000 });
    const elapsed = performance.now() - started;
    console.info(
      `HLS, 3 renditions of 10 min: ${(elapsed / 1000).toFixed(1)} s, ${(600_000 / elapsed).toFixed(0)}× real time`,
    );
    expect(out.renditions.every((r) => r.segments.length === 100 || r.segments.length === 101)).toBe(true);
    const { probedMs, decodedMs } = await playedDuration(path.join(outDir, 'playlist.m3u8'));
    expect(Math.abs(probedMs - 600_000)).toBeLessThanOrEqual(50);
    expect(Math.abs(decodedMs - 600_000)).toBeLessThanOrEqual(50);
  });
});

describe('publishing the stream while it is encoded', () => {
  it('hands over segments and EVENT playlists before the encode ends; the finished output is byte for byte the VOD one of separate ffmpeg runs', async () => {
    const source = tmp.file('growing.flac');
    await ffmpeg(['-f', 'lavfi', '-i', musicSource(90), '-c:a', 'flac', source]);
    const outDir = tmp.file('out-growing');
    const info = { sampleRate: 44100, channels: 2, durationMs: 90_000 };
    // A store as the worker's: bytes copied when handed over.
    const store = new Map<string, Buffer>();
    const log: { p: HlsPublication; percent: number }[] = [];
    let percent = 0;
    const out = await transcodeHls(source, outDir, info, {
      publishPollMs: 20,
      onProgress: (x) => {
        percent = x;
      },
      onPublish: async (p) => {
        log.push({ p, percent });
        if (p.kind === 'master') {
          store.set(p.playlist, Buffer.from(p.text));
          return;
        }
        for (const f of p.files) store.set(f, await readFile(path.join(outDir, f)));
        // Growing playlists never carry an end; the complete one is the final VOD one.
        expect(p.playlistText.includes('#EXT-X-ENDLIST')).toBe(p.final);
        // Every segment the playlist names is stored already.
        for (const s of parseMediaPlaylist(p.playlistText).segments)
          expect(store.has(`${p.rendition}/${s.uri}`)).toBe(true);
        store.set(p.playlist, Buffer.from(p.playlistText));
      },
    });

    // Before the encode ended: for each rendition an EVENT playlist with segments, then more.
    for (const name of ['64k', '128k', '160k']) {
      const growing = log.filter((e) => e.p.kind === 'rendition' && e.p.rendition === name && !e.p.final);
      expect(growing.length).toBeGreaterThanOrEqual(2);
      const first = growing[0]!;
      expect(first.percent).toBeLessThan(100);
      const text = (first.p as { playlistText: string }).playlistText;
      expect(text).toContain('#EXT-X-PLAYLIST-TYPE:EVENT');
      expect(text).not.toContain('#EXT-X-ENDLIST');
      expect(isGrowingPlaylist(text)).toBe(true);
      const last = log.filter((e) => e.p.kind === 'rendition' && e.p.rendition === name).at(-1)!.p as {
        final: boolean;
        playlistText: string;
      };
      expect(last.final).toBe(true);
      expect(last.playlistText).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
      expect(last.playlistText).toContain('#EXT-X-ENDLIST');
    }
    // The provisional master comes once every rendition has a segment, before any is finished.
    const masterAt = log.findIndex((e) => e.p.kind === 'master');
    expect(masterAt).toBeGreaterThan(0);
    expect(log.slice(0, masterAt).some((e) => e.p.kind === 'rendition' && e.p.final)).toBe(false);
    expect((log[masterAt]!.p as { text: string }).text).toBe(
      buildProvisionalMasterPlaylist([
        { name: '64k', bitrateKbps: 64 },
        { name: '128k', bitrateKbps: 128 },
        { name: '160k', bitrateKbps: 160 },
      ]),
    );
    expect(log.filter((e) => e.p.kind === 'master')).toHaveLength(1);

    // Everything but the measured master was handed over, with its final bytes; the master handed
    // over is the provisional one, which the measured one replaces.
    expect(out.files.filter((f) => !store.has(f))).toEqual([]);
    expect(isGrowingPlaylist(store.get('playlist.m3u8')!.toString())).toBe(true);
    for (const f of out.files.filter((x) => x !== 'playlist.m3u8'))
      expect(store.get(f)!.equals(await readFile(path.join(outDir, f))), f).toBe(true);

    // The reference: one hand-made VOD ffmpeg run per rendition, measured the same way.
    const refDir = tmp.file('out-growing-ref');
    for (const r of DEFAULT_RENDITIONS) {
      await mkdir(path.join(refDir, r.name), { recursive: true });
      const args = buildHlsRenditionArgs({
        input: source,
        renditionDir: path.join(refDir, r.name),
        rendition: r,
        sourceSampleRate: 44100,
        sourceChannels: 2,
      });
      const type = args.indexOf('-hls_playlist_type');
      args[type + 1] = 'vod';
      await ffmpeg(args);
    }
    const refMeasured = await Promise.all(DEFAULT_RENDITIONS.map((r) => measureRendition(path.join(refDir, r.name))));
    const refMaster = buildMasterPlaylist(DEFAULT_RENDITIONS, Object.fromEntries(refMeasured.map((m) => [m.name, m])));
    expect(await readFile(path.join(outDir, 'playlist.m3u8'), 'utf8')).toBe(refMaster);
    expect(isGrowingPlaylist(refMaster)).toBe(false);
    const refFiles = (await readdir(refDir, { recursive: true })).filter((f) => f.includes('.')).sort();
    expect(out.files.filter((f) => f !== 'playlist.m3u8').sort()).toEqual(refFiles);
    for (const f of refFiles)
      expect((await readFile(path.join(refDir, f))).equals(await readFile(path.join(outDir, f))), f).toBe(true);
  });

  it('finishedPlaylist: EVENT with its end becomes VOD; one without its end is refused', () => {
    const event =
      '#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:6\n#EXT-X-MEDIA-SEQUENCE:1\n#EXT-X-PLAYLIST-TYPE:EVENT\n#EXT-X-MAP:URI="init.mp4"\n#EXTINF:6.013968,\nseg_00001.m4s\n';
    expect(() => finishedPlaylist(event)).toThrow(/ENDLIST/);
    expect(finishedPlaylist(`${event}#EXT-X-ENDLIST\n`)).toBe(`${event.replace('EVENT', 'VOD')}#EXT-X-ENDLIST\n`);
    expect(isGrowingPlaylist(event)).toBe(true);
    expect(isGrowingPlaylist(`${event}#EXT-X-ENDLIST\n`)).toBe(false);
  });

  it('a failing publication stops the encode and is the error thrown', async () => {
    const source = tmp.file('growing-fail.flac');
    await ffmpeg(['-f', 'lavfi', '-i', musicSource(60), '-c:a', 'flac', source]);
    const err = await transcodeHls(
      source,
      tmp.file('out-growing-fail'),
      { sampleRate: 44100, channels: 2, durationMs: 60_000 },
      {
        publishPollMs: 20,
        onPublish: async () => {
          throw new Error('store down');
        },
      },
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ message: 'store down' });
  });
});
