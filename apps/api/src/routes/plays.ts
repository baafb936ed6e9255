import { Type } from 'typebox';
import {
  createPlaysDeps,
  MAX_HEARD_RANGES,
  MAX_RANGE_MS,
  MAX_SECONDS_LISTENED,
  recordPlay,
  validationFailed,
} from '@earshot/core';
import { ById, errorResponses, Id } from '../schemas.ts';
import { endpointsTagged } from '../http/endpoint.ts';
import { currentActor } from '../current-user.ts';
import type { Api, RouteDeps } from '../types.ts';

const endpoint = endpointsTagged('playback');

export function playRoutes(app: Api, deps: RouteDeps): void {
  const plays = createPlaysDeps(deps.core.db, { ipHashSalt: deps.core.ipHashSalt, clock: deps.core.clock });

  app.post(
    '/api/v1/tracks/:id/plays',
    {
      // Per visibility, like the stream: whoever may play the track may report listening to it.
      ...endpoint(
        'anyone',
        'Reports time listened; counted as a play once per listener per track per 30 minutes, after 30 s (or the whole track if shorter)',
        {
          params: ById,
          body: Type.Object(
            {
              versionId: Type.Optional(Id),
              secondsListened: Type.Number({
                minimum: 0,
                maximum: MAX_SECONDS_LISTENED,
                description: 'Seconds actually heard (not seeked over)',
              }),
              ranges: Type.Optional(
                Type.Array(
                  Type.Array(Type.Number({ minimum: 0, maximum: MAX_RANGE_MS }), { minItems: 2, maxItems: 2 }),
                  {
                    maxItems: MAX_HEARD_RANGES,
                    description:
                      'The parts of the track actually played, [[startMs, endMs], …]; a later report of the same listening extends what the play heard',
                  },
                ),
              ),
            },
            { additionalProperties: false },
          ),
          response: {
            201: Type.Object({ counted: Type.Literal(true) }),
            200: Type.Object({
              counted: Type.Literal(false),
              reason: Type.Union([Type.Literal('not_enough_listened'), Type.Literal('already_counted')]),
            }),
            ...errorResponses(400, 403, 404),
          },
        },
      ),
      // The app's validator coerces types, which would read `null` (what JSON.stringify makes of
      // NaN and Infinity) as 0 and "30" as 30; a report must carry a real JSON number.
      preValidation: async (request) => {
        const body = request.body as Record<string, unknown> | null | undefined;
        if (body && typeof body === 'object' && 'secondsListened' in body && typeof body.secondsListened !== 'number') {
          throw validationFailed('body.secondsListened must be a number', { field: 'secondsListened' });
        }
        if (body && typeof body === 'object' && 'ranges' in body) {
          const ranges = body.ranges;
          const pairs =
            Array.isArray(ranges) &&
            ranges.every((r) => Array.isArray(r) && r.length === 2 && r.every((n) => typeof n === 'number'));
          if (!pairs)
            throw validationFailed('body.ranges must be an array of [startMs, endMs] number pairs', {
              field: 'ranges',
            });
        }
      },
    },
    async (request, reply) => {
      const outcome = await recordPlay(plays, {
        trackId: request.params.id,
        versionId: request.body.versionId,
        secondsListened: request.body.secondsListened,
        ranges: request.body.ranges,
        actor: currentActor(request),
        // Fastify's request.ip believes X-Forwarded-For only from TRUST_PROXY peers.
        ip: request.ip,
      });
      reply.header('cache-control', 'no-store');
      if (!outcome.counted) return reply.status(200).send(outcome);
      deps.businessMetrics?.plays.inc();
      return reply.status(201).send(outcome);
    },
  );
}
