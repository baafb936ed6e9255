/**
 * The comment rules on their own (docs/architecture.md, "Community"): body, moment, closed
 * tracks, replies one level deep, and the `comment` rate zone (20 writes an hour per client) on
 * the in-memory limiter with a test clock. Values worked out by hand; every refusal checked for
 * its status, code, field and message.
 */
import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '@earshot/rate-limit';
import {
  checkCommentPosition,
  checkCommentsOpen,
  COMMENT_BODY_MAX,
  commentBody,
  replyPosition,
} from '../../src/community/comment-rules.ts';
import { refusalOf } from '../support/refusal.ts';
import { enforceRateLimit, RATE_LIMIT_ZONES, rateLimited } from '../../src/rate-limit/zones.ts';

const refusal = refusalOf;

describe('comment body', () => {
  it('is trimmed; empty or blank is refused', () => {
    expect(commentBody('  nice drop at 1:02 \n')).toBe('nice drop at 1:02');
    const empty = {
      status: 400,
      code: 'validation_failed',
      message: 'body must not be empty',
      details: { field: 'body' },
    };
    expect(refusal(() => commentBody(''))).toEqual(empty);
    expect(refusal(() => commentBody(' \n\t '))).toEqual(empty);
    expect(commentBody(' a ')).toBe('a');
  });

  it('holds at most 2000 characters, counted as code points after trimming', () => {
    expect(COMMENT_BODY_MAX).toBe(2000);
    expect(commentBody('x'.repeat(2000))).toHaveLength(2000);
    expect(commentBody(`  ${'x'.repeat(2000)}  `)).toHaveLength(2000);
    const long = {
      status: 400,
      code: 'validation_failed',
      message: 'body is longer than 2000 characters',
      details: { field: 'body' },
    };
    expect(refusal(() => commentBody('x'.repeat(2001)))).toEqual(long);
    // 2000 emoji are 4000 UTF-16 units but 2000 characters: accepted; one more is refused.
    expect([...commentBody('🎵'.repeat(2000))]).toHaveLength(2000);
    expect(refusal(() => commentBody('🎵'.repeat(2001)))).toEqual(long);
  });
});

describe('comment position', () => {
  const refused = (positionMs: number, durationMs: number) =>
    refusal(() => checkCommentPosition(positionMs, durationMs));
  it('accepts no position (a reply takes its parent’s) and whole milliseconds in 0..duration, both ends', () => {
    for (const p of [undefined, 0, 1, 59_999, 60_000]) expect(checkCommentPosition(p, 60_000)).toBeUndefined();
    expect(checkCommentPosition(0, 0)).toBeUndefined();
  });
  it('refuses a negative, past-the-end or fractional position, naming the duration', () => {
    const out = {
      status: 400,
      code: 'validation_failed',
      message: "positionMs must be a whole number of milliseconds between 0 and the track's duration (60000)",
      details: { field: 'positionMs' },
    };
    expect(refused(-1, 60_000)).toEqual(out);
    expect(refused(60_001, 60_000)).toEqual(out);
    expect(refused(1.5, 60_000)).toEqual(out);
    expect(refused(Number.NaN, 60_000)).toEqual(out);
    expect(refused(1, 0).message).toContain('(0)');
  });
});

describe('closed comments', () => {
  it('only the owner may post on a closed track; anyone may on an open one', () => {
    expect(checkCommentsOpen({ comments_closed: false, owner_user_id: '1' }, '2')).toBeUndefined();
    expect(checkCommentsOpen({ comments_closed: true, owner_user_id: '1' }, '1')).toBeUndefined();
    expect(refusal(() => checkCommentsOpen({ comments_closed: true, owner_user_id: '1' }, '2'))).toEqual({
      status: 403,
      code: 'comments_closed',
      message: 'The artist has closed comments on this track',
      details: undefined,
    });
  });
});

describe('replies', () => {
  const parent = { parent_id: null, position_ms: 12_345, deleted_at: null, taken_down_at: null };
  it('take the moment of a live top-level comment', () => {
    expect(replyPosition(parent)).toBe(12_345);
  });
  it('a missing, deleted or taken-down parent is 404; a reply to a reply is 400', () => {
    const gone = { status: 404, code: 'not_found', message: 'Comment to reply to not found', details: undefined };
    expect(refusal(() => replyPosition(undefined))).toEqual(gone);
    expect(refusal(() => replyPosition({ ...parent, deleted_at: new Date(0) }))).toEqual(gone);
    expect(refusal(() => replyPosition({ ...parent, taken_down_at: '2026-07-01T00:00:00Z' }))).toEqual(gone);
    expect(refusal(() => replyPosition({ ...parent, parent_id: '9' }))).toEqual({
      status: 400,
      code: 'validation_failed',
      message: 'Replies go one level deep: reply to the comment, not to a reply',
      details: { field: 'parentId', reason: 'reply_to_reply' },
    });
  });
});

describe('comment rate zone', () => {
  it('20 writes an hour per client; the 21st is 429 with the seconds until the window ends', async () => {
    expect(RATE_LIMIT_ZONES.comment).toEqual({ limit: 20, windowMs: 3_600_000 });
    let now = 0;
    const limiter = new MemoryRateLimiter(() => now);
    for (let i = 1; i <= 20; i++)
      expect(await enforceRateLimit(limiter, 'comment', '203.0.113.9')).toEqual({ remaining: 20 - i });
    now = 3_000_500;
    await expect(enforceRateLimit(limiter, 'comment', '203.0.113.9')).rejects.toMatchObject({
      status: 429,
      code: 'rate_limited',
      message: 'Too many requests; slow down and try again',
      // 599.5 s left, rounded up.
      details: { retryAfterSeconds: 600 },
    });
    // Counted per client and per zone: another client, or the same client in another zone, is untouched.
    expect(await enforceRateLimit(limiter, 'comment', '203.0.113.10')).toEqual({ remaining: 19 });
    expect(await enforceRateLimit(limiter, 'report', '203.0.113.9')).toEqual({ remaining: 19 });
    now = 3_600_000;
    expect(await enforceRateLimit(limiter, 'comment', '203.0.113.9')).toEqual({ remaining: 19 });
  });
  it('a rule given for the call replaces the zone’s', async () => {
    const limiter = new MemoryRateLimiter(() => 0);
    const rule = { limit: 1, windowMs: 10_000 };
    expect(await enforceRateLimit(limiter, 'comment', 'c', rule)).toEqual({ remaining: 0 });
    await expect(enforceRateLimit(limiter, 'comment', 'c', rule)).rejects.toMatchObject({
      details: { retryAfterSeconds: 10 },
    });
  });
  it('Retry-After is at least one second, rounded up', () => {
    expect(rateLimited(0).details).toEqual({ retryAfterSeconds: 1 });
    expect(rateLimited(1).details).toEqual({ retryAfterSeconds: 1 });
    expect(rateLimited(1001).details).toEqual({ retryAfterSeconds: 2 });
    expect(rateLimited(5000, 'slow').message).toBe('slow');
  });
});
