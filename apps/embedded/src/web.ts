import { existsSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';

export type WebHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** The Next.js app (apps/web), built by `npm run build:web`, answered in this process. */
export async function createWebHandler(webDir: string): Promise<{ handle: WebHandler; close: () => Promise<void> }> {
  if (!existsSync(path.join(webDir, '.next', 'BUILD_ID'))) {
    throw new Error(
      `the web app is not built: run \`npm run build:web\` (looked in ${path.relative(process.cwd(), webDir) || '.'})`,
    );
  }
  // `next` is CommonJS; resolve it from the web app so both use one copy.
  const require = createRequire(path.join(webDir, 'package.json'));
  const next = require('next') as (options: { dev: boolean; dir: string; quiet?: boolean; customServer?: boolean }) => {
    prepare(): Promise<void>;
    getRequestHandler(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    close(): Promise<void>;
  };
  const app = next({ dev: false, dir: webDir, quiet: true, customServer: true });
  await app.prepare();
  const handle = app.getRequestHandler();
  return { handle: (req, res) => handle(req, res), close: () => app.close() };
}
