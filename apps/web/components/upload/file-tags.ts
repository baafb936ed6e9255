/**
 * Tags from the file, read in the browser before the upload (docs/architecture.md, "Tags from the
 * file"): `music-metadata`'s browser entry parses ID3, Vorbis comments, FLAC, MP4 and RIFF from the
 * chosen `File`, and `formFromTags` maps what it found onto the upload form. The server reads the
 * same tags again and keeps its own rules; this only pre-fills what the artist sees and may change.
 */

import { ALBUM_MAX, TITLE_MAX, TRACK_NUMBER_MAX, YEAR_MAX, YEAR_MIN } from '@earshot/core/field-limits';

/** The tags as the parser gives them (music-metadata's `common`), or as plain strings. */
export interface RawTags {
  title?: string;
  artist?: string;
  album?: string;
  genre?: string | string[];
  year?: number | string;
  date?: string;
  track?: number | string | { no: number | null };
  picture?: Array<{ format: string; data: Uint8Array }>;
}

/** What the upload form shows for one file. */
export interface FormTags {
  /** The tag's title, else the file's name without its extension. */
  title: string;
  /** Whether the file had a title tag. */
  titled: boolean;
  artist: string | null;
  album: string | null;
  genre: string;
  year: number | null;
  trackNumber: number | null;
  cover: Blob | null;
}

const GENRE_MAX = 40;
// Control, bidi and invisible characters: a tag is untrusted text.
const UNWANTED = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200b-\u200f\u2060-\u2064\ufeff]/g;

function clean(value: unknown, max: number): string {
  if (typeof value !== 'string') return '';
  const text = value.slice(0, 1000).replace(UNWANTED, ' ').normalize('NFC').replace(/\s+/g, ' ').trim();
  return Array.from(text).slice(0, max).join('').trim();
}

/** "03_night-drive (master).flac" → "03 night-drive (master)". */
export function titleFromFileName(name: string): string {
  const base = name.replace(/^.*[/\\]/, '').replace(/\.[a-z0-9]{1,5}$/i, '');
  return clean(base.replace(/_+/g, ' '), TITLE_MAX) || clean(name, TITLE_MAX);
}

/** "3/12", " 3 ", 3 → 3; anything else → null. */
function trackNumberOf(track: RawTags['track']): number | null {
  const raw = typeof track === 'object' && track !== null ? track.no : track;
  const match = /^\s*(\d{1,4})(?!\d)/.exec(String(raw ?? ''));
  const n = match ? Number(match[1]) : 0;
  return n >= 1 && n <= TRACK_NUMBER_MAX ? n : null;
}

/** 2019, "2019", "2019-05-04T00:00:00Z" → 2019. */
function yearOf(year: RawTags['year'], date: RawTags['date']): number | null {
  for (const value of [date, year]) {
    const match = /^\s*(\d{4})(?!\d)/.exec(String(value ?? ''));
    const y = match ? Number(match[1]) : 0;
    if (y >= YEAR_MIN && y <= YEAR_MAX) return y;
  }
  return null;
}

/** "Ambient/Drone", "(17)Rock", ["Dub", "Reggae"] → the first name, lower case, without what a genre may not hold. */
function genreOf(genre: RawTags['genre']): string {
  const first = Array.isArray(genre) ? genre[0] : genre;
  const name = clean(first, 1000)
    .replace(/^\(\d+\)/, '')
    .split(/[/,;\\]/)[0]!
    .replace(/[#?]/g, '')
    .toLowerCase()
    .trim();
  return Array.from(name).slice(0, GENRE_MAX).join('').trim();
}

export function formFromTags(raw: RawTags | null | undefined, fileName: string): FormTags {
  const tags = raw ?? {};
  const title = clean(tags.title, TITLE_MAX);
  const picture = tags.picture?.find((p) => /^image\/(jpeg|png|webp|gif|avif)$/i.test(p.format) && p.data.length > 0);
  return {
    title: title || titleFromFileName(fileName),
    titled: title !== '',
    artist: clean(tags.artist, 200) || null,
    album: clean(tags.album, ALBUM_MAX) || null,
    genre: genreOf(tags.genre),
    year: yearOf(tags.year, tags.date),
    trackNumber: trackNumberOf(tags.track),
    cover: picture ? new Blob([picture.data as Uint8Array<ArrayBuffer>], { type: picture.format.toLowerCase() }) : null,
  };
}

/**
 * Reads `file`'s tags in the browser; a file the parser does not know (or that is not audio) gives
 * `null`, and the form falls back to the file's name (the server still reads its tags).
 */
export async function readFileTags(file: File): Promise<FormTags | null> {
  try {
    const { parseBlob } = await import('music-metadata');
    const { common } = await parseBlob(file, { duration: false, skipCovers: false });
    return formFromTags(common as RawTags, file.name);
  } catch {
    return null;
  }
}

/** Files in track-number order, then in the order they were added (those without a number last). */
export function inTrackOrder<T extends { trackNumber: number | null }>(items: readonly T[]): T[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort(
      (a, b) =>
        (a.item.trackNumber ?? Number.MAX_SAFE_INTEGER) - (b.item.trackNumber ?? Number.MAX_SAFE_INTEGER) ||
        a.index - b.index,
    )
    .map(({ item }) => item);
}

/** The album most of the files name (the first one on a tie), as the release's title. */
export function commonAlbum(albums: ReadonlyArray<string | null>): string | null {
  const counts = new Map<string, number>();
  for (const album of albums) if (album) counts.set(album, (counts.get(album) ?? 0) + 1);
  let best: string | null = null;
  for (const [album, n] of counts) if (best === null || n > counts.get(best)!) best = album;
  return best;
}
