import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export interface ParsedMediaPlaylist {
  version: number | null;
  targetDurationSec: number | null;
  playlistType: string | null;
  mediaSequence: number | null;
  /** URI of the media initialization section (`#EXT-X-MAP`), as written. */
  initUri: string | null;
  segments: { uri: string; durationSec: number }[];
  endList: boolean;
}

/** Pure parser of the media playlists ffmpeg writes (enough of RFC 8216 for them). */
export function parseMediaPlaylist(text: string): ParsedMediaPlaylist {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  if (lines[0] !== '#EXTM3U') throw new Error('not an HLS playlist: missing #EXTM3U');
  const out: ParsedMediaPlaylist = {
    version: null,
    targetDurationSec: null,
    playlistType: null,
    mediaSequence: null,
    initUri: null,
    segments: [],
    endList: false,
  };
  let pending: number | null = null;
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    if (!line.startsWith('#')) {
      if (pending === null) throw new Error(`segment ${line} has no #EXTINF`);
      out.segments.push({ uri: line, durationSec: pending });
      pending = null;
      continue;
    }
    const colon = line.indexOf(':');
    const tag = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1);
    switch (tag) {
      case '#EXTINF':
        pending = Number(value.split(',')[0]);
        if (!Number.isFinite(pending)) throw new Error(`bad #EXTINF: ${line}`);
        break;
      case '#EXT-X-VERSION':
        out.version = Number(value);
        break;
      case '#EXT-X-TARGETDURATION':
        out.targetDurationSec = Number(value);
        break;
      case '#EXT-X-MEDIA-SEQUENCE':
        out.mediaSequence = Number(value);
        break;
      case '#EXT-X-PLAYLIST-TYPE':
        out.playlistType = value;
        break;
      case '#EXT-X-MAP':
        out.initUri = /URI="([^"]*)"/.exec(value)?.[1] ?? null;
        break;
      case '#EXT-X-ENDLIST':
        out.endList = true;
        break;
      default:
    }
  }
  return out;
}

export interface MeasuredSegment {
  uri: string;
  durationSec: number;
  bytes: number;
}

export interface RenditionMeasure {
  /** The rendition directory's name (`128k`). */
  name: string;
  playlist: ParsedMediaPlaylist;
  init: { uri: string; bytes: number } | null;
  segments: MeasuredSegment[];
  durationSec: number;
  /** Init section + all segments. */
  totalBytes: number;
  /** For `BANDWIDTH`: peak segment bit rate (bits/s), see `peakSegmentBitrate`. */
  peakBandwidth: number;
  /** For `AVERAGE-BANDWIDTH` (bits/s), see `averageSegmentBitrate`. */
  averageBandwidth: number;
}

/**
 * Peak segment bit rate, for BANDWIDTH. RFC 8216bis (what Apple's mediastreamvalidator checks
 * BANDWIDTH against): the largest bit rate of any run of consecutive segments whose total
 * duration is between 0.5 and 1.5 times the target duration. With ~6 s segments that is the
 * largest single-segment rate, except that a short last segment (< 3 s) only counts together with
 * its neighbour, so fragment overhead on a 0.2 s tail does not inflate it. When no run qualifies
 * (a track shorter than half a target duration…), the largest single-segment rate.
 *
 * The init section (`initBytes`, ~0.7 KB here) is added to every run: a player that switches to
 * this rendition fetches it together with the first segment, so that is the real worst burst. It
 * moves the figure by about 1 kbit/s. Never below the average, so BANDWIDTH ≥ AVERAGE-BANDWIDTH.
 * Rounded up to whole bits/s.
 */
export function peakSegmentBitrate(
  segments: readonly MeasuredSegment[],
  targetDurationSec: number,
  initBytes = 0,
): number {
  const lo = targetDurationSec * 0.5;
  const hi = targetDurationSec * 1.5;
  let peak = 0;
  let found = false;
  for (let i = 0; i < segments.length; i++) {
    let bytes = initBytes;
    let dur = 0;
    for (let j = i; j < segments.length; j++) {
      bytes += segments[j]!.bytes;
      dur += segments[j]!.durationSec;
      if (dur > hi) break;
      if (dur >= lo && dur > 0) {
        peak = Math.max(peak, (bytes * 8) / dur);
        found = true;
      }
    }
  }
  if (!found)
    for (const s of segments) if (s.durationSec > 0) peak = Math.max(peak, ((initBytes + s.bytes) * 8) / s.durationSec);
  return Math.max(Math.ceil(peak), averageSegmentBitrate(segments, initBytes));
}

/**
 * Average segment bit rate, for AVERAGE-BANDWIDTH (RFC 8216bis): all bytes divided by the
 * playlist duration, the init section included once, as a listener who plays the rendition
 * through downloads it once. Rounded up to whole bits/s.
 */
export function averageSegmentBitrate(segments: readonly MeasuredSegment[], initBytes = 0): number {
  const dur = segments.reduce((s, x) => s + x.durationSec, 0);
  if (!(dur > 0)) return 0;
  const bytes = segments.reduce((s, x) => s + x.bytes, initBytes);
  return Math.ceil((bytes * 8) / dur);
}

/** Reads `<dir>/index.m3u8`, the sizes of its init section and segments, and computes both bandwidths. */
export async function measureRendition(dir: string, playlistName = 'index.m3u8'): Promise<RenditionMeasure> {
  const playlist = parseMediaPlaylist(await readFile(path.join(dir, playlistName), 'utf8'));
  const sizeOf = async (uri: string) => (await stat(path.join(dir, uri))).size;
  const segments = await Promise.all(playlist.segments.map(async (s) => ({ ...s, bytes: await sizeOf(s.uri) })));
  const init = playlist.initUri ? { uri: playlist.initUri, bytes: await sizeOf(playlist.initUri) } : null;
  const target = playlist.targetDurationSec ?? Math.max(0, ...segments.map((s) => Math.ceil(s.durationSec)));
  return {
    name: path.basename(dir),
    playlist,
    init,
    segments,
    durationSec: segments.reduce((s, x) => s + x.durationSec, 0),
    totalBytes: segments.reduce((s, x) => s + x.bytes, init?.bytes ?? 0),
    peakBandwidth: peakSegmentBitrate(segments, target, init?.bytes ?? 0),
    averageBandwidth: averageSegmentBitrate(segments, init?.bytes ?? 0),
  };
}

export interface MasterEntry {
  peakBandwidth: number;
  averageBandwidth: number;
}

/** AAC-LC, as RFC 6381 names it in CODECS. */
export const AAC_LC_CODECS = 'mp4a.40.2';

/**
 * The master playlist: one variant per rendition, in the order given, each pointing at
 * `<name>/index.m3u8`, with BANDWIDTH / AVERAGE-BANDWIDTH from `measured[name]` (ffmpeg 5.1 writes
 * neither correctly, so they are measured from the files).
 */
export function buildMasterPlaylist(
  renditions: readonly { name: string }[],
  measured: Readonly<Record<string, MasterEntry>>,
  mediaPlaylist = 'index.m3u8',
): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS'];
  for (const r of renditions) {
    const m = measured[r.name];
    if (!m) throw new Error(`no measurement for rendition ${r.name}`);
    lines.push(
      `#EXT-X-STREAM-INF:BANDWIDTH=${m.peakBandwidth},AVERAGE-BANDWIDTH=${m.averageBandwidth},CODECS="${AAC_LC_CODECS}"`,
    );
    lines.push(`${r.name}/${mediaPlaylist}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The first line after `#EXTM3U` of a master written before every rendition is measured. A
 * comment to players (RFC 8216: lines starting with `#` that are not `#EXT` tags are ignored);
 * it tells servers not to keep the file: the measured master replaces it.
 */
export const PROVISIONAL_MASTER_MARK = '# provisional: nominal bandwidths, replaced once every rendition is measured';

/**
 * A master playlist usable while the renditions are still being encoded: the same variants and
 * order as the final one, with nominal figures (the encoder's target bit rate, plus 10 % for the
 * fMP4 framing as BANDWIDTH); `buildMasterPlaylist` with the measured ones replaces it.
 */
export function buildProvisionalMasterPlaylist(
  renditions: readonly { name: string; bitrateKbps: number }[],
  mediaPlaylist = 'index.m3u8',
): string {
  const nominal = Object.fromEntries(
    renditions.map((r) => [
      r.name,
      {
        peakBandwidth: Math.ceil(r.bitrateKbps * 1000 * 1.1),
        averageBandwidth: Math.ceil(r.bitrateKbps * 1000 * 1.05),
      },
    ]),
  );
  const [head, ...rest] = buildMasterPlaylist(renditions, nominal, mediaPlaylist).split('\n');
  return [head, PROVISIONAL_MASTER_MARK, ...rest].join('\n');
}

/** A playlist that will still change: an EVENT media playlist without its end, or a provisional master. */
export function isGrowingPlaylist(text: string): boolean {
  if (text.includes(PROVISIONAL_MASTER_MARK)) return true;
  return /^#EXT-X-PLAYLIST-TYPE:EVENT\s*$/m.test(text) && !/^#EXT-X-ENDLIST\s*$/m.test(text);
}
