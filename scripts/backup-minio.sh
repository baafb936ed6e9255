#!/usr/bin/env bash
# scripts/backup-minio.sh — weekly copy of the media files (docs/operations.md, "Backups").
#
#   scripts/backup-minio.sh [--compose | --native]
#
#   --compose  rclone copies each bucket of the compose stack's object store (service `minio`)
#              into ${BACKUP_DIR}/<bucket>-<YYYYmmdd>/. rclone runs in a throwaway container of
#              the `minio-backup` service (rclone image, compose network, the store's root
#              credentials), with BACKUP_DIR mounted at /backups.
#   --native   an install without compose:
#                - local storage (MINIO_ENDPOINT unset): ${DATA_DIR}/storage is archived with tar
#                  into ${BACKUP_DIR}/storage-<YYYYmmdd>.tar.gz
#                - S3 storage (MINIO_ENDPOINT set): this machine's rclone (Debian package
#                  `rclone`) copies each bucket as in compose mode, with the app's own variables:
#                  MINIO_ENDPOINT (host:port or URL; MINIO_USE_SSL for https), MINIO_REGION, and
#                  MINIO_ACCESS_KEY/MINIO_SECRET_KEY or else MINIO_ROOT_USER/MINIO_ROOT_PASSWORD
#                  (each secret also as <NAME>_FILE)
#   (neither)  compose when the stack's minio container is running, else native.
#
# Each copy is written under a hidden `.…partial` name and renamed when complete, so an
# interrupted run never looks like a good backup. Copies whose date (in the name) is more than
# RETENTION_DAYS old are deleted; nothing else in BACKUP_DIR is touched. (the first design's
# `find -mtime +28 -delete` also deleted, inside fresh copies, every file whose preserved
# modification time was old — that is, most of the media.)
#
# Environment:
#   BACKUP_DIR      default /backups/minio
#   RETENTION_DAYS  default 28 (0 keeps every copy)
#   MINIO_BUCKETS   default "originals transcodes images waveforms"
#   DATA_DIR        native local storage; default ./data (relative to the repository)
#   OFFSITE_TARGET  optional rclone destination (e.g. offsite:earshot-backups) that BACKUP_DIR is
#                   copied to afterwards (off-site, e.g. S3 or Backblaze); define the
#                   remote with RCLONE_CONFIG_<REMOTE>_* variables in the environment (passed to
#                   the container in compose mode) or in this machine's rclone.conf
#   METRICS_TEXTFILE_DIR  when set, the time of this success is written there for node-exporter
#                   (earshot_backup_last_success_timestamp_seconds{kind="media"}; alert after 26 h)
#   COMPOSE         compose command (default: `docker compose`, else `docker-compose`)
#
# Cron (weekly, Sunday 3 AM): 0 3 * * 0 /path/to/earshot/scripts/backup-minio.sh >> /var/log/backup.log 2>&1
set -euo pipefail
umask 077  # backups hold password hashes and private media

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NAME=backup-minio

die() { echo "$NAME: $*" >&2; exit 1; }
usage() {
  cat >&2 <<EOF
usage: scripts/backup-minio.sh [--compose | --native]
  BACKUP_DIR=${BACKUP_DIR:-/backups/minio} RETENTION_DAYS=${RETENTION_DAYS:-28}
  --compose  rclone copy of the compose stack's buckets (through the minio-backup service)
  --native   tar of DATA_DIR/storage (local storage), or rclone copy of MINIO_ENDPOINT's buckets (S3)
EOF
  exit 2
}

# shellcheck source=lib/compose.sh
source "$ROOT/scripts/lib/compose.sh"
parse_mode_args "$@"

BACKUP_DIR="${BACKUP_DIR:-/backups/minio}"
RETENTION_DAYS="${RETENTION_DAYS:-28}"
BUCKETS="${MINIO_BUCKETS:-originals transcodes images waveforms}"
[[ "$RETENTION_DAYS" =~ ^[0-9]+$ ]] || die "RETENTION_DAYS must be a whole number of days, got '$RETENTION_DAYS'"
for b in $BUCKETS; do
  [[ "$b" =~ ^[a-z0-9][a-z0-9.-]{1,62}$ ]] || die "not a bucket name: '$b'"
done

# shellcheck source=lib/textfile-metric.sh
source "$ROOT/scripts/lib/textfile-metric.sh"

if [ "$MODE" = auto ]; then
  if find_compose && compose_service_running minio; then MODE=compose; else MODE=native; fi
fi

mkdir -p "$BACKUP_DIR" || die "cannot create BACKUP_DIR $BACKUP_DIR"
[ -w "$BACKUP_DIR" ] || die "BACKUP_DIR $BACKUP_DIR is not writable"
BACKUP_DIR="$(cd "$BACKUP_DIR" && pwd)"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$BACKUP_DIR/.$NAME.lock"
  flock -n 9 || die "another MinIO backup is running in $BACKUP_DIR"
fi

DATE="$(date +%Y%m%d)"
env_args=()

# Shell that copies each bucket into .<bucket>-DATE.partial with rclone, then renames it. $1: the
# backup root as rclone sees it. The store: S3_URL, S3_ACCESS_KEY, S3_SECRET_KEY (or
# S3_SECRET_KEY_FILE), S3_REGION; given to rclone as the remote `earshot` through its
# RCLONE_CONFIG_* environment, so no configuration file is written. --fast-list: one recursive
# listing per bucket instead of one request per "folder" (fewer requests, same result).
COPY_SCRIPT='
set -eu
root=$1
if [ -n "${S3_SECRET_KEY_FILE:-}" ]; then S3_SECRET_KEY=$(cat "$S3_SECRET_KEY_FILE"); fi
export RCLONE_CONFIG_EARSHOT_TYPE=s3 RCLONE_CONFIG_EARSHOT_PROVIDER=Other RCLONE_CONFIG_EARSHOT_ENV_AUTH=false
export RCLONE_CONFIG_EARSHOT_ENDPOINT="$S3_URL" RCLONE_CONFIG_EARSHOT_REGION="${S3_REGION:-us-east-1}"
export RCLONE_CONFIG_EARSHOT_ACCESS_KEY_ID="$S3_ACCESS_KEY" RCLONE_CONFIG_EARSHOT_SECRET_ACCESS_KEY="$S3_SECRET_KEY"
export RCLONE_CONFIG_EARSHOT_FORCE_PATH_STYLE=true
for b in $BUCKETS; do
  partial="$root/.$b-$DATE.partial"
  rm -rf "$partial"
  mkdir -p "$partial"
  rclone copy --quiet --fast-list "earshot:$b" "$partial"
  rm -rf "$root/$b-$DATE"
  mv "$partial" "$root/$b-$DATE"
  echo "copied $b -> $b-$DATE"
done
'

# RCLONE_CONFIG_* of this environment (the off-site remote) for the rclone container.
rclone_env_args() {
  local var
  while IFS= read -r var; do env_args+=(-e "$var=${!var}"); done < <(compgen -e | grep '^RCLONE_CONFIG_' || true)
}

case "$MODE" in
  compose)
    [ ${#COMPOSE_CMD[@]} -gt 0 ] || find_compose || die "--compose: neither 'docker compose' nor 'docker-compose' is available"
    compose_service_running minio || die "--compose: the minio service is not running (docker compose up -d minio)"
    env_args+=(-e "BUCKETS=$BUCKETS" -e "DATE=$DATE")
    echo "$NAME: copying buckets ($BUCKETS) of the compose stack into $BACKUP_DIR"
    # The store's address and credentials come from the minio-backup service's environment (or
    # its Docker secret).
    compose run --rm --no-deps -T -v "$BACKUP_DIR:/backups" "${env_args[@]}" --entrypoint /bin/sh minio-backup \
      -c "$COPY_SCRIPT" -- /backups \
      || die "rclone copy failed; incomplete copies are left as .<bucket>-$DATE.partial"
    ;;
  native)
    if [ -n "${MINIO_ENDPOINT:-}" ]; then
      command -v rclone >/dev/null 2>&1 || die "--native: rclone is not installed (apt-get install rclone)"
      for v in MINIO_ACCESS_KEY MINIO_SECRET_KEY MINIO_ROOT_PASSWORD; do
        file_var="${v}_FILE"
        if [ -n "${!file_var:-}" ]; then
          [ -z "${!v:-}" ] || die "set $v or $file_var, not both"
          [ -r "${!file_var}" ] || die "$file_var: cannot read ${!file_var}"
          printf -v "$v" '%s' "$(cat "${!file_var}")"
        fi
      done
      if [ -n "${MINIO_ACCESS_KEY:-}" ]; then
        access="$MINIO_ACCESS_KEY"; secret="${MINIO_SECRET_KEY:-}"
      else
        access="${MINIO_ROOT_USER:-}"; secret="${MINIO_ROOT_PASSWORD:-}"
      fi
      [ -n "$access" ] && [ -n "$secret" ] || die "--native with MINIO_ENDPOINT set: set MINIO_ACCESS_KEY and MINIO_SECRET_KEY (or MINIO_ROOT_USER and MINIO_ROOT_PASSWORD), as in the app's .env"
      url="$MINIO_ENDPOINT"
      case "$url" in
        http://* | https://*) ;;
        *) if [ "${MINIO_USE_SSL:-false}" = true ]; then url="https://$url"; else url="http://$url"; fi ;;
      esac
      echo "$NAME: copying buckets ($BUCKETS) of $url into $BACKUP_DIR"
      BUCKETS="$BUCKETS" DATE="$DATE" S3_URL="$url" S3_REGION="${MINIO_REGION:-us-east-1}" S3_ACCESS_KEY="$access" S3_SECRET_KEY="$secret" \
        sh -c "$COPY_SCRIPT" -- "$BACKUP_DIR" || die "rclone copy failed; incomplete copies are left as .<bucket>-$DATE.partial"
    else
      DATA_DIR="${DATA_DIR:-./data}"
      case "$DATA_DIR" in /*) ;; *) DATA_DIR="$ROOT/${DATA_DIR#./}" ;; esac
      [ -d "$DATA_DIR/storage" ] || die "--native: no local storage at $DATA_DIR/storage (set DATA_DIR, or MINIO_ENDPOINT and its keys for S3 storage)"
      archive="storage-$DATE.tar.gz"
      tmp="$BACKUP_DIR/.$archive.partial"
      trap 'rm -f "$tmp"' EXIT
      echo "$NAME: archiving $DATA_DIR/storage"
      tar -C "$DATA_DIR" -czf "$tmp" storage || die "tar failed; no archive written"
      gzip -t "$tmp" || die "the archive is corrupt; no archive written"
      mv -f "$tmp" "$BACKUP_DIR/$archive"
      trap - EXIT
      echo "archived storage -> $archive"
    fi
    ;;
esac

# Retention by the date in the name: <bucket>-YYYYmmdd/ and storage-YYYYmmdd.tar.gz only.
if [ "$RETENTION_DAYS" -gt 0 ]; then
  cutoff="$(date -d "-$RETENTION_DAYS days" +%Y%m%d)"
  names="$(echo "$BUCKETS storage" | tr ' ' '|')"
  for entry in "$BACKUP_DIR"/*; do
    [ -e "$entry" ] || continue
    base="$(basename "$entry")"
    if [[ "$base" =~ ^($names)-([0-9]{8})(\.tar\.gz)?$ ]] && [ "${BASH_REMATCH[2]}" -lt "$cutoff" ]; then
      rm -rf -- "$entry"
      echo "$NAME: removed old copy $base"
    fi
  done
fi

if [ -n "${OFFSITE_TARGET:-}" ]; then
  echo "$NAME: copying $BACKUP_DIR to $OFFSITE_TARGET"
  # Hidden entries (the lock file, unfinished .partial copies) stay behind.
  if [ "$MODE" = compose ] && ! command -v rclone >/dev/null 2>&1; then
    env_args=()
    rclone_env_args
    compose run --rm --no-deps -T -v "$BACKUP_DIR:/backups:ro" "${env_args[@]}" minio-backup \
      copy --quiet --create-empty-src-dirs --exclude '.*' --exclude '.*/**' /backups/ "$OFFSITE_TARGET" || die "offsite copy failed"
  else
    command -v rclone >/dev/null 2>&1 || die "OFFSITE_TARGET needs rclone on this machine (apt-get install rclone)"
    rclone copy --quiet --create-empty-src-dirs --exclude '.*' --exclude '.*/**' "$BACKUP_DIR/" "$OFFSITE_TARGET" || die "offsite copy failed"
  fi
fi

write_textfile_metric earshot_backup_media earshot_backup_last_success_timestamp_seconds 'kind="media"' "$(date +%s)" "Unix time of the newest successful backup" \
  || echo "$NAME: warning: could not record the backup time for monitoring" >&2
echo "media backup completed: $BACKUP_DIR ($DATE)"
