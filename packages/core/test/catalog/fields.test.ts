/** The catalogue's field rules and the retired-track rule, without a database. */
import { describe, expect, it } from 'vitest';
import {
  canSeeTrack,
  isTrackListed,
  normalizeGenre,
  normalizePrice,
  normalizeReleaseDate,
  normalizeTags,
  normalizeSearch,
} from '../../src/index.ts';

const now = new Date('2026-12-02T10:00:00Z');

describe('price', () => {
  it('takes minor units of an ISO 4217 currency; null is not for sale', () => {
    expect(normalizePrice(null)).toBeNull();
    expect(normalizePrice({ amountMinor: 700, currency: 'eur' })).toEqual({
      amountMinor: 700,
      currency: 'EUR',
      payWhatYouWant: false,
    });
    expect(normalizePrice({ amountMinor: 0, currency: 'JPY', payWhatYouWant: true })).toEqual({
      amountMinor: 0,
      currency: 'JPY',
      payWhatYouWant: true,
    });
  });
  it.each([
    [{ amountMinor: -1, currency: 'EUR' }],
    [{ amountMinor: 1.5, currency: 'EUR' }],
    [{ amountMinor: 100_000_001, currency: 'EUR' }],
    [{ amountMinor: Number.NaN, currency: 'EUR' }],
    [{ amountMinor: 100, currency: 'ABC' }],
    [{ amountMinor: 100, currency: 'EURO' }],
    [{ amountMinor: 100, currency: '' }],
    [{ amountMinor: 0, currency: 'EUR', payWhatYouWant: false }],
  ])('refuses %j', (price) => {
    expect(() => normalizePrice(price)).toThrow(expect.objectContaining({ status: 400, code: 'validation_failed' }));
  });
});

describe('genre and tags', () => {
  it('fold to lower case with single spaces; empty clears; duplicates drop', () => {
    expect(normalizeGenre('  Deep   House ')).toBe('deep house');
    expect(normalizeGenre('')).toBeNull();
    expect(normalizeGenre(null)).toBeNull();
    expect(normalizeTags(['Sea', 'sea', ' Field  Recording ', ''])).toEqual(['sea', 'field recording']);
  });
  it('refuses too long, too many, and URL-breaking characters', () => {
    expect(() => normalizeGenre('x'.repeat(41))).toThrow(/at most 40/);
    expect(() => normalizeTags(Array.from({ length: 11 }, (_, i) => `t${i}`))).toThrow(/At most 10/);
    for (const bad of ['a/b', 'a#b', 'a,b', 'a?b', 'a\\b']) expect(() => normalizeTags([bad])).toThrow();
    expect(() => normalizeGenre('a\u202eb')).toThrow();
  });
});

describe('release date', () => {
  it('is a real calendar day between 1860 and five years ahead', () => {
    expect(normalizeReleaseDate('2026-12-24', now)).toBe('2026-12-24');
    expect(normalizeReleaseDate('1969-07-20', now)).toBe('1969-07-20');
    expect(normalizeReleaseDate(null, now)).toBeNull();
    for (const bad of [
      '30000-01-01',
      '2026-02-30',
      '2026-13-01',
      '1859-12-31',
      '2032-01-01',
      '2026-1-1',
      'tomorrow',
      '2026-12-02T00:00:00Z',
    ]) {
      expect(() => normalizeReleaseDate(bad, now), bad).toThrow(expect.objectContaining({ status: 400 }));
    }
  });
});

describe('a retired track', () => {
  const base = {
    ownerUserId: '1',
    visibility: 'public' as const,
    currentVersionId: '5',
    takenDownAt: null,
    ownerDisabledAt: null,
  };
  it('is gone for everyone, its owner included; admins still see it', () => {
    const retired = { ...base, deletedAt: now };
    expect(canSeeTrack(null, retired)).toBe(false);
    expect(canSeeTrack({ id: '1', role: 'artist' }, retired)).toBe(false);
    expect(canSeeTrack({ id: '9', role: 'admin' }, retired)).toBe(true);
    expect(isTrackListed(retired)).toBe(false);
    expect(canSeeTrack({ id: '1', role: 'artist' }, base)).toBe(true);
  });
});

describe('search input', () => {
  it('trims, bounds the limit, defaults to tracks; refuses empty, long and unknown types', () => {
    expect(normalizeSearch({ q: '  harbur   lights ' })).toEqual({
      q: 'harbur lights',
      type: 'track',
      limit: 20,
      offset: 0,
    });
    expect(normalizeSearch({ q: 'x', limit: 500 }).limit).toBe(50);
    for (const input of [
      { q: '' },
      { q: '   ' },
      { q: 'x'.repeat(101) },
      { q: 'x', type: 'song' },
      { q: 'x', cursor: 'bad!' },
    ])
      expect(() => normalizeSearch(input)).toThrow();
  });
});
