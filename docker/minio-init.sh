#!/bin/sh
# One-shot MinIO setup (compose service `minio-init`, image minio/mc). Safe to rerun.
#
#   originals   private: only the API and worker (root or app credentials) read and write it
#   transcodes  anonymous GetObject, but MinIO is not published: the only way in from outside is
#               nginx's signed /media/hls/ location, which proxies to minio:9000 without credentials
#   images      anonymous GetObject, public through nginx's /images/
#   waveforms   anonymous GetObject, public through nginx's /waveforms/
# Never anonymous listing or writing: the policy grants s3:GetObject and nothing else.
# Versioning on every bucket (operations.md, backups): an overwritten or deleted object can be
# brought back (`mc ls --versions`, `mc cp --version-id`).
#
# Credentials: MINIO_ROOT_USER and MINIO_ROOT_PASSWORD, or MINIO_ROOT_PASSWORD_FILE (Docker secret).
set -eu

if [ -n "${MINIO_ROOT_PASSWORD_FILE:-}" ]; then
  MINIO_ROOT_PASSWORD=$(cat "$MINIO_ROOT_PASSWORD_FILE")
fi
: "${MINIO_ROOT_USER:?MINIO_ROOT_USER is not set}"
: "${MINIO_ROOT_PASSWORD:?MINIO_ROOT_PASSWORD (or MINIO_ROOT_PASSWORD_FILE) is not set}"
MINIO_URL=${MINIO_URL:-http://minio:9000}

mc alias set earshot "$MINIO_URL" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null

for bucket in originals transcodes images waveforms; do
  mc mb --ignore-existing "earshot/$bucket"
  mc version enable "earshot/$bucket"
done

mc anonymous set none earshot/originals
for bucket in transcodes images waveforms; do
  policy="/tmp/earshot-anonymous-read-$bucket.json"
  cat >"$policy" <<JSON
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "AWS": ["*"] },
      "Action": ["s3:GetObject"],
      "Resource": ["arn:aws:s3:::$bucket/*"]
    }
  ]
}
JSON
  mc anonymous set-json "$policy" "earshot/$bucket"
  rm -f "$policy"
done

echo "minio-init: buckets originals (private), transcodes, images, waveforms (anonymous read, no listing), versioning on"
