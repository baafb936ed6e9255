import { describe, expect, it } from 'vitest';
import { commonAlbum, formFromTags, inTrackOrder, titleFromFileName } from '../components/upload/file-tags';

describe('tags from the file → the upload form', () => {
  it('maps title, artist, album, genre, year and track number', () => {
    const form = formFromTags(
      {
        title: 'Harbour Lights',
        artist: 'Tide',
        album: 'Tides',
        genre: ['Ambient/Drone'],
        date: '2019-05-04',
        track: '3/12',
      },
      'song1.flac',
    );
    expect(form).toEqual({
      title: 'Harbour Lights',
      titled: true,
      artist: 'Tide',
      album: 'Tides',
      genre: 'ambient',
      year: 2019,
      trackNumber: 3,
      cover: null,
    });
  });

  it('reads a track number "3/12" and the parser’s {no}, a year from a full date or a number', () => {
    expect(formFromTags({ track: '3/12' }, 'a.mp3').trackNumber).toBe(3);
    expect(formFromTags({ track: { no: 7 } }, 'a.mp3').trackNumber).toBe(7);
    expect(formFromTags({ track: 'side B' }, 'a.mp3').trackNumber).toBeNull();
    expect(formFromTags({ track: '0/12' }, 'a.mp3').trackNumber).toBeNull();
    expect(formFromTags({ date: '2019-05-04T10:00:00Z' }, 'a.mp3').year).toBe(2019);
    expect(formFromTags({ year: 1987 }, 'a.mp3').year).toBe(1987);
    expect(formFromTags({ date: 'someday', year: '20190' }, 'a.mp3').year).toBeNull();
  });

  it('without tags the title is the file name without its extension', () => {
    expect(formFromTags({}, 'harbour_lights.flac')).toMatchObject({
      title: 'harbour lights',
      titled: false,
      album: null,
      genre: '',
      year: null,
      trackNumber: null,
    });
    expect(formFromTags(null, '03_night-drive (master).wav').title).toBe('03 night-drive (master)');
    expect(titleFromFileName('C:\\music\\take.2.aiff')).toBe('take.2');
  });

  it('cleans hostile values and keeps a genre the catalogue accepts', () => {
    const form = formFromTags({ title: `\u0007Evil\u202e ${'x'.repeat(500)}`, genre: '(17)Rock, Pop #1?' }, 'a.mp3');
    expect(form.title.startsWith('Evil x')).toBe(true);
    expect(form.title.length).toBe(200);
    expect(form.genre).toBe('rock');
  });

  it('keeps an embedded JPEG or PNG cover as a Blob', () => {
    const data = new Uint8Array([0xff, 0xd8, 0xff, 0xe0]);
    const form = formFromTags({ picture: [{ format: 'image/jpeg', data }] }, 'a.flac');
    expect(form.cover?.type).toBe('image/jpeg');
    expect(form.cover?.size).toBe(4);
    expect(formFromTags({ picture: [{ format: 'image/x-unknown', data }] }, 'a.flac').cover).toBeNull();
  });

  it('orders files by track number, then as they were added; the release takes the common album', () => {
    const files = [
      { name: 'c', trackNumber: null },
      { name: 'b', trackNumber: 2 },
      { name: 'a', trackNumber: 1 },
      { name: 'd', trackNumber: null },
      { name: 'b2', trackNumber: 2 },
    ];
    expect(inTrackOrder(files).map((f) => f.name)).toEqual(['a', 'b', 'b2', 'c', 'd']);
    expect(commonAlbum([null, 'Tides', 'Other', 'Tides'])).toBe('Tides');
    expect(commonAlbum([null])).toBeNull();
  });
});
