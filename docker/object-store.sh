#!/bin/sh
# Entrypoint of the compose service `minio`: the Versity S3 Gateway (image versity/versitygw)
# serving S3 on :9000 from the posix backend (docs/decisions/0002-versity-s3-gateway.md).
#
#   /data/buckets   one directory per bucket, one plain file per object (metadata in xattrs)
#   /data/versions  older versions of overwritten or deleted objects (bucket versioning)
#   GET /health     200 while the gateway serves (compose healthcheck)
#
# Both directories are on the one volume, so keeping an old version is a rename, not a copy.
# Credentials: MINIO_ROOT_USER and MINIO_ROOT_PASSWORD (or MINIO_ROOT_PASSWORD_FILE, a Docker
# secret) become the gateway's root account, the one the app, minio-init and the backups use.
set -eu

if [ -n "${MINIO_ROOT_PASSWORD_FILE:-}" ]; then
  MINIO_ROOT_PASSWORD=$(cat "$MINIO_ROOT_PASSWORD_FILE")
fi
: "${MINIO_ROOT_USER:?MINIO_ROOT_USER is not set}"
: "${MINIO_ROOT_PASSWORD:?MINIO_ROOT_PASSWORD (or MINIO_ROOT_PASSWORD_FILE) is not set}"

mkdir -p /data/buckets /data/versions
ROOT_ACCESS_KEY=$MINIO_ROOT_USER
ROOT_SECRET_KEY=$MINIO_ROOT_PASSWORD
export ROOT_ACCESS_KEY ROOT_SECRET_KEY
unset MINIO_ROOT_PASSWORD MINIO_ROOT_PASSWORD_FILE

gateway=$(command -v versitygw 2>/dev/null || echo /app/versitygw)
exec "$gateway" --port :9000 --health /health posix --versioning-dir /data/versions /data/buckets
