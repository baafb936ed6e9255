/**
 * `npm run admin:create -- <email>`: makes the account with that address an admin, creating it
 * if needed, and prints a one-time link (valid one hour) to choose its password. No password is
 * ever set by default or printed. Uses the server's configuration (DATABASE_URL, else the
 * embedded database in DATA_DIR — stop `npm start` first: the embedded database has one owner).
 */
import { ConfigError, describeMode, loadConfig } from '@earshot/config';
import { createDatabase, migrateToLatest } from '@earshot/db';
import { argon2idHasher } from '@earshot/passwords';
import { AppError, createOrPromoteAdmin } from '@earshot/core';

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  if (args.length !== 1 || args[0]!.startsWith('-')) {
    console.error('usage: npm run admin:create -- <email>');
    process.exit(2);
  }
  const config = loadConfig();
  const handle = await createDatabase(config.database);
  try {
    // Embedded mode migrates at every boot; do the same so this works before the first start.
    if (describeMode(config).embedded) await migrateToLatest(handle.db);
    const result = await createOrPromoteAdmin(
      { db: handle.db, passwords: argon2idHasher, clock: () => new Date(), publicUrl: config.publicUrl },
      args[0]!,
    );
    const what = result.created ? 'created' : result.promoted ? 'promoted to admin' : 'is already an admin';
    console.log(`${result.user.email} (@${result.user.handle}) ${what}.`);
    console.log(
      `Choose ${result.created ? 'its' : 'a new'} password within one hour, once, at:\n\n  ${result.resetUrl}\n`,
    );
  } finally {
    await handle.close();
  }
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof AppError) console.error(err.message);
  else console.error(`error: ${(err as Error).message}`);
  process.exit(1);
});
