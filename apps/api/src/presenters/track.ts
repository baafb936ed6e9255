import { Type, type Static } from 'typebox';
import type { TrackCard, TrackView, VersionView } from '@earshot/core';
import { imageUrl, publicMediaUrl, withArtworkUrl } from '../media-urls.ts';
import { Nullable } from '../schemas.ts';

/** One media step of a version: its state, progress 0–100, and why it failed or was skipped. */
export const StepSchema = Type.Object({
  state: Type.Union([Type.Literal('pending'), Type.Literal('active'), Type.Literal('done'), Type.Literal('failed')]),
  progress: Type.Number(),
  error: Type.Optional(Type.String()),
  note: Type.Optional(Type.String()),
});

/** A price as tracks and releases carry it: `amountMinor` is the minimum when `payWhatYouWant`. */
export const PriceSchema = Type.Object({
  amountMinor: Type.Integer(),
  currency: Type.String(),
  payWhatYouWant: Type.Boolean(),
});

export const VersionSchema = Type.Object({
  id: Type.String(),
  status: Type.Union([
    Type.Literal('uploaded'),
    Type.Literal('processing'),
    Type.Literal('ready'),
    Type.Literal('failed'),
  ]),
  failureReason: Nullable(Type.String()),
  steps: Type.Record(Type.String(), StepSchema),
  durationMs: Nullable(Type.Integer()),
  sampleRate: Nullable(Type.Integer()),
  channels: Nullable(Type.Integer()),
  codec: Nullable(Type.String()),
  originalFilename: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  readyAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const TrackResponse = Type.Object({
  id: Type.String(),
  title: Type.String(),
  slug: Type.String(),
  description: Type.String(),
  visibility: Type.Union([Type.Literal('public'), Type.Literal('unlisted'), Type.Literal('private')]),
  artist: Type.Object({ id: Type.String(), handle: Type.String(), displayName: Type.String() }),
  status: VersionSchema.properties.status,
  durationMs: Nullable(Type.Integer()),
  loudness: Type.Union([
    Type.Object({
      integratedLufs: Type.Number(),
      lra: Type.Number(),
      truePeakDbtp: Type.Number(),
      trackGainDb: Type.Number(),
    }),
    Type.Null(),
  ]),
  artworkUrl: Nullable(Type.String()),
  waveformUrl: Nullable(Type.String()),
  /** No version is ready yet and the one being processed can already be streamed (`GET /tracks/:id/stream`), by whoever may see the track. */
  playableWhileProcessing: Type.Boolean(),
  currentVersionId: Nullable(Type.String()),
  currentVersion: Nullable(VersionSchema),
  latestVersion: VersionSchema,
  createdAt: Type.String({ format: 'date-time' }),
  genre: Nullable(Type.String()),
  tags: Type.Array(Type.String()),
  /** From the master's tags at upload, or the artist. */
  album: Nullable(Type.String()),
  trackNumber: Nullable(Type.Integer()),
  year: Nullable(Type.Integer()),
  /** A release holding the track that the caller may open (the one titled like its album first), or null. */
  release: Type.Union([Type.Object({ id: Type.String(), title: Type.String() }), Type.Null()]),
  downloadable: Type.Boolean(),
  price: Nullable(PriceSchema),
  likeCount: Type.Integer(),
  repostCount: Type.Integer(),
  commentCount: Type.Integer(),
  playCount: Type.Integer(),
  commentsClosed: Type.Boolean(),
  /** Only for the owner and admins, when an admin took the track down. */
  takedown: Type.Union([Type.Object({ at: Type.String({ format: 'date-time' }), reason: Type.String() }), Type.Null()]),
});
export type TrackResponse = Static<typeof TrackResponse>;

export function presentTrack(view: TrackView): TrackResponse {
  const { artworkKey, waveformKey, hlsKey: _hls, ...rest } = view;
  return {
    ...rest,
    artworkUrl: imageUrl(artworkKey),
    waveformUrl: waveformKey ? publicMediaUrl('waveforms', waveformKey) : null,
  };
}

/** Core's `VersionView` is already the reply's shape (camelCase, ISO dates). */
export function presentVersion(v: VersionView): Static<typeof VersionSchema> {
  return v;
}

/** An artist as a card names them. */
export const ArtistRefSchema = Type.Object({ handle: Type.String(), displayName: Type.String() });

/** What every card of a track (a list, a release, a playlist, search) starts with; spread into its object. */
export const TrackCardHead = {
  id: Type.String(),
  title: Type.String(),
  slug: Type.String(),
  artist: ArtistRefSchema,
  artworkUrl: Nullable(Type.String()),
};

/** A track in a list (`GET /tracks`, a user's tracks). */
export const TrackCardSchema = Type.Object({
  ...TrackCardHead,
  durationMs: Nullable(Type.Integer()),
  createdAt: Type.String({ format: 'date-time' }),
  likeCount: Type.Integer(),
  repostCount: Type.Integer(),
  commentCount: Type.Integer(),
  playCount: Type.Integer(),
});

export const TrackPageSchema = Type.Object({
  tracks: Type.Array(TrackCardSchema),
  nextCursor: Nullable(Type.String()),
});

export function presentTrackPage(page: {
  tracks: TrackCard[];
  nextCursor: string | null;
}): Static<typeof TrackPageSchema> {
  return {
    nextCursor: page.nextCursor,
    tracks: page.tracks.map(withArtworkUrl),
  };
}
