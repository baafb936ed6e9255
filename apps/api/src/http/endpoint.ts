import type { FastifyContextConfig, FastifySchema } from 'fastify';
import type { Access } from '../plugins/access.ts';

/**
 * A route's options in one call (docs/architecture.md, "Adding a feature"): who may call it
 * (`config.access`, enforced by the access plugin; `more` for the rest of the route's config, such
 * as its rate-limit zone) and the schema that validates its input and documents it in the OpenAPI
 * document, under the module's tag with a one-line summary.
 *
 *   const endpoint = endpointsTagged('playlists');
 *   app.get('/api/v1/playlists/:id', endpoint('anyone', 'A playlist', { params: ById, response }), handler);
 */
export function endpointsTagged(tag: string) {
  return <S extends FastifySchema>(
    access: Access,
    summary: string,
    schema: S,
    more: Omit<FastifyContextConfig, 'access'> = {},
  ): { config: FastifyContextConfig & { access: Access }; schema: S & { tags: string[]; summary: string } } => ({
    config: { access, ...more },
    schema: { tags: [tag], summary, ...schema },
  });
}
