export * from './object-store.ts';
export { keys, unguessableToken, UNGUESSABLE_TOKEN, isPubliclyServable } from './keys.ts';
export { validateKey } from './validate-key.ts';
export { isWellFormedRange, parseRangeHeader, resolveRange } from './byte-range.ts';
export { CONTENT_TYPES, contentTypeFor } from './content-types.ts';
export { LocalObjectStore, type LocalObjectStoreOptions } from './local-object-store.ts';
export { S3ObjectStore, type S3ObjectStoreOptions } from './s3-object-store.ts';
export { createObjectStore } from './create-object-store.ts';
