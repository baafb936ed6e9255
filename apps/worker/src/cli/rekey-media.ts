/**
 * `npm run media:rekey`: once, after upgrading an install that processed tracks before waveforms and
 * version artwork had unguessable keys (docs/security.md): moves those files to keys of the served
 * shape so they show again, and prints what it moved. Safe to run again (it then moves nothing),
 * and while the platform runs. Uses the server's configuration (DATABASE_URL, storage; in embedded
 * mode stop `npm start` first: the embedded database has one owner).
 */
import { ConfigError, loadConfig } from '@earshot/config';
import { createDatabase } from '@earshot/db';
import { createObjectStore } from '@earshot/storage';
import { rekeyGuessableMedia } from '@earshot/core';

async function main(): Promise<void> {
  const config = loadConfig();
  const handle = await createDatabase(config.database);
  const store = createObjectStore(config.storage);
  try {
    const moved = await rekeyGuessableMedia({ db: handle.db, store });
    for (const v of moved) {
      if (v.waveform) console.log(`version ${v.versionId}: waveform ${v.waveform.from} → ${v.waveform.to}`);
      if (v.artwork)
        console.log(`version ${v.versionId}: artwork ${v.artwork.from} → ${v.artwork.to} (${v.artwork.files} files)`);
    }
    console.log(
      moved.length
        ? `${moved.length} version(s) re-keyed.`
        : 'Nothing to re-key: every waveform and artwork key is of the served shape.',
    );
  } finally {
    await store.close();
    await handle.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
