// Prints the `bin` folder of a Node with the major in .nvmrc — the running one's when it is recent
// enough, else `.node/<version>/bin` (downloaded on linux-x64; see scripts/lib/node-runtime.mjs).
// For shells: export PATH="$(node scripts/node-bin.mjs):$PATH"
import path from 'node:path';
import { ensureNodeBinDir, requiredMajor } from './lib/node-runtime.mjs';

const major = requiredMajor();
try {
  const current = Number(process.versions.node.split('.')[0]);
  console.log(current >= major ? path.dirname(process.execPath) : ensureNodeBinDir(major));
} catch (err) {
  console.error(`[earshot] ${err.message}`);
  process.exit(1);
}
