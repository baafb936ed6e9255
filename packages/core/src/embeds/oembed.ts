import type { Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import { AppError, notFound } from '../errors.ts';
import { releaseVisibleTo, trackVisibleTo } from '../visibility.ts';

/**
 * oEmbed 1.0 (docs/architecture.md, "Embeds and sharing"): for a URL of this platform naming a
 * track or a release anyone may see, a "rich" response whose HTML is an iframe of the embed
 * page. Any other URL — another host, a page that is not a track or release, something private or
 * taken down — is a 404, as the oEmbed spec asks. Only JSON is served (XML → 501).
 */
export const OEMBED_DEFAULT_SIZE = {
  track: { width: 600, height: 166 },
  release: { width: 600, height: 420 },
} as const;
/** Below this the player cannot show its controls; a smaller maxwidth/maxheight is answered with 404 (oEmbed: cannot satisfy). */
export const OEMBED_MIN_SIZE = { width: 200, height: 120 } as const;
export const OEMBED_MAX_URL_LENGTH = 2000;

export type EmbedTarget =
  | { kind: 'track'; id: string }
  | { kind: 'track-page'; handle: string; slug: string }
  | { kind: 'release'; id: string };

export interface OEmbed {
  version: '1.0';
  type: 'rich';
  provider_name: string;
  provider_url: string;
  title: string;
  author_name: string;
  author_url: string;
  html: string;
  width: number;
  height: number;
  thumbnail_url?: string;
  thumbnail_width?: number;
  thumbnail_height?: number;
}

const ID = /^[1-9][0-9]{0,17}$/;
const SEGMENT = /^[A-Za-z0-9_.~-]{1,100}$/;

/** What a URL names, if it is one of ours (same origin as `publicUrl`): an embed page or a track page. */
export function parseEmbeddableUrl(raw: string, publicUrl: string): EmbedTarget | null {
  let url: URL;
  let base: URL;
  try {
    url = new URL(raw);
    base = new URL(publicUrl);
  } catch {
    return null;
  }
  if (url.origin !== base.origin || url.username || url.password) return null;
  const parts = url.pathname.split('/').filter(Boolean);
  if (parts[0] === 'embed' && parts.length === 3 && ID.test(parts[2]!)) {
    if (parts[1] === 'track') return { kind: 'track', id: parts[2]! };
    if (parts[1] === 'release') return { kind: 'release', id: parts[2]! };
    return null;
  }
  if (parts[0] === 'release' && parts.length === 2 && ID.test(parts[1]!)) return { kind: 'release', id: parts[1]! };
  if (
    parts.length === 2 &&
    SEGMENT.test(parts[0]!) &&
    SEGMENT.test(parts[1]!) &&
    parts[0] !== 'embed' &&
    parts[0] !== 'api'
  ) {
    return {
      kind: 'track-page',
      handle: decodeURIComponent(parts[0]!).replace(/^@/, ''),
      slug: decodeURIComponent(parts[1]!),
    };
  }
  return null;
}

const escapeAttr = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The size to answer: the default, shrunk to fit maxwidth/maxheight; null when the player cannot fit. */
export function fitSize(
  kind: 'track' | 'release',
  max: { maxwidth?: number; maxheight?: number },
): { width: number; height: number } | null {
  const d = OEMBED_DEFAULT_SIZE[kind];
  const width = Math.min(d.width, max.maxwidth ?? Infinity);
  const height = Math.min(d.height, max.maxheight ?? Infinity);
  if (width < OEMBED_MIN_SIZE.width || height < OEMBED_MIN_SIZE.height) return null;
  return { width: Math.floor(width), height: Math.floor(height) };
}

/** Artwork keys end in their bounding box (`…/1200.jpg`, `…-512.webp`); a key without one is given as 500. */
function thumbnail(origin: string, path: string, key: string) {
  const box = Number(/(\d{2,5})\.(?:jpg|png|webp)$/.exec(key)?.[1] ?? 500);
  return { thumbnail_url: `${origin}${path}`, thumbnail_width: box, thumbnail_height: box };
}

export const oembedFormatNotImplemented = () => new AppError(501, 'not_implemented', 'Only format=json is served');

export async function oembedFor(
  deps: { db: Kysely<Database>; publicUrl: string; clock: () => Date; imageUrl: (key: string) => string },
  input: { url: string; format?: string; maxwidth?: number; maxheight?: number },
): Promise<OEmbed> {
  if (input.format && input.format !== 'json') throw oembedFormatNotImplemented();
  const target = parseEmbeddableUrl(input.url, deps.publicUrl);
  if (!target) throw notFound('Embeddable page');
  const origin = new URL(deps.publicUrl).origin;
  let kind: 'track' | 'release';
  let row: { id: string; title: string; handle: string; display_name: string; artwork: string | null } | undefined;
  if (target.kind === 'release') {
    kind = 'release';
    row = await deps.db
      .selectFrom('releases as r')
      .innerJoin('users as u', 'u.id', 'r.owner_user_id')
      .select(['r.id', 'r.title', 'u.handle', 'u.display_name', 'r.artwork_key as artwork'])
      .where('r.id', '=', target.id)
      .where((eb) => releaseVisibleTo(eb, null, deps.clock(), 'r'))
      .executeTakeFirst();
  } else {
    kind = 'track';
    let q = deps.db
      .selectFrom('tracks as t')
      .innerJoin('users as u', 'u.id', 't.owner_user_id')
      .leftJoin('track_versions as v', 'v.id', 't.current_version_id')
      .select((eb) => [
        't.id',
        't.title',
        'u.handle',
        'u.display_name',
        eb.fn.coalesce('t.artwork_key', 'v.artwork_key').as('artwork'),
      ])
      .where((eb) => trackVisibleTo(eb, null, 't'));
    q =
      target.kind === 'track'
        ? q.where('t.id', '=', target.id)
        : q.where('u.handle', '=', target.handle.toLowerCase()).where('t.slug', '=', target.slug);
    row = await q.executeTakeFirst();
  }
  if (!row) throw notFound('Embeddable page');
  const size = fitSize(kind, input);
  if (!size) throw notFound('Embed of that size');
  const src = `${origin}/embed/${kind}/${row.id}`;
  const title = `${row.title} by ${row.display_name}`;
  const html = `<iframe src="${escapeAttr(src)}" width="${size.width}" height="${size.height}" style="border:0" allow="autoplay; encrypted-media" loading="lazy" title="${escapeAttr(title)}"></iframe>`;
  return {
    version: '1.0',
    type: 'rich',
    provider_name: 'Earshot',
    provider_url: `${origin}/`,
    title: row.title,
    author_name: row.display_name,
    author_url: `${origin}/${encodeURIComponent(row.handle)}`,
    html,
    width: size.width,
    height: size.height,
    ...(row.artwork ? thumbnail(origin, deps.imageUrl(row.artwork), row.artwork) : {}),
  };
}
