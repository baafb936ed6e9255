// @ts-check
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Earshot web app. The same build is served two ways:
 *  - standalone: `next start` (port from WEB_PORT) behind nginx, which sends `/api/v1/*` to the API;
 *  - embedded: mounted inside the API process through Next's programmatic request handler.
 * So: default `output` (not `export`), no basePath, no rewrites, and nothing here that touches the network.
 *
 * @type {import('next').NextConfig}
 */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // npm workspaces: dependencies are hoisted to the repository root.
  outputFileTracingRoot: path.join(here, '..', '..'),
  // Artwork is served by our own origin (`/images/...`); no image optimiser, no remote images.
  images: { unoptimized: true },
  // The limits of the forms' fields come from core (`@earshot/core/field-limits`, TypeScript source).
  transpilePackages: ['@earshot/core'],
};

export default nextConfig;
