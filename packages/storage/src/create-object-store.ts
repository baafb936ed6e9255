import type { Config } from '@earshot/config';
import { LocalObjectStore } from './local-object-store.ts';
import { S3ObjectStore } from './s3-object-store.ts';
import type { ObjectStore } from './object-store.ts';

/** Local folders in embedded mode, S3/MinIO when the configuration names an endpoint. */
export function createObjectStore(storage: Config['storage']): ObjectStore {
  if (storage.kind === 's3') {
    const { endpoint, region, accessKeyId, secretAccessKey, bucketPrefix, timeoutMs } = storage;
    return new S3ObjectStore({ endpoint, region, accessKeyId, secretAccessKey, bucketPrefix, timeoutMs });
  }
  return new LocalObjectStore({ root: storage.root, bucketPrefix: storage.bucketPrefix });
}
