/** The community's answers, named from the API's document (lib/api/schema.d.ts), never copied. */
import type { ApiResponse } from '@/lib/api/client';

export type CommentPage = ApiResponse<'/api/v1/tracks/{id}/comments'>;
export type TrackComment = ApiResponse<'/api/v1/comments', 'post'>['comment'];
export type CommentAuthor = NonNullable<TrackComment['author']>;
export type TrackCounts = ApiResponse<'/api/v1/tracks/{id}/counts'>['track'];
export type UserCounts = ApiResponse<'/api/v1/users/{handle}/counts'>['user'];
