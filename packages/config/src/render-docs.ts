import { VARIABLES, type VariableSpec } from './variables.ts';

const groups = (): Map<string, VariableSpec[]> => {
  const map = new Map<string, VariableSpec[]>();
  for (const v of VARIABLES) map.set(v.group, [...(map.get(v.group) ?? []), v]);
  return map;
};

/** `.env.example`: every variable, documented, with a production-shaped example value. */
export function renderEnvExample(): string {
  const out = [
    '# Earshot configuration. Copy to .env and edit: `cp .env.example .env`.',
    '# Generated from packages/config/src/variables.ts by `npm run config:docs`; a test keeps it in sync.',
    '# The same file is read by compose (env_file), systemd (EnvironmentFile=), a shell (`set -a; . ./.env`)',
    '# and the app itself when ENV_FILE names it (values with spaces or <> are quoted).',
    '# Leave DATABASE_URL, REDIS_URL and MINIO_ENDPOINT unset to run embedded (PGlite, in-process jobs, local files).',
    '# Every secret can also be given as <NAME>_FILE=/run/secrets/<name> (Docker secrets).',
    '',
  ];
  for (const [group, vars] of groups()) {
    out.push(`# --- ${group} ---`);
    for (const v of vars) {
      out.push(...wrap(v.doc).map((l) => `# ${l}`));
      if (v.secret) out.push('# (secret: may be given as ' + v.name + '_FILE)');
      out.push(`${v.name}=${envFileValue(v.example ?? v.default ?? '')}`);
    }
    out.push('');
  }
  return out.join('\n');
}

/**
 * A value as a line of an env file that a shell (`set -a; . .env`), systemd's EnvironmentFile=,
 * compose and ENV_FILE all read the same: plain when it is plain, else in double quotes.
 */
export function envFileValue(value: string): string {
  if (/^[A-Za-z0-9_./:@,+=-]*$/.test(value)) return value;
  if (/["\\$`\n]/.test(value)) throw new Error(`example value cannot be written to an env file: ${value}`);
  return `"${value}"`;
}

/** `docs/configuration.md`: the configuration reference for operators. */
export function renderConfigurationDoc(): string {
  const out = [
    '# Configuration reference',
    '',
    'Every setting is an environment variable, parsed once at boot by one schema',
    '(`packages/config/src/variables.ts`); this page is generated from it (`npm run config:docs`) and a',
    'test fails when they differ. A bad value stops the process with one message listing every problem.',
    '',
    '- **Mode.** Unset `DATABASE_URL`, `REDIS_URL`, `MINIO_ENDPOINT` select the embedded adapters',
    '  (PGlite under `DATA_DIR`, jobs kept in the database, files under `DATA_DIR/storage`); set ones',
    '  select PostgreSQL, BullMQ on Redis (or Valkey) and S3.',
    '- **Secrets** (marked 🔒) can be given as `<NAME>_FILE` pointing to a file (Docker secrets); setting',
    '  both is an error. Secrets are never logged.',
    '- **Production** (`NODE_ENV=production`) refuses to start when `JWT_SECRET`, `SECURE_LINK_SECRET`',
    '  or `IP_HASH_SALT` is missing, a placeholder (`CHANGE_ME`…) or shorter than 32 characters.',
    '  Outside production, missing ones are generated once and kept in `DATA_DIR/secrets.json`.',
    '- **An env file.** `ENV_FILE=/etc/earshot/earshot.env` makes the processes read that file (the',
    '  `.env.example` format: `NAME=value`, values with spaces or `<>` in double quotes); a variable set in',
    '  the real environment wins over the file. Without `ENV_FILE` no file is read (a `.env` for compose',
    '  in a checkout does not change what `npm start` does). compose (`env_file`), systemd',
    '  (`EnvironmentFile=`) and a shell (`set -a; . file; set +a`) read the same file.',
    '',
  ];
  for (const [group, vars] of groups()) {
    out.push(`## ${group}`, '', '| Variable | Default | Meaning |', '|---|---|---|');
    for (const v of vars) {
      const def = v.default ? `\`${v.default}\`` : '—';
      const allowed = v.values ? ` One of: ${v.values.map((x) => `\`${x}\``).join(', ')}.` : '';
      out.push(
        `| \`${v.name}\`${v.secret ? ' 🔒' : ''}${v.requiredInProduction ? ' (required in production)' : ''} | ${def} | ${v.doc.replace(/\|/g, '\\|')}${allowed} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}

function wrap(text: string, width = 96): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
