import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Kysely } from 'kysely';
import {
  Migrator,
  NO_MIGRATIONS,
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
} from 'kysely/migration';

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const MIGRATION_FILE = /^\d{14}_[a-z0-9_]+\.ts$/;

/** Loads `migrations/<yyyymmddhhmmss>_<name>.ts` in name order. */
class FolderMigrationProvider implements MigrationProvider {
  constructor(private readonly dir: string) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(this.dir)).filter((f) => MIGRATION_FILE.test(f)).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      migrations[file.replace(/\.ts$/, '')] = (await import(
        pathToFileURL(path.join(this.dir, file)).href
      )) as Migration;
    }
    return migrations;
  }
}

function migrator(db: Kysely<any>): Migrator {
  return new Migrator({
    db,
    provider: new FolderMigrationProvider(MIGRATIONS_DIR),
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
}

function unwrap(result: MigrationResultSet): string[] {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const err = result.error instanceof Error ? result.error : new Error(String(result.error));
    if (failed) err.message = `migration ${failed.migrationName} failed: ${err.message}`;
    throw err;
  }
  return (result.results ?? []).map((r) => `${r.direction === 'Up' ? '↑' : '↓'} ${r.migrationName}`);
}

/** Applies every pending migration; returns what ran. Safe to call at every boot. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  return unwrap(await migrator(db).migrateToLatest());
}

/** Applies (or reverts) migrations until `name` is the last one applied. */
export async function migrateTo(db: Kysely<any>, name: string): Promise<string[]> {
  return unwrap(await migrator(db).migrateTo(name));
}

/** Reverts the last applied migration. */
export async function migrateDown(db: Kysely<any>): Promise<string[]> {
  return unwrap(await migrator(db).migrateDown());
}

/** Reverts every migration (tests and `migrate:rollback -- --all`). */
export async function migrateToZero(db: Kysely<any>): Promise<string[]> {
  return unwrap(await migrator(db).migrateTo(NO_MIGRATIONS));
}

/** Writes a new, empty migration file and returns its path. */
export async function createMigrationFile(name: string, now = new Date()): Promise<string> {
  const slug = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
  if (!slug) throw new Error('usage: npm run migration:create -- <name>');
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
  const file = path.join(MIGRATIONS_DIR, `${stamp}_${slug}.ts`);
  await writeFile(
    file,
    `import { sql, type Kysely } from 'kysely';\n\nexport async function up(db: Kysely<any>): Promise<void> {\n  await sql\`select 1\`.execute(db);\n}\n\nexport async function down(db: Kysely<any>): Promise<void> {\n  await sql\`select 1\`.execute(db);\n}\n`,
    { flag: 'wx' },
  );
  return file;
}
