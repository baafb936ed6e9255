import { Type } from 'typebox';
import { OEMBED_MAX_URL_LENGTH, oembedFor } from '@earshot/core';
import { errorResponses } from '../schemas.ts';
import { publicMediaUrl } from '../media-urls.ts';
import type { Api, RouteDeps } from '../types.ts';
import { endpointsTagged } from '../http/endpoint.ts';

const endpoint = endpointsTagged('embeds');

/** oEmbed 1.0 (docs/architecture.md, "Embeds and sharing"): a pasted link of a track or release becomes its embedded player. */
export function oembedRoutes(app: Api, deps: RouteDeps): void {
  app.get(
    '/api/oembed',
    endpoint(
      'public',
      'oEmbed 1.0 for a track or release URL: type "rich", the iframe of its embed page; unknown or foreign URLs → 404; only format=json',
      {
        querystring: Type.Object(
          {
            url: Type.String({ minLength: 1, maxLength: OEMBED_MAX_URL_LENGTH }),
            format: Type.Optional(Type.String({ maxLength: 10 })),
            maxwidth: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
            maxheight: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
          },
          // Consumers add their own parameters (e.g. `callback`, `iframe`): ignored, not refused.
          { additionalProperties: true },
        ),
        response: {
          200: Type.Object({
            version: Type.Literal('1.0'),
            type: Type.Literal('rich'),
            provider_name: Type.String(),
            provider_url: Type.String(),
            title: Type.String(),
            author_name: Type.String(),
            author_url: Type.String(),
            html: Type.String(),
            width: Type.Integer(),
            height: Type.Integer(),
            thumbnail_url: Type.Optional(Type.String()),
            thumbnail_width: Type.Optional(Type.Integer()),
            thumbnail_height: Type.Optional(Type.Integer()),
          }),
          ...errorResponses(400, 404, 501),
        },
      },
    ),
    async (request, reply) => {
      const body = await oembedFor({ ...deps.core, imageUrl: (key) => publicMediaUrl('images', key) }, request.query);
      reply.header('cache-control', 'public, max-age=300');
      return body;
    },
  );
}
