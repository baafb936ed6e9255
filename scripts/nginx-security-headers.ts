/**
 * Writes nginx/templates/snippets/security-headers*.conf.template from packages/security-headers,
 * the one definition of the security headers (embedded mode applies the same module itself).
 * `--check` only compares and exits 1 when a template differs.
 *
 *   npm run nginx:security-headers [-- --check]
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NGINX_SECURITY_TEMPLATES, renderNginxSecurityTemplates } from '@earshot/security-headers';

const TEMPLATES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../nginx/templates');

/** Template files (relative to nginx/templates) whose committed text differs from the module. */
export async function staleSecurityTemplates(templatesDir = TEMPLATES_DIR): Promise<string[]> {
  const wanted = renderNginxSecurityTemplates();
  const stale: string[] = [];
  for (const [key, rel] of Object.entries(NGINX_SECURITY_TEMPLATES) as Array<
    [keyof typeof NGINX_SECURITY_TEMPLATES, string]
  >) {
    const current = await readFile(path.join(templatesDir, rel), 'utf8').catch(() => undefined);
    if (current !== wanted[key]) stale.push(rel);
  }
  return stale;
}

async function main(check: boolean): Promise<void> {
  if (check) {
    const stale = await staleSecurityTemplates();
    if (stale.length) throw new Error(`out of date: ${stale.join(', ')} (run npm run nginx:security-headers)`);
    return;
  }
  const wanted = renderNginxSecurityTemplates();
  for (const [key, rel] of Object.entries(NGINX_SECURITY_TEMPLATES) as Array<
    [keyof typeof NGINX_SECURITY_TEMPLATES, string]
  >) {
    await writeFile(path.join(TEMPLATES_DIR, rel), wanted[key]);
    process.stdout.write(`wrote nginx/templates/${rel}\n`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.includes('--check')).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
