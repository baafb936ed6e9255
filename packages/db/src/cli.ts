/**
 * `npm run migrate` | `migrate:rollback [-- --all]` | `migration:create -- <name>` | `seed`.
 * Uses the same configuration as the server: DATABASE_URL, else the embedded database in DATA_DIR.
 */
import { loadConfig, ConfigError } from '@earshot/config';
import { createDatabase } from './create-database.ts';
import { createMigrationFile, migrateDown, migrateToLatest, migrateToZero } from './migrator.ts';
import { seed } from './seed.ts';

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  if (command === 'create') {
    const file = await createMigrationFile(args.join('_'));
    console.log(`created ${file}`);
    return;
  }
  if (!['up', 'down', 'seed'].includes(command ?? '')) {
    throw new Error('usage: cli.ts up | down [--all] | create <name> | seed');
  }
  const config = loadConfig();
  const handle = await createDatabase(config.database);
  try {
    if (command === 'up') report(await migrateToLatest(handle.db), 'database is up to date');
    else if (command === 'down')
      report(
        args.includes('--all') ? await migrateToZero(handle.db) : await migrateDown(handle.db),
        'nothing to roll back',
      );
    else {
      await migrateToLatest(handle.db);
      for (const line of await seed(handle.db, { production: config.production })) console.log(line);
    }
  } finally {
    await handle.close();
  }
}

function report(lines: string[], empty: string): void {
  console.log(lines.length ? lines.join('\n') : empty);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : `error: ${(err as Error).message}`);
  process.exit(1);
});
