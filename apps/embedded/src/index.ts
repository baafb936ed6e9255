export { startEmbeddedPlatform, type EmbeddedPlatform, WEB_DIR } from './platform.ts';
