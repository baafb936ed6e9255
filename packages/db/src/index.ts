export { createDatabase, type DatabaseHandle, type DatabaseOptions } from './create-database.ts';
export { migrateToLatest, migrateDown, migrateToZero, createMigrationFile, MIGRATIONS_DIR } from './migrator.ts';
export { PGliteDialect } from './pglite-dialect.ts';
export type * from './schema.ts';
