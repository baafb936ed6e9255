/**
 * The growing stream against the HLS authoring rules that can be checked by reading the playlists
 * (docs/performance.md, "Playable in seconds", where what was and was not verified is written):
 * RFC 8216 §4 and Apple's "HLS Authoring Specification for Apple Devices" for EVENT playlists and
 * master playlists. Safari's own player is not run here.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { transcodeHls, type HlsPublication } from '../src/index.ts';
import { ffmpeg, musicSource, useTempDir } from './helpers.ts';

const tmp = useTempDir('hls-authoring');

const lines = (text: string) => text.split(/\r?\n/).filter((l) => l !== '');
const tag = (text: string, name: string) =>
  lines(text)
    .filter((l) => l.startsWith(`${name}:`) || l === name)
    .map((l) => l.slice(name.length + 1));
/** Everything before the first segment, the playlist type left out (it changes from EVENT to VOD). */
const header = (text: string) => {
  const all = lines(text);
  const first = all.findIndex((l) => l.startsWith('#EXTINF'));
  return all.slice(0, first < 0 ? all.length : first).filter((l) => !l.startsWith('#EXT-X-PLAYLIST-TYPE'));
};
/** `#EXTINF` + URI pairs, in order. */
const segments = (text: string) => {
  const out: string[] = [];
  const all = lines(text);
  all.forEach((l, i) => {
    if (l.startsWith('#EXTINF')) out.push(`${l}\n${all[i + 1]}`);
  });
  return out;
};

/**
 * What breaks the rules in the successive versions of one rendition's media playlist, the last one
 * the finished (`VOD`) playlist. Empty when all hold.
 */
export function eventPlaylistProblems(versions: readonly string[]): string[] {
  const problems: string[] = [];
  const growing = versions.slice(0, -1);
  const finished = versions.at(-1);
  if (!finished) return ['no playlist'];
  versions.forEach((text, i) => {
    const at = `version ${i + 1}`;
    if (lines(text)[0] !== '#EXTM3U') problems.push(`${at}: does not start with #EXTM3U`);
    if (tag(text, '#EXT-X-VERSION').length !== 1) problems.push(`${at}: needs one #EXT-X-VERSION`);
    const target = tag(text, '#EXT-X-TARGETDURATION');
    if (target.length !== 1) problems.push(`${at}: needs one #EXT-X-TARGETDURATION`);
    // RFC 8216 §4.3.3.1: every EXTINF, rounded to the nearest integer, ≤ the target duration.
    for (const d of tag(text, '#EXTINF').map((v) => Number(v.split(',')[0])))
      if (Math.round(d) > Number(target[0])) problems.push(`${at}: a segment of ${d} s exceeds the target duration`);
    if (tag(text, '#EXT-X-MAP').length !== 1) problems.push(`${at}: needs its #EXT-X-MAP (fMP4)`);
    const type = tag(text, '#EXT-X-PLAYLIST-TYPE');
    const last = i === versions.length - 1;
    if (type.length !== 1 || type[0] !== (last ? 'VOD' : 'EVENT'))
      problems.push(
        `${at}: #EXT-X-PLAYLIST-TYPE should be ${last ? 'VOD' : 'EVENT'}, is ${type.join(',') || 'missing'}`,
      );
    const ended = tag(text, '#EXT-X-ENDLIST').length > 0;
    if (ended !== last) problems.push(`${at}: #EXT-X-ENDLIST ${last ? 'missing at the end' : 'before the end'}`);
    if (
      !lines(text)
        .at(-1)
        ?.startsWith(last ? '#EXT-X-ENDLIST' : 'seg')
    )
      problems.push(`${at}: does not end with ${last ? '#EXT-X-ENDLIST' : 'a segment'}`);
    if (!last && segments(text).length === 0) problems.push(`${at}: an EVENT playlist with no segment`);
  });
  // EVENT (RFC 8216 §4.3.3.5): segments are only ever appended; nothing before them changes
  // (target duration, media sequence, version, map), and the finished playlist is the last one
  // with its end.
  const base = header(finished).join('\n');
  const all = segments(finished);
  growing.forEach((text, i) => {
    if (header(text).join('\n') !== base) problems.push(`version ${i + 1}: its header differs from the finished one`);
    const mine = segments(text);
    if (mine.some((s, j) => all[j] !== s)) problems.push(`version ${i + 1}: its segments are not a prefix of the next`);
    const next = segments(versions[i + 1]!);
    if (next.length < mine.length) problems.push(`version ${i + 2}: lost segments`);
  });
  return problems;
}

/**
 * What breaks the rules in a master playlist of audio-only AAC renditions: every variant has
 * BANDWIDTH, AVERAGE-BANDWIDTH and CODECS (Apple: CODECS required; RESOLUTION is for video, so
 * absent here), and #EXT-X-INDEPENDENT-SEGMENTS (every AAC frame is a sync sample).
 */
export function masterPlaylistProblems(text: string): string[] {
  const problems: string[] = [];
  const all = lines(text);
  if (all[0] !== '#EXTM3U') problems.push('does not start with #EXTM3U');
  if (!all.includes('#EXT-X-INDEPENDENT-SEGMENTS')) problems.push('no #EXT-X-INDEPENDENT-SEGMENTS');
  const variants = tag(text, '#EXT-X-STREAM-INF');
  if (variants.length === 0) problems.push('no variant');
  for (const v of variants) {
    if (!/(^|,)BANDWIDTH=\d+/.test(v)) problems.push(`no BANDWIDTH: ${v}`);
    if (!/AVERAGE-BANDWIDTH=\d+/.test(v)) problems.push(`no AVERAGE-BANDWIDTH: ${v}`);
    if (!/CODECS="mp4a\.40\.2"/.test(v)) problems.push(`no CODECS="mp4a.40.2": ${v}`);
    if (/RESOLUTION=/.test(v)) problems.push(`RESOLUTION on an audio-only variant: ${v}`);
  }
  all.forEach((l, i) => {
    if (l.startsWith('#EXT-X-STREAM-INF') && (all[i + 1] ?? '#').startsWith('#'))
      problems.push(`a variant without its URI: ${l}`);
  });
  return problems;
}

const bandwidths = (text: string) =>
  tag(text, '#EXT-X-STREAM-INF').map((v) => Number(/(?:^|,)BANDWIDTH=(\d+)/.exec(v)![1]));
const variantUris = (text: string) => lines(text).filter((l) => !l.startsWith('#'));

describe('the checks themselves', () => {
  const event = (n: number, target = 6) =>
    [
      '#EXTM3U',
      '#EXT-X-VERSION:7',
      `#EXT-X-TARGETDURATION:${target}`,
      '#EXT-X-MEDIA-SEQUENCE:1',
      '#EXT-X-PLAYLIST-TYPE:EVENT',
      '#EXT-X-MAP:URI="init.mp4"',
      ...Array.from({ length: n }, (_, i) => `#EXTINF:6.013968,\nseg_0000${i + 1}.m4s`),
    ].join('\n');
  const vod = (n: number) => `${event(n).replace('EVENT', 'VOD')}\n#EXT-X-ENDLIST\n`;

  it('accept a growing playlist that only appends and ends as VOD', () => {
    expect(eventPlaylistProblems([event(1), event(2), event(3), vod(4)])).toEqual([]);
  });

  it('catch a target duration that changes, an end too early, a missing end, segments that change', () => {
    expect(eventPlaylistProblems([event(1, 7), vod(2)])).toEqual([
      'version 1: its header differs from the finished one',
    ]);
    expect(eventPlaylistProblems([`${event(1)}\n#EXT-X-ENDLIST`, vod(2)]).join()).toMatch(/ENDLIST before the end/);
    expect(eventPlaylistProblems([event(1), event(2)]).join()).toMatch(/should be VOD/);
    expect(eventPlaylistProblems([event(2).replace('seg_00002', 'seg_x'), vod(2)]).join()).toMatch(/not a prefix/);
    expect(eventPlaylistProblems([event(1), vod(1).replace('6.013968', '7.9')]).join()).toMatch(/exceeds/);
  });

  it('catch a master variant without CODECS or BANDWIDTH', () => {
    expect(masterPlaylistProblems('#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000\n64k/index.m3u8\n')).toEqual([
      'no #EXT-X-INDEPENDENT-SEGMENTS',
      'no AVERAGE-BANDWIDTH: BANDWIDTH=1000',
      'no CODECS="mp4a.40.2": BANDWIDTH=1000',
    ]);
  });
});

describe('the stream published while it is encoded', () => {
  it('every EVENT playlist, the finished VOD one, and both masters follow the rules', async () => {
    const source = tmp.file('growing.flac');
    await ffmpeg(['-f', 'lavfi', '-i', musicSource(45), '-c:a', 'flac', source]);
    const outDir = tmp.file('out');
    const published: HlsPublication[] = [];
    await transcodeHls(
      source,
      outDir,
      { sampleRate: 44100, channels: 2, durationMs: 45_000 },
      {
        publishPollMs: 20,
        onPublish: async (p) => {
          published.push(p);
        },
      },
    );
    const renditions = ['64k', '128k', '160k'];
    for (const name of renditions) {
      const versions = published.flatMap((p) =>
        p.kind === 'rendition' && p.rendition === name ? [p.playlistText] : [],
      );
      expect(versions.length, name).toBeGreaterThanOrEqual(3);
      expect(eventPlaylistProblems(versions), name).toEqual([]);
      // What was handed over last is what stays on disk.
      expect(versions.at(-1)).toBe(await readFile(path.join(outDir, name, 'index.m3u8'), 'utf8'));
      // No EXT-X-PROGRAM-DATE-TIME: a stream that starts at 0 (not a live edge) does not need it.
      expect(versions.some((v) => v.includes('#EXT-X-PROGRAM-DATE-TIME'))).toBe(false);
    }

    const provisional = published.flatMap((p) => (p.kind === 'master' ? [p.text] : []));
    expect(provisional).toHaveLength(1);
    const finalMaster = await readFile(path.join(outDir, 'playlist.m3u8'), 'utf8');
    expect(masterPlaylistProblems(provisional[0]!)).toEqual([]);
    expect(masterPlaylistProblems(finalMaster)).toEqual([]);
    // The same variants in the same order: a player that loaded the provisional master is on the
    // final renditions. Its nominal BANDWIDTH stays within 10 % of the measured peak (Apple: the
    // measured peak must not exceed BANDWIDTH by more than 10 %).
    expect(variantUris(provisional[0]!)).toEqual(variantUris(finalMaster));
    const nominal = bandwidths(provisional[0]!);
    bandwidths(finalMaster).forEach((measured, i) => {
      expect(measured, renditions[i]).toBeLessThanOrEqual(nominal[i]! * 1.1);
    });
  });
});
