import { Type, type Static } from 'typebox';
import {
  avatarKeyOfSize,
  type CommentView,
  type FeedEntry,
  type FeedTrack,
  type NotificationGroup,
  type TrackCounts,
  type UserCard,
  type UserCounts,
} from '@earshot/core';
import { publicMediaUrl, withArtworkUrl } from '../media-urls.ts';
import { TrackCardSchema as ListTrackCardSchema } from './track.ts';
import { Nullable } from '../schemas.ts';

const Url = Nullable(Type.String());
const smallAvatar = (key: string | null) => (key ? publicMediaUrl('images', avatarKeyOfSize(key, 128)) : null);

const CommentFields = {
  id: Type.String(),
  trackId: Type.String(),
  parentId: Nullable(Type.String()),
  author: Type.Union(
    [
      Type.Object({ id: Type.String(), handle: Type.String(), displayName: Type.String(), avatarUrl: Url }),
      Type.Null(),
    ],
    { description: 'null once the account is deleted' },
  ),
  body: Type.Union([Type.String(), Type.Null()], {
    description: 'Plain text (render it escaped); null once deleted or taken down',
  }),
  deleted: Type.Boolean(),
  takedown: Type.Optional(
    Type.Object(
      { reason: Type.String() },
      { description: "A moderator's takedown and its reason: only for the comment's author and admins" },
    ),
  ),
  positionMs: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
};
export const CommentSchema = Type.Object(
  { ...CommentFields, replies: Type.Optional(Type.Array(Type.Object(CommentFields))) },
  { $id: 'Comment' },
);

type CommentOut = Static<typeof CommentSchema>;
export function presentComment(c: CommentView): CommentOut {
  return {
    id: c.id,
    trackId: c.trackId,
    parentId: c.parentId,
    author: c.author
      ? {
          id: c.author.id,
          handle: c.author.handle,
          displayName: c.author.displayName,
          avatarUrl: smallAvatar(c.author.avatarKey),
        }
      : null,
    body: c.body,
    deleted: c.deleted,
    ...(c.takedown ? { takedown: { reason: c.takedown.reason } } : {}),
    positionMs: c.positionMs,
    createdAt: c.createdAt,
    ...(c.replies ? { replies: c.replies.map((r) => presentComment(r)) } : {}),
  };
}

export const TrackCountsSchema = Type.Object(
  {
    id: Type.String(),
    likeCount: Type.Integer(),
    repostCount: Type.Integer(),
    commentCount: Type.Integer(),
    playCount: Type.Integer(),
    liked: Type.Optional(Type.Boolean()),
    reposted: Type.Optional(Type.Boolean()),
  },
  { $id: 'TrackCounts' },
);
export const presentTrackCounts = (t: TrackCounts) => t;

export const UserCountsSchema = Type.Object(
  {
    id: Type.String(),
    handle: Type.String(),
    followerCount: Type.Integer(),
    followingCount: Type.Integer(),
    following: Type.Optional(Type.Boolean()),
  },
  { $id: 'UserCounts' },
);
export const presentUserCounts = (u: UserCounts) => u;

export const UserCardSchema = Type.Object({
  id: Type.String(),
  handle: Type.String(),
  displayName: Type.String(),
  avatarUrl: Url,
  role: Type.String(),
  followerCount: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
});
export const presentUserCard = (u: UserCard) => ({
  id: u.id,
  handle: u.handle,
  displayName: u.displayName,
  avatarUrl: smallAvatar(u.avatarKey),
  role: u.role,
  followerCount: u.followerCount,
  at: u.at,
});

/** A track as the feed and the library show it. */
export const TrackCardSchema = Type.Object({
  ...ListTrackCardSchema.properties,
  artist: Type.Object({ id: Type.String(), handle: Type.String(), displayName: Type.String() }),
});

export const FeedEntrySchema = Type.Object({
  kind: Type.Union([Type.Literal('track'), Type.Literal('release')]),
  at: Type.String({ format: 'date-time' }),
  track: Type.Union([TrackCardSchema, Type.Null()], { description: 'The track of a `track` entry' }),
  release: Type.Union(
    [
      Type.Object({
        id: Type.String(),
        title: Type.String(),
        slug: Type.String(),
        type: Type.String({ description: 'album, ep or single' }),
        artist: Type.Object({ id: Type.String(), handle: Type.String(), displayName: Type.String() }),
        artworkUrl: Url,
        releaseDate: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
        trackCount: Type.Integer(),
      }),
      Type.Null(),
    ],
    { description: 'The release of a `release` entry (its tracks are not listed one by one)' },
  ),
  repostedBy: Type.Array(Type.Object({ handle: Type.String(), displayName: Type.String() })),
});
export const presentTrackCard = (track: FeedTrack) => withArtworkUrl(track);
export function presentFeedEntry(e: FeedEntry) {
  if (e.kind === 'release') {
    return {
      kind: e.kind,
      at: e.at,
      track: null,
      release: withArtworkUrl(e.release),
      repostedBy: [],
    };
  }
  return { kind: e.kind, at: e.at, track: presentTrackCard(e.track), release: null, repostedBy: e.repostedBy };
}

export const NotificationSchema = Type.Object({
  id: Type.String(),
  type: Type.Union([
    Type.Literal('follow'),
    Type.Literal('comment'),
    Type.Literal('reply'),
    Type.Literal('like'),
    Type.Literal('repost'),
    Type.Literal('sale'),
  ]),
  count: Type.Integer({ description: 'How many people ("12 people liked …")' }),
  actors: Type.Array(Type.Object({ handle: Type.String(), displayName: Type.String(), avatarUrl: Url })),
  track: Type.Union([
    Type.Object({ id: Type.String(), title: Type.String(), slug: Type.String(), artistHandle: Type.String() }),
    Type.Null(),
  ]),
  comment: Type.Union([
    Type.Object({ id: Type.String(), body: Nullable(Type.String()), positionMs: Type.Integer() }),
    Type.Null(),
  ]),
  release: Type.Union([
    Type.Object({ id: Type.String(), title: Type.String(), slug: Type.String(), artistHandle: Type.String() }),
    Type.Null(),
  ]),
  at: Type.String({ format: 'date-time' }),
  unread: Type.Boolean(),
});
export function presentNotification(n: NotificationGroup) {
  return {
    ...n,
    actors: n.actors.map((a) => ({
      handle: a.handle,
      displayName: a.displayName,
      avatarUrl: smallAvatar(a.avatarKey),
    })),
  };
}
