// Writes .env.example and docs/configuration.md from the config schema.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderConfigurationDoc, renderEnvExample } from '@earshot/config/render-docs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
writeFileSync(path.join(root, '.env.example'), renderEnvExample());
writeFileSync(path.join(root, 'docs/configuration.md'), renderConfigurationDoc());
console.log('wrote .env.example and docs/configuration.md');
