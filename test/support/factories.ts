/**
 * Test data and a test API, made the same way in every test file: users straight in the database
 * (one argon2 hash shared by all), tracks with a ready, playable current version, and the API
 * built on a fresh test infrastructure (real PostgreSQL or PGlite, local storage).
 */
import type { Kysely } from 'kysely';
import type { Database, Role, Visibility } from '@earshot/db';
import { hashPassword } from '@earshot/passwords';
import { createMediaToolkit } from '@earshot/runtime';
import { keys, type ObjectStore } from '@earshot/storage';
import sharp from 'sharp';
import { buildApi, type Api } from '../../apps/api/src/index.ts';
import type { ApiDeps } from '../../apps/api/src/types.ts';
import { createTestInfra, type TestInfra } from './infra.ts';
import { addTrackVersion } from './rows.ts';

export { addCurrentVersion, addPlaylist, addTrack, addTrackVersion } from './rows.ts';

export const FIXTURE_PASSWORD = 'fixture passphrase 4 tests';
let fixtureHash: Promise<string> | undefined;
let seq = 0;

export interface TestUser {
  id: string;
  email: string;
  handle: string;
  role: Role;
  password: string;
}

/** A verified user of `role`, made in the database (not through the API: fast fixtures). */
export async function createUser(
  db: Kysely<Database>,
  role: Role,
  overrides: { handle?: string; email?: string } = {},
): Promise<TestUser> {
  fixtureHash ??= hashPassword(FIXTURE_PASSWORD);
  const n = `${Date.now().toString(36)}${seq++}`;
  const handle = overrides.handle ?? `${role}-${n}`.slice(0, 30);
  const email = overrides.email ?? `${handle}@example.test`;
  const row = await db
    .insertInto('users')
    .values({
      email,
      handle,
      display_name: `Test ${role}`,
      role,
      password_hash: await fixtureHash,
      email_verified_at: new Date(),
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  return { id: row.id, email, handle, role, password: FIXTURE_PASSWORD };
}

/**
 * A track of `ownerId` whose current version is ready with HLS output (its key only: put files in
 * the store yourself when the test reads them), as the worker leaves one. `ready: false` leaves
 * the track's only version processing (no current version), as an upload is before the worker;
 * `provisional: true` (with `ready: false`) has its provisional stream published, as while it encodes.
 */
export async function createReadyTrack(
  db: Kysely<Database>,
  ownerId: string,
  slug: string,
  options: {
    visibility?: Visibility;
    durationMs?: number;
    originalKey?: string;
    ready?: boolean;
    provisional?: boolean;
  } = {},
): Promise<{ id: string; versionId: string }> {
  const track = await db
    .insertInto('tracks')
    .values({ owner_user_id: ownerId, title: slug, slug, visibility: options.visibility ?? 'public' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const ready = options.ready ?? true;
  const version = await addTrackVersion(db, track.id, {
    status: ready ? 'ready' : 'processing',
    original_key: options.originalKey ?? 'x',
    duration_ms: options.durationMs ?? 120_000,
    ready_at: ready ? new Date() : null,
  });
  if (ready || options.provisional) {
    await db
      .updateTable('track_versions')
      .set({ hls_key: keys.hlsMaster(version.id) })
      .where('id', '=', version.id)
      .execute();
    await db
      .updateTable('tracks')
      .set(ready ? { current_version_id: version.id } : { provisional_version_id: version.id })
      .where('id', '=', track.id)
      .execute();
  }
  return { id: track.id, versionId: version.id };
}

export interface TestApi {
  t: TestInfra;
  app: Api;
  db: Kysely<Database>;
  /** Closes the API, then removes the infrastructure (databases, folders). */
  close(): Promise<void>;
}

/**
 * The API wired as `createTestApi` wires it, on an infrastructure the test already has (a second
 * API beside another, an infrastructure the test breaks, files placed in `DATA_DIR` before the API
 * starts): the real ffprobe toolkit, the infrastructure's progress bus and metrics; `deps`
 * overrides or adds any other dependency. Not yet ready; the caller closes it (not the infrastructure).
 */
export function buildTestApi(t: TestInfra, deps: Partial<ApiDeps> = {}): Promise<Api> {
  return buildApi({
    config: t.config,
    logger: t.logger,
    infra: t.infra,
    metrics: t.metrics,
    media: createMediaToolkit(),
    progress: t.infra.progress,
    ...deps,
  });
}

/**
 * The API on a fresh test infrastructure, ready for `inject` (`buildTestApi`'s wiring); `api` (or
 * a function of the infrastructure giving it) overrides or adds any other dependency;
 * `beforeReady` adds routes or hooks of the test's own before the app boots.
 */
export async function createTestApi(
  options: {
    infra?: Parameters<typeof createTestInfra>[0];
    api?: Partial<ApiDeps> | ((t: TestInfra) => Partial<ApiDeps>);
    beforeReady?: (app: Api, t: TestInfra) => void;
  } = {},
): Promise<TestApi> {
  const t = await createTestInfra(options.infra);
  let app: Api | undefined;
  try {
    app = await buildTestApi(t, typeof options.api === 'function' ? options.api(t) : options.api);
    options.beforeReady?.(app, t);
    await app.ready();
  } catch (err) {
    await app?.close();
    await t.cleanup();
    throw err;
  }
  const api = app;
  return {
    t,
    app: api,
    db: t.infra.database.db,
    close: async () => {
      await api.close();
      await t.cleanup();
    },
  };
}

/**
 * What the media routes serve, as the pipeline would have stored it: a master playlist for the
 * version (enough for its stream and signed HLS routes) and a 2×2 WebP in the images bucket.
 * Returns the image's key.
 */
export async function storeMediaStubs(store: ObjectStore, versionId: string): Promise<{ imageKey: string }> {
  await store.put('transcodes', keys.hlsMaster(versionId), '#EXTM3U\n', {
    contentType: 'application/vnd.apple.mpegurl',
  });
  const imageKey = 'test/pixel.webp';
  const pixel = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#f80' } })
    .webp()
    .toBuffer();
  await store.put('images', imageKey, pixel, { contentType: 'image/webp' });
  return { imageKey };
}
