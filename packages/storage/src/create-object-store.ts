import type { Config } from '@earshot/config';
import { LocalObjectStore } from './local-object-store.ts';
import { S3ObjectStore } from './s3-object-store.ts';
import type { ObjectStore } from './object-store.ts';

/** Local folders in embedded mode, S3/MinIO when MINIO_ENDPOINT is set. */
export function createObjectStore(config: Config['storage']): ObjectStore {
  if (config.kind === 's3') return new S3ObjectStore(config);
  return new LocalObjectStore({ root: config.root, bucketPrefix: config.bucketPrefix });
}
