import path from 'node:path';
import type { Readable } from 'node:stream';
import {
  DOWNLOAD_FORMAT_INFO,
  formatsFor,
  isDownloadFormat,
  isLosslessCodec,
  type DownloadArgsOptions,
  type DownloadFormat,
} from '@earshot/media';
import { keys } from '@earshot/storage';
import type { Actor } from '../actor.ts';
import type { CoreDeps } from '../deps.ts';
import { AppError, conflict, forbidden, notFound } from '../errors.ts';
import { signUrl, verifySignedUrl } from '../playback/signed-media.ts';
import { fetchOriginal, withScratch } from '../media/scratch.ts';
import { downloadGrant } from './access.ts';
import { loadItem, type ItemType, type SellableItem } from './items.ts';
import type { CommercePorts } from './settings.ts';
import { streamZip, zipSafeName } from './zip-stream.ts';

/** Signed download URLs live under this path; the API serves them in both modes (docs/payments.md, "Downloads"). */
export const DOWNLOAD_URL_PREFIX = '/media/downloads/';
/** What a client is told to wait while formats are made (`Retry-After`). */
export const DOWNLOAD_RETRY_AFTER_SECONDS = 5;

export type DownloadAnswer =
  | { status: 'ready'; url: string; expiresAt: Date }
  | { status: 'preparing'; retryAfterSeconds: number; ready: number; total: number };

export type DownloadDeps = Pick<CoreDeps, 'db' | 'jobs' | 'clock' | 'publicUrl'> & Pick<CommercePorts, 'commerce'>;

const formatUnavailable = (format: string) =>
  new AppError(400, 'format_unavailable', `${format.toUpperCase()} is offered only when every original is lossless`);

/** The formats of an item: FLAC only when every master is lossless. */
export function itemFormats(item: SellableItem): DownloadFormat[] {
  const lossless = item.tracks.length > 0 && item.tracks.every((t) => isLosslessCodec(t.codec));
  return formatsFor(lossless ? 'flac' : null);
}

/** Loads the item as the system does (whatever its visibility), to check a buyer's order against it. */
const SYSTEM: Actor = { id: '0', role: 'admin' };

/**
 * The item and the caller's grant. Buyers never lose what they paid for (docs/architecture.md,
 * "Commerce"): when the artist later makes a bought track or release private, schedules it, or
 * retires it, a paid order still downloads it; everyone else gets the 404 the visibility rule
 * gives. A moderator's takedown is the one exception: taken-down content is gone everywhere.
 */
async function loadForDownload(
  deps: Pick<DownloadDeps, 'db'>,
  actor: Actor | null,
  input: { type: ItemType; id: string; sessionId?: string },
  now: Date,
): Promise<{ item: SellableItem; grant: Awaited<ReturnType<typeof downloadGrant>> }> {
  try {
    const item = await loadItem(deps.db, actor, input.type, input.id, now);
    return { item, grant: await downloadGrant(deps.db, actor, item, input.sessionId) };
  } catch (err) {
    if (!(err instanceof AppError) || err.status !== 404) throw err;
    const item = await loadItem(deps.db, SYSTEM, input.type, input.id, now).catch(() => null);
    if (!item) throw err;
    const grant = await downloadGrant(deps.db, actor, item, input.sessionId);
    if (grant?.kind !== 'order') throw err;
    const table = input.type === 'track' ? 'tracks' : 'releases';
    const row = await deps.db.selectFrom(table).select('taken_down_at').where('id', '=', item.id).executeTakeFirst();
    if (!row || row.taken_down_at) throw err;
    return { item, grant };
  }
}

/**
 * `GET /tracks/:id/download` and `/releases/:id/download` (docs/payments.md, "Downloads"): checks
 * the caller may download the item, makes sure each file exists in the format (queueing the
 * missing ones on the `download-formats` queue — they are made once and kept), and answers a
 * signed URL valid `downloadUrlTtlSeconds`, or "preparing, retry in N s".
 */
export async function requestDownload(
  deps: DownloadDeps,
  actor: Actor | null,
  input: { type: ItemType; id: string; format: string; sessionId?: string },
): Promise<DownloadAnswer> {
  const now = deps.clock();
  const { item, grant } = await loadForDownload(deps, actor, input, now);
  if (!grant) throw forbidden('Buy this to download it');
  if (item.tracks.length === 0) throw conflict('not_available', 'This item has nothing to download yet');
  if (!isDownloadFormat(input.format)) throw new AppError(400, 'validation_failed', 'Unknown format');
  const format = input.format;
  if (!itemFormats(item).includes(format)) throw formatUnavailable(format);

  const versionIds = item.tracks.map((t) => t.versionId);
  const rows = await deps.db
    .selectFrom('download_files')
    .select(['version_id', 'status'])
    .where('version_id', 'in', versionIds)
    .where('format', '=', format)
    .execute();
  const status = new Map(rows.map((r) => [r.version_id, r.status]));
  const missing = versionIds.filter((v) => status.get(v) !== 'ready');
  if (missing.length) {
    for (const versionId of missing) {
      if (status.get(versionId) === 'failed') {
        await deps.db
          .updateTable('download_files')
          .set({ status: 'pending', error: null, requested_at: now })
          .where('version_id', '=', versionId)
          .where('format', '=', format)
          .execute();
      } else if (!status.has(versionId)) {
        await deps.db
          .insertInto('download_files')
          .values({ version_id: versionId, format, status: 'pending' })
          .onConflict((oc) => oc.columns(['version_id', 'format']).doNothing())
          .execute();
      }
      await deps.jobs.add('download-formats', { versionId, format }, { jobId: `download-${versionId}-${format}` });
    }
    return {
      status: 'preparing',
      retryAfterSeconds: DOWNLOAD_RETRY_AFTER_SECONDS,
      ready: versionIds.length - missing.length,
      total: versionIds.length,
    };
  }

  await deps.db
    .insertInto('download_events')
    .values({
      track_id: item.type === 'track' ? item.id : null,
      release_id: item.type === 'release' ? item.id : null,
      user_id: actor?.id ?? null,
      order_id: grant.kind === 'order' ? grant.orderId : null,
      format,
    })
    .execute();
  const signed = signUrl(
    `${DOWNLOAD_URL_PREFIX}${item.type}-${item.id}/${format}`,
    deps.commerce.downloadUrlTtlSeconds,
    deps.commerce.secureLinkSecret,
    now,
  );
  const expires = Number(new URL(signed, 'http://x').searchParams.get('expires'));
  return {
    status: 'ready',
    url: `${deps.publicUrl.replace(/\/+$/, '')}${signed}`,
    expiresAt: new Date(expires * 1000),
  };
}

export interface OpenedDownload {
  filename: string;
  contentType: string;
  /** Known for a single file; a ZIP is streamed without a length. */
  size: number | null;
  body: Readable;
}

const SIGNED_PATH = /^\/media\/downloads\/(track|release)-([1-9][0-9]{0,18})\/([a-z0-9-]{1,16})$/;

/**
 * Serves a signed download URL: 403 when the signature is missing or wrong, 410 when it expired
 * (the statuses of every signed media URL, docs/architecture.md, "Delivery"). The signature is the
 * grant: it was issued by `requestDownload` to someone allowed. A track is its stored file; a
 * release is one ZIP streamed entry by entry from storage.
 */
export async function openSignedDownload(
  deps: Pick<CoreDeps, 'db' | 'store' | 'clock'> & Pick<CommercePorts, 'commerce'>,
  pathname: string,
  sig: string | undefined,
  expires: string | undefined,
): Promise<OpenedDownload> {
  const check = verifySignedUrl(pathname, sig, expires, deps.commerce.secureLinkSecret, deps.clock());
  if (!check.ok) throw new AppError(check.status, check.status === 410 ? 'link_expired' : 'forbidden', check.reason);
  const m = SIGNED_PATH.exec(pathname);
  if (!m || !isDownloadFormat(m[3])) throw notFound('Download');
  const type = m[1] as ItemType;
  const format = m[3];
  const info = DOWNLOAD_FORMAT_INFO[format];
  // The system reads the item as an admin would: the signature already decided who may have it.
  const item = await loadItem(deps.db, { id: '0', role: 'admin' }, type, m[2]!, deps.clock());
  const files = await deps.db
    .selectFrom('download_files')
    .select(['version_id', 'object_key', 'size_bytes'])
    .where('version_id', 'in', item.tracks.length ? item.tracks.map((t) => t.versionId) : ['0'])
    .where('format', '=', format)
    .where('status', '=', 'ready')
    .execute();
  const byVersion = new Map(files.map((f) => [f.version_id, f]));
  if (item.tracks.length === 0 || item.tracks.some((t) => !byVersion.has(t.versionId))) throw notFound('Download');
  const artist = zipSafeName(item.ownerName, 'Artist');
  if (type === 'track') {
    const f = byVersion.get(item.tracks[0]!.versionId)!;
    const object = await deps.store.get('transcodes', f.object_key!);
    return {
      filename: `${artist} - ${zipSafeName(item.title)}.${info.ext}`,
      contentType: info.contentType,
      size: object.totalSize ?? (f.size_bytes ? Number(f.size_bytes) : null),
      body: object.body,
    };
  }
  const width = Math.max(2, String(item.tracks.length).length);
  const entries = item.tracks.map((t) => ({
    name: `${String(t.position).padStart(width, '0')} - ${zipSafeName(t.title)}.${info.ext}`,
    open: async () => (await deps.store.get('transcodes', byVersion.get(t.versionId)!.object_key!)).body,
  }));
  return {
    filename: `${artist} - ${zipSafeName(item.title, 'Release')} (${info.label}).zip`,
    contentType: 'application/zip',
    size: null,
    body: streamZip(entries),
  };
}

/** ffmpeg for one download file, as a port (`createCoreDeps` wires `@earshot/media`'s makeDownloadFile; tests may pass a fake). */
export type DownloadEncoder = (
  options: DownloadArgsOptions & { durationMs?: number },
  signal: AbortSignal,
) => Promise<void>;

export type MakeFormatDeps = Pick<CoreDeps, 'db' | 'store' | 'clock' | 'encodeDownload' | 'scratchDir'>;

/**
 * The `download-formats` job: makes one format of one version from its original, with the track's
 * tags and cover, stores it under `version-<id>/downloads/`, and marks it ready. Idempotent: a
 * format already ready is left alone.
 */
export async function makeDownloadFormat(
  deps: MakeFormatDeps,
  input: { versionId: string; format: string },
  signal: AbortSignal,
): Promise<'made' | 'already_ready' | 'gone'> {
  if (!isDownloadFormat(input.format)) throw new Error(`Unknown download format ${input.format}`);
  const format = input.format;
  const row = await deps.db
    .selectFrom('track_versions as v')
    .innerJoin('tracks as t', 't.id', 'v.track_id')
    .innerJoin('users as u', 'u.id', 't.owner_user_id')
    .leftJoin('download_files as d', (j) => j.onRef('d.version_id', '=', 'v.id').on('d.format', '=', format))
    .select([
      'v.id',
      'v.original_key',
      'v.codec',
      'v.bit_depth',
      'v.duration_ms',
      'v.audio_stream_index',
      'v.artwork_key',
      't.artwork_key as track_artwork_key',
      't.title',
      't.id as track_id',
      't.created_at',
      'u.display_name',
      'd.status',
    ])
    .where('v.id', '=', input.versionId)
    .executeTakeFirst();
  if (!row) return 'gone';
  if (row.status === 'ready') return 'already_ready';
  const release = await deps.db
    .selectFrom('release_tracks as rt')
    .innerJoin('releases as r', 'r.id', 'rt.release_id')
    .select(['r.title', 'r.release_date', 'rt.position'])
    .select((eb) =>
      eb
        .selectFrom('release_tracks as c')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('c.release_id', '=', 'r.id')
        .as('count'),
    )
    .where('rt.track_id', '=', row.track_id)
    .orderBy('r.id')
    .limit(1)
    .executeTakeFirst();
  const info = DOWNLOAD_FORMAT_INFO[format];
  const key = keys.download(row.id, format, info.ext);
  await withScratch(deps.scratchDir, `download-${row.id}-${format}`, async (dir) => {
    const input = await fetchOriginal(deps.store, row.original_key, dir, signal);
    let cover: string | undefined;
    const artworkKey = row.track_artwork_key ?? row.artwork_key;
    if (artworkKey && /\.(jpg|png)$/.test(artworkKey) && info.embedsCover) {
      cover = path.join(dir, `cover${path.extname(artworkKey)}`);
      const { createWriteStream } = await import('node:fs');
      const { pipeline } = await import('node:stream/promises');
      await pipeline((await deps.store.get('images', artworkKey)).body, createWriteStream(cover), { signal });
    }
    const output = path.join(dir, `out.${info.ext}`);
    const year = (release?.release_date ?? row.created_at).getUTCFullYear();
    await deps.encodeDownload(
      {
        input,
        output,
        format,
        cover,
        audioStreamIndex: row.audio_stream_index ?? undefined,
        sourceBits: row.bit_depth ?? undefined,
        durationMs: row.duration_ms ?? undefined,
        tags: {
          title: row.title,
          artist: row.display_name,
          album: release?.title,
          track: release ? `${release.position + 1}/${release.count}` : undefined,
          date: String(year),
        },
      },
      signal,
    );
    const stored = await deps.store.putFile('transcodes', key, output, { contentType: info.contentType });
    await deps.db
      .insertInto('download_files')
      .values({
        version_id: row.id,
        format,
        status: 'ready',
        object_key: key,
        size_bytes: stored.size,
        ready_at: deps.clock(),
      })
      .onConflict((oc) =>
        oc.columns(['version_id', 'format']).doUpdateSet({
          status: 'ready',
          object_key: key,
          size_bytes: stored.size,
          ready_at: deps.clock(),
          error: null,
        }),
      )
      .execute();
  });
  return 'made';
}
