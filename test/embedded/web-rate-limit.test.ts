/**
 * A page's server-side API reads count in the visitor's `api` rate budget, not in one budget of
 * the web server's own address: embedded mode hands the web app the client address the API
 * resolved, and the web app forwards it with each read (apps/web/lib/server-api.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register, startPlatform, type RunningPlatform } from '../browser/platform-fixture.ts';

const LIMIT = 3;
let platform: RunningPlatform;

beforeAll(async () => {
  platform = await startPlatform({ RATE_LIMIT_API_PER_MINUTE: String(LIMIT) });
  await register(platform.base, 'rate-test', 'artist');
});
afterAll(async () => {
  await platform?.close();
});

/** The artist page's <title>: the display name only when the server-side profile read got through. */
async function titleFor(visitor: string): Promise<string> {
  const res = await fetch(`${platform.base}/rate-test`, { headers: { 'x-forwarded-for': visitor } });
  expect(res.status).toBe(200);
  return /<title>([^<]*)<\/title>/.exec(await res.text())?.[1] ?? '';
}

describe('server-side reads of the web app', () => {
  it("count against the visitor who asked for the page, so one visitor's views do not use up another's", async () => {
    for (let i = 0; i < LIMIT; i++) expect(await titleFor('198.51.100.7')).toBe('Rate Test (@rate-test) · Earshot');
    // The API refused the read (429): the page still renders, the browser fetches the profile itself.
    expect(await titleFor('198.51.100.7')).toBe('@rate-test · Earshot');
    expect(await titleFor('198.51.100.8')).toBe('Rate Test (@rate-test) · Earshot');
    // The web server's own address spent nothing of its budget on those reads.
    const direct = await fetch(`${platform.base}/api/v1/users/rate-test`);
    expect(direct.status).toBe(200);
  });
});
