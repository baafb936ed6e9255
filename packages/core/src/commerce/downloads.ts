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
import type { Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import { ownsOrAdmin, type Actor } from '../actor.ts';
import type { CoreDeps } from '../deps.ts';
import { AppError, conflict, forbidden, notFound } from '../errors.ts';
import { signUrl, verifySignedUrl } from '../playback/signed-media.ts';
import { fetchOriginal, withScratch } from '../media/scratch.ts';
import { downloadGrant } from './access.ts';
import { loadItem, type ItemType, type SellableItem } from './items.ts';
import { isFree } from './pricing.ts';
import type { CommercePorts } from './settings.ts';
import { streamZip, zipSafeName } from './zip-stream.ts';

/** Signed download URLs live under this path; the API serves them in both modes (docs/payments.md, "Downloads"). */
export const DOWNLOAD_URL_PREFIX = '/media/downloads/';
/** What a client is told to wait while formats are made (`Retry-After`). */
export const DOWNLOAD_RETRY_AFTER_SECONDS = 5;

export type DownloadAnswer =
  | { status: 'ready'; url: string; expiresAt: Date }
  | { status: 'preparing'; retryAfterSeconds: number; ready: number; total: number };

/** How many characters of ffmpeg's error a failed format keeps (shown to its artist). */
const FAILURE_TEXT_MAX = 500;

const downloadFailed = (format: DownloadFormat, manage: boolean, error: string | null) =>
  new AppError(
    409,
    'download_failed',
    manage
      ? `The ${DOWNLOAD_FORMAT_INFO[format].label} file could not be made${error ? ` (${error})` : ''}. Retry to make it again.`
      : `The ${DOWNLOAD_FORMAT_INFO[format].label} file could not be made. The artist has to retry it; the other formats still work.`,
  );

const revoked = () =>
  new AppError(
    403,
    'download_revoked',
    'This download link no longer works: the purchase was refunded or the item removed',
  );

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
  input: { type: ItemType; id: string; format: string; sessionId?: string; retry?: boolean },
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
    .select(['version_id', 'status', 'error', 'requested_at'])
    .where('version_id', 'in', versionIds)
    .where('format', '=', format)
    .execute();
  const byVersion = new Map(rows.map((r) => [r.version_id, r]));
  // A format whose job failed on its last attempt stays failed (no endless "preparing"): the
  // buyer is told so; its artist or an admin asks again with `retry`.
  const failed = rows.filter((r) => r.status === 'failed');
  const manage = grant.kind === 'owner';
  if (failed.length && !(manage && input.retry)) throw downloadFailed(format, manage, failed[0]!.error);
  const missing = versionIds.filter((v) => byVersion.get(v)?.status !== 'ready');
  if (missing.length) {
    for (const versionId of missing) {
      const row = byVersion.get(versionId);
      let requestedAt = row?.requested_at;
      if (row?.status === 'failed') {
        requestedAt = now;
        await deps.db
          .updateTable('download_files')
          .set({ status: 'pending', error: null, requested_at: now })
          .where('version_id', '=', versionId)
          .where('format', '=', format)
          .where('status', '=', 'failed')
          .execute();
      } else if (!row) {
        const inserted = await deps.db
          .insertInto('download_files')
          .values({ version_id: versionId, format, status: 'pending', requested_at: now })
          .onConflict((oc) => oc.columns(['version_id', 'format']).doNothing())
          .returning('requested_at')
          .executeTakeFirst();
        requestedAt = inserted?.requested_at ?? now;
      }
      // One job per request generation: the queues keep finished and failed jobs for a while and
      // ignore a second add of the same id, so a retry or a file made again after new metadata
      // (invalidateDownloadFiles) needs an id of its own.
      await deps.jobs.add(
        'download-formats',
        { versionId, format },
        { jobId: `download-${versionId}-${format}-${(requestedAt ?? now).getTime()}` },
      );
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
  // The URL names the grant it was issued under, so serving it checks that grant again.
  const grantTag = grant.kind === 'order' ? `o${grant.orderId}` : grant.kind === 'owner' ? `u${actor!.id}` : 'free';
  const signed = signUrl(
    `${DOWNLOAD_URL_PREFIX}${item.type}-${item.id}-${grantTag}/${format}`,
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

const SIGNED_PATH =
  /^\/media\/downloads\/(track|release)-([1-9][0-9]{0,18})-(o[1-9][0-9]{0,18}|u[1-9][0-9]{0,18}|free)\/([a-z0-9-]{1,16})$/;

/**
 * Serves a signed download URL: 403 when the signature is missing or wrong, 410 when it expired
 * (the statuses of every signed media URL, docs/architecture.md, "Delivery"). The URL names the
 * grant `requestDownload` issued it under (an order, the owner, or "free"), and that grant is
 * checked again here: a link handed out before a refund, a takedown or the end of a free offer
 * stops working at once (403 `download_revoked`), not when it expires. A track is its stored file;
 * a release is one ZIP streamed entry by entry from storage.
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
  if (!m || !isDownloadFormat(m[4])) throw notFound('Download');
  const type = m[1] as ItemType;
  const format = m[4];
  const info = DOWNLOAD_FORMAT_INFO[format];
  // The system reads the item as an admin would; the grant named by the URL is checked next.
  const item = await loadItem(deps.db, SYSTEM, type, m[2]!, deps.clock());
  if (!(await grantStillHolds(deps.db, item, m[3]!, deps.clock()))) throw revoked();
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

/**
 * The grant a signed URL was issued under (`free`, `u<user id>` for the owner or an admin,
 * `o<order id>`), checked again when it is served: a refund, a takedown, a disabled account or the
 * end of a free offer ends it.
 */
export async function grantStillHolds(
  db: Kysely<Database>,
  item: SellableItem,
  tag: string,
  now: Date,
): Promise<boolean> {
  if (tag === 'free') {
    // Still free, and still something an anonymous caller may open.
    const open = await loadItem(db, null, item.type, item.id, now).catch(() => null);
    return !!open && isFree(open.price, open.downloadable);
  }
  if (tag.startsWith('u')) {
    const user = await db
      .selectFrom('users')
      .select(['id', 'role', 'disabled_at'])
      .where('id', '=', tag.slice(1))
      .executeTakeFirst();
    return !!user && !user.disabled_at && ownsOrAdmin({ id: user.id, role: user.role }, item.ownerUserId);
  }
  const order = await db
    .selectFrom('orders')
    .select('id')
    .where('id', '=', tag.slice(1))
    .where('status', '=', 'paid')
    .executeTakeFirst();
  if (!order) return false;
  // A moderator's takedown ends a buyer's access too (loadForDownload).
  const table = item.type === 'track' ? 'tracks' : 'releases';
  const row = await db.selectFrom(table).select('taken_down_at').where('id', '=', item.id).executeTakeFirst();
  return !!row && !row.taken_down_at;
}

/** ffmpeg for one download file, as a port (`createCoreDeps` wires `@earshot/media`'s makeDownloadFile; tests may pass a fake). */
export type DownloadEncoder = (
  options: DownloadArgsOptions & { durationMs?: number },
  signal: AbortSignal,
) => Promise<void>;

export type MakeFormatDeps = Pick<CoreDeps, 'db' | 'store' | 'clock' | 'encodeDownload' | 'scratchDir'>;

/** What a download file is made from and tagged with, read again before it is marked ready. */
async function readDownloadSource(db: Kysely<Database>, versionId: string, format: DownloadFormat, lock: boolean) {
  let query = db
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
    .where('v.id', '=', versionId);
  // Held until the file is marked ready: a rename waits for it, then forgets the file (stale-downloads.ts).
  if (lock) query = query.forShare(['t', 'u']);
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  let releaseQuery = db
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
    .limit(1);
  if (lock) releaseQuery = releaseQuery.forShare(['r']);
  const release = await releaseQuery.executeTakeFirst();
  const year = (release?.release_date ?? row.created_at).getUTCFullYear();
  const tags = {
    title: row.title,
    artist: row.display_name,
    album: release?.title,
    track: release ? `${release.position + 1}/${release.count}` : undefined,
    date: String(year),
  };
  return { row, tags, artworkKey: row.track_artwork_key ?? row.artwork_key };
}

/** How many times a file is made again when its tags change while it is being made, before the queue retries. */
const RETAG_ROUNDS = 3;

/**
 * The `download-formats` job: makes one format of one version from its original, with the track's
 * tags and cover, stores it under `version-<id>/downloads/`, and marks it ready. Idempotent: a
 * format already ready is left alone. A rename while the file is being made (the edit forgets the
 * files made before it, `forgetDownloadFiles`) is caught when the file is marked ready: the tags are
 * read again under a share lock on the rows they come from, and the file is made again if they changed.
 */
export async function makeDownloadFormat(
  deps: MakeFormatDeps,
  input: { versionId: string; format: string },
  signal: AbortSignal,
  attempt: { attempt: number; maxAttempts: number } = { attempt: 1, maxAttempts: 1 },
): Promise<'made' | 'already_ready' | 'gone'> {
  if (!isDownloadFormat(input.format)) throw new Error(`Unknown download format ${input.format}`);
  const format = input.format;
  const source = await readDownloadSource(deps.db, input.versionId, format, false);
  if (!source) return 'gone';
  const { row } = source;
  if (row.status === 'ready') return 'already_ready';
  const info = DOWNLOAD_FORMAT_INFO[format];
  const key = keys.download(row.id, format, info.ext);
  const makeFile = async (made: NonNullable<typeof source>): Promise<boolean> =>
    withScratch(deps.scratchDir, `download-${row.id}-${format}`, async (dir) => {
      const input = await fetchOriginal(deps.store, row.original_key, dir, signal);
      let cover: string | undefined;
      const artworkKey = made.artworkKey;
      if (artworkKey && /\.(jpg|png)$/.test(artworkKey) && info.embedsCover) {
        cover = path.join(dir, `cover${path.extname(artworkKey)}`);
        const { createWriteStream } = await import('node:fs');
        const { pipeline } = await import('node:stream/promises');
        await pipeline((await deps.store.get('images', artworkKey)).body, createWriteStream(cover), { signal });
      }
      const output = path.join(dir, `out.${info.ext}`);
      await deps.encodeDownload(
        {
          input,
          output,
          format,
          cover,
          audioStreamIndex: row.audio_stream_index ?? undefined,
          sourceBits: row.bit_depth ?? undefined,
          durationMs: row.duration_ms ?? undefined,
          tags: made.tags,
        },
        signal,
      );
      const stored = await deps.store.putFile('transcodes', key, output, { contentType: info.contentType });
      return deps.db.transaction().execute(async (trx) => {
        const now = await readDownloadSource(trx, row.id, format, true);
        if (!now || now.artworkKey !== made.artworkKey || JSON.stringify(now.tags) !== JSON.stringify(made.tags))
          return false;
        await trx
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
        return true;
      });
    });
  try {
    let made = source;
    for (let round = 1; !(await makeFile(made)); round++) {
      const now = await readDownloadSource(deps.db, row.id, format, false);
      if (!now) return 'gone';
      if (round >= RETAG_ROUNDS) throw new Error('The tags kept changing while the file was being made');
      made = now;
    }
  } catch (err) {
    // The queue's last attempt: the format is marked failed (with a reason its artist reads), so
    // requests stop answering "preparing" and say so instead (requestDownload).
    if (attempt.attempt >= attempt.maxAttempts && !signal.aborted) {
      const reason = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim();
      await deps.db
        .insertInto('download_files')
        .values({ version_id: row.id, format, status: 'failed', error: reason.slice(0, FAILURE_TEXT_MAX) })
        .onConflict((oc) =>
          oc
            .columns(['version_id', 'format'])
            .doUpdateSet({ status: 'failed', object_key: null, error: reason.slice(0, FAILURE_TEXT_MAX) })
            .where('download_files.status', '<>', 'ready'),
        )
        .execute();
    }
    throw err;
  }
  return 'made';
}
