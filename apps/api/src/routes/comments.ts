import { Type } from 'typebox';
import { COMMENT_BODY_MAX, deleteComment, listComments, postComment } from '@earshot/core';
import { errorResponses, Id, ById, ListQuery, PageOf } from '../schemas.ts';
import { currentUser, requireUser } from '../current-user.ts';
import { CommentSchema, presentComment } from '../presenters/community.ts';
import { communityDeps } from '../community-deps.ts';
import type { Api, RouteDeps } from '../types.ts';
import { endpointsTagged } from '../http/endpoint.ts';

const endpoint = endpointsTagged('community');

/**
 * Comments pinned to a moment of a track (docs/architecture.md, "Community"). Writes count in the
 * `comment` rate-limit zone (20 an hour per client); reads never do.
 */
export function commentRoutes(app: Api, deps: RouteDeps): void {
  const community = communityDeps(deps);

  app.post(
    '/api/v1/comments',
    endpoint(
      'signed-in',
      'Comments on a track at a moment (positionMs), or replies to a top-level comment (parentId; pinned to its moment)',
      {
        body: Type.Object(
          {
            trackId: Id,
            body: Type.String({
              minLength: 1,
              maxLength: COMMENT_BODY_MAX,
              'x-text': 'multiline',
              description: 'Plain text',
            }),
            positionMs: Type.Optional(
              Type.Integer({ minimum: 0, description: 'Milliseconds into the track; required unless replying' }),
            ),
            parentId: Type.Optional(Id),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ comment: CommentSchema }), ...errorResponses(400, 401, 403, 404, 429) },
      },
      { rateLimit: 'comment' },
    ),
    async (request, reply) => {
      const comment = await postComment(community, requireUser(request), request.body);
      return reply.status(201).send({ comment: presentComment(comment) });
    },
  );

  app.get(
    '/api/v1/tracks/:id/comments',
    endpoint('anyone', "A track's top-level comments with their replies, by position (default) or newest first", {
      params: ById,
      querystring: Type.Object(
        {
          ...ListQuery,
          order: Type.Union([Type.Literal('position'), Type.Literal('newest')], { default: 'position' }),
        },
        { additionalProperties: false },
      ),
      response: { 200: PageOf(CommentSchema), ...errorResponses(400, 404) },
    }),
    async (request) => {
      const page = await listComments(community, currentUser(request) ?? null, request.params.id, request.query);
      return { items: page.items.map(presentComment), nextCursor: page.nextCursor };
    },
  );

  app.delete(
    '/api/v1/comments/:id',
    // Author, track owner or admin: decided by core (the comment names its track).
    endpoint(
      'signed-in',
      'Soft-deletes a comment: its body goes, its replies stay',
      {
        params: ById,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 429) },
      },
      { rateLimit: 'comment' },
    ),
    async (request, reply) => {
      await deleteComment(community, requireUser(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
