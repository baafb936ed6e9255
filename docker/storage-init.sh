#!/bin/sh
# One-shot object-store setup (compose service `minio-init`, image amazon/aws-cli). Safe to rerun.
# Plain S3 calls, so it works against any S3 server (the compose stack's Versity S3 Gateway, or
# another store set up by hand with the same commands).
#
#   originals   private: no bucket policy; only the API and worker (root or app credentials)
#   transcodes  anonymous GetObject, but the store is not published: the only way in from outside
#               is nginx's signed /media/hls/ location, which proxies to minio:9000 without credentials
#   images      anonymous GetObject, public through nginx's /images/
#   waveforms   anonymous GetObject, public through nginx's /waveforms/
# Never anonymous listing or writing: the policy grants s3:GetObject and nothing else.
# Versioning on every bucket (docs/operations.md, "Backups"): an overwritten or deleted object can
# be brought back (`aws s3api list-object-versions`, `aws s3api get-object --version-id`).
#
# Credentials: MINIO_ROOT_USER and MINIO_ROOT_PASSWORD, or MINIO_ROOT_PASSWORD_FILE (Docker secret).
# S3_URL: the store (default http://minio:9000). MINIO_REGION: signing region (default us-east-1).
set -eu

if [ -n "${MINIO_ROOT_PASSWORD_FILE:-}" ]; then
  MINIO_ROOT_PASSWORD=$(cat "$MINIO_ROOT_PASSWORD_FILE")
fi
: "${MINIO_ROOT_USER:?MINIO_ROOT_USER is not set}"
: "${MINIO_ROOT_PASSWORD:?MINIO_ROOT_PASSWORD (or MINIO_ROOT_PASSWORD_FILE) is not set}"
AWS_ACCESS_KEY_ID=$MINIO_ROOT_USER
AWS_SECRET_ACCESS_KEY=$MINIO_ROOT_PASSWORD
AWS_DEFAULT_REGION=${MINIO_REGION:-us-east-1}
AWS_PAGER=""
export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_DEFAULT_REGION AWS_PAGER
S3_URL=${S3_URL:-http://minio:9000}

s3api() { aws --endpoint-url "$S3_URL" s3api "$@"; }

for bucket in originals transcodes images waveforms; do
  s3api head-bucket --bucket "$bucket" >/dev/null 2>&1 || s3api create-bucket --bucket "$bucket" >/dev/null
  s3api put-bucket-versioning --bucket "$bucket" --versioning-configuration Status=Enabled
done

# originals: no anonymous access at all.
if s3api get-bucket-policy --bucket originals >/dev/null 2>&1; then
  s3api delete-bucket-policy --bucket originals
fi
for bucket in transcodes images waveforms; do
  s3api put-bucket-policy --bucket "$bucket" --policy "{
  \"Version\": \"2012-10-17\",
  \"Statement\": [
    {
      \"Effect\": \"Allow\",
      \"Principal\": \"*\",
      \"Action\": [\"s3:GetObject\"],
      \"Resource\": [\"arn:aws:s3:::$bucket/*\"]
    }
  ]
}"
done

echo "minio-init: buckets originals (private), transcodes, images, waveforms (anonymous read, no listing), versioning on"
