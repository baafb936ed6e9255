/**
 * The web's types of the API (apps/web/lib/api/schema.d.ts) are generated from the API's OpenAPI
 * document; this fails when a route changed and the committed file was not regenerated.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, renderApiTypes } from '../../scripts/api-types.ts';

describe('apps/web/lib/api/schema.d.ts', () => {
  it('is what the API describes today', async () => {
    const fresh = await renderApiTypes();
    const committed = readFileSync(API_TYPES_FILE, 'utf8');
    expect(committed === fresh, 'the API changed: run npm run api:types and commit apps/web/lib/api/schema.d.ts').toBe(
      true,
    );
  });

  it('types the routes the web calls', async () => {
    const committed = readFileSync(API_TYPES_FILE, 'utf8');
    for (const route of ['/api/v1/tracks', '/api/v1/auth/me', '/api/v1/users/{handle}/tracks/{slug}'])
      expect(committed).toContain(`"${route}": {`);
  });
});
