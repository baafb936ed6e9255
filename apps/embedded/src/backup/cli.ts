/**
 * Embedded backup and restore (docs/operations.md, "Embedded mode: backup and restore"):
 *   npm run backup [-- <file>]         one archive; default DATA_DIR/backups/earshot-<UTC stamp>.earshot-backup
 *   npm run restore -- [--yes] <file>  --yes replaces the database and files DATA_DIR already holds
 * Both need the server stopped.
 */
import { ConfigError, loadConfig } from '@earshot/config';
import { createBackup } from './backup.ts';
import { restoreBackup } from './restore.ts';

const USAGE = 'usage: npm run backup [-- <file>]\n       npm run restore -- [--yes] <file>';

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const flags = rest.filter((a) => a.startsWith('-'));
  const args = rest.filter((a) => !a.startsWith('-'));
  const unknown = flags.filter((f) => !(command === 'restore' && (f === '--yes' || f === '-y')));
  if (
    unknown.length ||
    args.length > 1 ||
    (command === 'restore' && args.length !== 1) ||
    (command !== 'backup' && command !== 'restore')
  )
    throw new Error(USAGE);
  const config = loadConfig();
  if (command === 'backup') {
    const r = await createBackup(config, args[0]);
    process.stdout.write(
      `backup written: ${r.file} (${r.bytes} bytes; ${r.tables} tables, ${r.rows} rows; ${r.files} files)\n`,
    );
  } else {
    const r = await restoreBackup(config, args[0]!, { replace: flags.length > 0 });
    process.stdout.write(
      `restored into ${config.dataDir}: ${r.tables} tables, ${r.rows} rows, ${r.files} files (migration ${r.migration ?? 'none'}); start with npm start\n`,
    );
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof ConfigError || err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
