import { ensureWebBuild } from './lib/ensure.mjs';

ensureWebBuild();
