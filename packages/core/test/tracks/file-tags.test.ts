import { describe, expect, it } from 'vitest';
import { fileTagsFrom, titleFromFilename } from '../../src/tracks/file-tags.ts';

describe('tags from an uploaded file', () => {
  it('reads the usual names in any case, the first genre, the year and the track number', () => {
    expect(
      fileTagsFrom({
        TITLE: 'Harbour Lights',
        Artist: 'Tide',
        album: 'Tides',
        GENRE: 'Ambient/Drone',
        date: '2019-04-01',
        track: '3/12',
      }),
    ).toEqual({
      title: 'Harbour Lights',
      artist: 'Tide',
      album: 'Tides',
      genre: 'ambient',
      year: 2019,
      trackNumber: 3,
    });
    expect(fileTagsFrom({ TIT2: 'x', TCON: '(17)Rock', TYER: '1999' })).toEqual({
      title: 'x',
      genre: 'rock',
      year: 1999,
    });
  });

  it('bounds and cleans hostile values, and leaves out what is not a value', () => {
    const tags = fileTagsFrom({
      title: `\u0000\u0007Evil\u202e\u200b  name\r\n${'x'.repeat(1_000_000)}`,
      artist: '\u0001\u0002\u0003',
      genre: '#?,',
      date: '30000-01-01',
      track: '-4',
      album: 'e\u0301', // NFC: é
    });
    expect(tags.title?.startsWith('Evil name x')).toBe(true);
    expect(tags.title?.length).toBe(200);
    expect(tags.title).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u200b]/);
    expect(tags.album).toBe('\u00e9');
    expect(tags).not.toHaveProperty('artist');
    expect(tags).not.toHaveProperty('genre');
    expect(tags).not.toHaveProperty('year');
    expect(tags).not.toHaveProperty('trackNumber');
    expect(fileTagsFrom({ title: 42 as unknown as string, genre: 'a'.repeat(500) }).genre?.length).toBe(40);
    expect(fileTagsFrom(null)).toEqual({});
    // A lone surrogate (not encodable as UTF-8) goes; a whole emoji stays.
    expect(fileTagsFrom({ title: 'a\ud800b 🎵' }).title).toBe('a b 🎵');
  });

  it('falls back on the file name', () => {
    expect(titleFromFilename('harbour_lights.flac')).toBe('harbour lights');
    expect(titleFromFilename('../../etc/passwd')).toBe('passwd');
    expect(titleFromFilename('\u0007.wav')).toBe('');
  });
});
