export { createDatabase, type DatabaseHandle, type DatabaseOptions } from './create-database.ts';
export {
  migrateToLatest,
  migrateTo,
  migrateDown,
  migrateToZero,
  createMigrationFile,
  MIGRATIONS_DIR,
} from './migrator.ts';
export { PGliteDialect } from './pglite-dialect.ts';
export { PREPARED, PreparingClient, statementName } from './prepared.ts';
export type * from './schema.ts';
export type * from './schema-insights.ts';
export { exportDatabase, importDatabase, type LogicalCopy, type TableCopy, type SequenceCopy } from './logical-copy.ts';
export {
  lockPglite,
  pgliteHolder,
  lockPathOf,
  processAlive,
  DatabaseInUseError,
  type PgliteLock,
  type LockHolder,
} from './pglite-lock.ts';
export {
  upgradePgliteDataDir,
  dataDirMajor,
  keptFolderOf,
  PGLITE_PG_MAJOR,
  PREVIOUS_PG_MAJOR,
  type UpgradeLog,
} from './pglite-upgrade.ts';
export { openPglite, type OpenedPglite } from './open-pglite.ts';
