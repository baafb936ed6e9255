import { Type, type Static } from 'typebox';
import type {
  ListedTrack,
  PlaylistView,
  ReleaseView,
  SearchHit,
  StudioTrack,
  BrowseCard,
  ReleaseCard,
  PlaylistCard,
} from '@earshot/core';
import { imageUrl, publicMediaUrl, withArtworkUrl } from '../media-urls.ts';
import { ArtistRefSchema, PriceSchema, StepSchema, TrackCardHead } from './track.ts';
import { Nullable } from '../schemas.ts';

const VisibilitySchema = Type.Union([Type.Literal('public'), Type.Literal('unlisted'), Type.Literal('private')]);

export const ListedTrackSchema = Type.Object({
  position: Type.Integer(),
  ...TrackCardHead,
  waveformUrl: Nullable(Type.String()),
  durationMs: Nullable(Type.Integer()),
  createdAt: Type.String({ format: 'date-time' }),
});

const presentListed = ({ artworkKey, waveformKey, ...t }: ListedTrack): Static<typeof ListedTrackSchema> => ({
  ...t,
  artworkUrl: imageUrl(artworkKey),
  waveformUrl: waveformKey ? publicMediaUrl('waveforms', waveformKey) : null,
});

export const ReleaseSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  slug: Type.String(),
  type: Type.Union([Type.Literal('album'), Type.Literal('ep'), Type.Literal('single')]),
  description: Type.String(),
  credits: Type.String(),
  releaseDate: Nullable(Type.String({ format: 'date' })),
  scheduled: Type.Boolean(),
  visibility: VisibilitySchema,
  artist: Type.Object({ id: Type.String(), handle: Type.String(), displayName: Type.String() }),
  artworkUrl: Nullable(Type.String()),
  price: Nullable(PriceSchema),
  tracks: Type.Array(ListedTrackSchema),
  totalDurationMs: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
});

export function presentRelease({ artworkKey, tracks, ...r }: ReleaseView): Static<typeof ReleaseSchema> {
  return { ...r, artworkUrl: imageUrl(artworkKey), tracks: tracks.map(presentListed) };
}

export const ReleaseCardSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  type: Type.String(),
  releaseDate: Nullable(Type.String({ format: 'date' })),
  artworkUrl: Nullable(Type.String()),
  trackCount: Type.Integer(),
});
export const presentReleaseCard = (r: ReleaseCard) => withArtworkUrl(r);

export const PlaylistSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Type.String(),
  visibility: VisibilitySchema,
  owner: Type.Object({ id: Type.String(), handle: Type.String(), displayName: Type.String() }),
  tracks: Type.Array(ListedTrackSchema),
  totalDurationMs: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
});

export function presentPlaylist({ tracks, ...p }: PlaylistView): Static<typeof PlaylistSchema> {
  return { ...p, tracks: tracks.map(presentListed) };
}

export const PlaylistCardSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  visibility: VisibilitySchema,
  trackCount: Type.Integer(),
});
export const presentPlaylistCard = (p: PlaylistCard) => p;

/** A track found by search or browse: the card with its genre and tags. */
const FoundTrackFields = {
  ...TrackCardHead,
  durationMs: Nullable(Type.Integer()),
  genre: Nullable(Type.String()),
  tags: Type.Array(Type.String()),
};
export const SearchHitSchema = Type.Union([
  Type.Object({ kind: Type.Literal('track'), ...FoundTrackFields }),
  Type.Object({
    kind: Type.Literal('user'),
    id: Type.String(),
    handle: Type.String(),
    displayName: Type.String(),
    avatarUrl: Nullable(Type.String()),
    role: Type.String(),
  }),
  Type.Object({
    kind: Type.Literal('release'),
    id: Type.String(),
    title: Type.String(),
    type: Type.String(),
    artist: ArtistRefSchema,
    artworkUrl: Nullable(Type.String()),
    releaseDate: Nullable(Type.String()),
  }),
  Type.Object({
    kind: Type.Literal('playlist'),
    id: Type.String(),
    title: Type.String(),
    owner: ArtistRefSchema,
    trackCount: Type.Integer(),
  }),
]);

export function presentHit(hit: SearchHit): Static<typeof SearchHitSchema> {
  switch (hit.kind) {
    case 'track':
      return withArtworkUrl(hit);
    case 'user': {
      const { avatarKey, ...u } = hit;
      return { ...u, avatarUrl: imageUrl(avatarKey) };
    }
    case 'release':
      return withArtworkUrl(hit);
    case 'playlist':
      return hit;
  }
}

export const BrowseCardSchema = Type.Object({ ...FoundTrackFields, createdAt: Type.String({ format: 'date-time' }) });
export const presentBrowseCard = (t: BrowseCard) => withArtworkUrl(t);

export const StudioTrackSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  slug: Type.String(),
  description: Type.String(),
  visibility: VisibilitySchema,
  genre: Nullable(Type.String()),
  tags: Type.Array(Type.String()),
  album: Nullable(Type.String()),
  trackNumber: Nullable(Type.Integer()),
  year: Nullable(Type.Integer()),
  downloadable: Type.Boolean(),
  price: Nullable(PriceSchema),
  takenDown: Type.Boolean(),
  artworkUrl: Nullable(Type.String()),
  currentVersionId: Nullable(Type.String()),
  durationMs: Nullable(Type.Integer()),
  latestVersion: Type.Union([
    Type.Object({
      id: Type.String(),
      status: Type.String(),
      failureReason: Nullable(Type.String()),
      steps: Type.Record(Type.String(), StepSchema),
    }),
    Type.Null(),
  ]),
  playCount: Type.Integer(),
  likeCount: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
});
export const presentStudioTrack = (t: StudioTrack) => withArtworkUrl(t);
