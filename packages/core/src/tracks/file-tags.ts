/**
 * Tags read from an uploaded master's metadata (ffprobe's format and audio-stream tags: ID3,
 * Vorbis comments, MP4 atoms, RIFF INFO), cleaned for use as the new track's fields where the
 * uploader typed nothing. The file is hostile: a value is cut to 1,000 characters before anything
 * else, control, bidi and invisible characters are dropped, white space collapsed, Unicode NFC,
 * then cut to the field's limit; a value that is still empty, or a year or track number that is
 * not one, is left out. Never throws.
 */
import { GENRE_MAX, normalizeGenre } from '../catalog/fields.ts';
import { ALBUM_MAX, TITLE_MAX, TRACK_NUMBER_MAX, YEAR_MAX, YEAR_MIN } from './fields.ts';

export interface FileTags {
  title?: string;
  artist?: string;
  album?: string;
  genre?: string;
  year?: number;
  trackNumber?: number;
}

const RAW_MAX = 1000;
const NAME_MAX = 200;
// C0, DEL, C1; bidi embeddings/overrides/isolates; zero-width and invisible formatting; BOM;
// lone surrogates (not encodable as UTF-8).
const UNWANTED =
  /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200b-\u200f\u2060-\u2064\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** One tag value as a single clean line of at most `max` characters ('' when nothing is left). */
export function cleanTagValue(raw: unknown, max: number): string {
  if (typeof raw !== 'string') return '';
  const text = raw.slice(0, RAW_MAX).replace(UNWANTED, ' ').normalize('NFC').replace(/\s+/gu, ' ').trim();
  // Cut on a code point boundary (never half a surrogate pair).
  return Array.from(text).slice(0, max).join('').trim();
}

/** The first of `names` present in `tags`, keys compared without case (TITLE, Title, title). */
function pick(tags: Record<string, unknown>, names: readonly string[]): unknown {
  const keys = Object.keys(tags).slice(0, 500);
  for (const name of names) {
    const key = keys.find((k) => k.toLowerCase() === name);
    if (key !== undefined) return tags[key];
  }
  return undefined;
}

export function fileTagsFrom(tags: Record<string, unknown> | null | undefined): FileTags {
  if (!tags || typeof tags !== 'object') return {};
  const out: FileTags = {};
  const title = cleanTagValue(pick(tags, ['title', 'tit2', 'inam']), TITLE_MAX);
  if (title) out.title = title;
  const artist = cleanTagValue(pick(tags, ['artist', 'album_artist', 'tpe1', 'iart']), NAME_MAX);
  if (artist) out.artist = artist;
  const album = cleanTagValue(pick(tags, ['album', 'talb', 'iprd']), ALBUM_MAX);
  if (album) out.album = album;
  // "Rock/Pop", "Rock, Pop", "(17)Rock": the first name, without what a genre may not hold.
  const genreRaw = cleanTagValue(pick(tags, ['genre', 'tcon', 'ignr']), RAW_MAX)
    .replace(/^\(\d+\)/, '')
    .split(/[/,;\\]/)[0]
    ?.replace(/[#?]/g, '')
    .trim();
  if (genreRaw) {
    try {
      const genre = normalizeGenre(Array.from(genreRaw).slice(0, GENRE_MAX).join('').trim());
      if (genre) out.genre = genre;
    } catch {
      // A genre the catalogue's rule refuses is left out.
    }
  }
  const year = /^\s*(\d{4})(?!\d)/.exec(cleanTagValue(pick(tags, ['date', 'year', 'tdrc', 'tyer', 'icrd']), 40));
  if (year) {
    const y = Number(year[1]);
    if (y >= YEAR_MIN && y <= YEAR_MAX) out.year = y;
  }
  const track = /^\s*(\d{1,4})(?!\d)/.exec(cleanTagValue(pick(tags, ['track', 'tracknumber', 'trck']), 40));
  if (track) {
    const n = Number(track[1]);
    if (n >= 1 && n <= TRACK_NUMBER_MAX) out.trackNumber = n;
  }
  return out;
}

/** "harbour_lights.flac" → "harbour lights": the title when neither the uploader nor the tags give one. */
export function titleFromFilename(name: string): string {
  const base = name.replace(/^.*[/\\]/, '').replace(/\.[^.]{1,5}$/, '');
  return cleanTagValue(base.replace(/_+/g, ' '), TITLE_MAX);
}
