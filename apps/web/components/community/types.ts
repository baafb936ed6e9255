export interface CommentAuthor {
  id: string;
  handle: string;
  displayName: string;
  avatarUrl: string | null;
}

export interface TrackComment {
  id: string;
  trackId: string;
  parentId: string | null;
  /** null once the author's account is deleted. */
  author: CommentAuthor | null;
  body: string | null;
  deleted: boolean;
  positionMs: number;
  createdAt: string;
  replies?: TrackComment[];
}

export interface CommentPage {
  items: TrackComment[];
  nextCursor: string | null;
}

export interface TrackCounts {
  id: string;
  likeCount: number;
  repostCount: number;
  commentCount: number;
  playCount: number;
  liked?: boolean;
  reposted?: boolean;
}

export interface UserCounts {
  id: string;
  handle: string;
  followerCount: number;
  followingCount: number;
  following?: boolean;
}

export function parseCommentPage(body: unknown): CommentPage {
  const b = body as Partial<CommentPage> | null;
  return {
    items: Array.isArray(b?.items) ? b.items : [],
    nextCursor: typeof b?.nextCursor === 'string' ? b.nextCursor : null,
  };
}
