export { loadConfig, ConfigError, type LoadConfigOptions } from './load-config.ts';
export { type Config, describeMode } from './config.ts';
export { VARIABLES, SECRET_NAMES, type VariableSpec } from './variables.ts';
export { parseDuration } from './duration.ts';
