#!/usr/bin/env bash
# scripts/backup-minio.sh — weekly copy of the media files (operations.md, "MinIO Backups").
#
#   scripts/backup-minio.sh [--compose | --native]
#
#   --compose  `mc mirror --preserve` of each bucket of the compose stack's MinIO into
#              ${BACKUP_DIR}/<bucket>-<YYYYmmdd>/. mc runs in a throwaway container of the
#              `minio-init` service (minio/mc image, compose network, its credentials), with
#              BACKUP_DIR mounted at /backups.
#   --native   an install without compose:
#                - local storage (MINIO_ENDPOINT unset): ${DATA_DIR}/storage is archived with tar
#                  into ${BACKUP_DIR}/storage-<YYYYmmdd>.tar.gz
#                - S3 storage (MINIO_ENDPOINT set): this machine's `mc`, with MC_ALIAS naming an
#                  alias of that storage (`mc alias set <alias> <url> <key> <secret>`), mirrors
#                  each bucket as in compose mode
#   (neither)  compose when the stack's minio container is running, else native.
#
# Each copy is written under a hidden `.…partial` name and renamed when complete, so an
# interrupted run never looks like a good backup. Copies whose date (in the name) is more than
# RETENTION_DAYS old are deleted; nothing else in BACKUP_DIR is touched. (operations.md's
# `find -mtime +28 -delete` also deleted, inside fresh copies, every file whose preserved
# modification time was old — that is, most of the media.)
#
# Environment:
#   BACKUP_DIR      default /backups/minio
#   RETENTION_DAYS  default 28 (0 keeps every copy)
#   MINIO_BUCKETS   default "originals transcodes images waveforms"
#   DATA_DIR        native local storage; default ./data (relative to the repository)
#   MC_ALIAS        native S3: mc alias of the storage
#   OFFSITE_TARGET  optional mc target (e.g. remote-s3/backups) that BACKUP_DIR is mirrored to
#                   afterwards (operations.md's "Upload to S3/Backblaze"); define the alias with
#                   MC_HOST_<alias>=https://KEY:SECRET@host in the environment (passed to the
#                   container in compose mode) or with `mc alias set` on this machine
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
  --compose  mc mirror of the compose stack's buckets (through the minio-init service's image)
  --native   tar of DATA_DIR/storage (local storage), or mc mirror through MC_ALIAS (S3)
EOF
  exit 2
}

MODE=auto
while [ $# -gt 0 ]; do
  case "$1" in
    --compose) MODE=compose ;;
    --native) MODE=native ;;
    -h | --help) usage ;;
    *) echo "$NAME: unknown argument: $1" >&2; usage ;;
  esac
  shift
done

BACKUP_DIR="${BACKUP_DIR:-/backups/minio}"
RETENTION_DAYS="${RETENTION_DAYS:-28}"
BUCKETS="${MINIO_BUCKETS:-originals transcodes images waveforms}"
[[ "$RETENTION_DAYS" =~ ^[0-9]+$ ]] || die "RETENTION_DAYS must be a whole number of days, got '$RETENTION_DAYS'"
for b in $BUCKETS; do
  [[ "$b" =~ ^[a-z0-9][a-z0-9.-]{1,62}$ ]] || die "not a bucket name: '$b'"
done

# shellcheck source=lib/compose.sh
source "$ROOT/scripts/lib/compose.sh"

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

# Shell run by mc: mirror each bucket into .<bucket>-DATE.partial, then rename. $1: alias prefix
# ("earshot" in the container), $2: backup root as mc sees it.
MIRROR_SCRIPT='
set -eu
alias_name=$1; root=$2
for b in $BUCKETS; do
  partial="$root/.$b-$DATE.partial"
  rm -rf "$partial"
  mc mirror --preserve --quiet "$alias_name/$b" "$partial/"
  rm -rf "$root/$b-$DATE"
  mv "$partial" "$root/$b-$DATE"
  echo "mirrored $b -> $b-$DATE"
done
'

case "$MODE" in
  compose)
    [ ${#COMPOSE_CMD[@]} -gt 0 ] || find_compose || die "--compose: neither 'docker compose' nor 'docker-compose' is available"
    compose_service_running minio || die "--compose: the minio service is not running (docker compose up -d minio)"
    env_args+=(-e "BUCKETS=$BUCKETS" -e "DATE=$DATE")
    while IFS= read -r var; do env_args+=(-e "$var=${!var}"); done < <(compgen -e | grep '^MC_HOST_' || true)
    echo "$NAME: mirroring buckets ($BUCKETS) of the compose stack into $BACKUP_DIR"
    # The credentials come from the minio-init service's environment (or its Docker secret).
    compose run --rm --no-deps -T -v "$BACKUP_DIR:/backups" "${env_args[@]}" --entrypoint /bin/sh minio-init -c '
      set -eu
      if [ -n "${MINIO_ROOT_PASSWORD_FILE:-}" ]; then MINIO_ROOT_PASSWORD=$(cat "$MINIO_ROOT_PASSWORD_FILE"); fi
      mc alias set earshot "${MINIO_URL:-http://minio:9000}" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null
      '"$MIRROR_SCRIPT" -- earshot /backups \
      || die "mc mirror failed; incomplete copies are left as .<bucket>-$DATE.partial"
    ;;
  native)
    if [ -n "${MINIO_ENDPOINT:-}" ]; then
      [ -n "${MC_ALIAS:-}" ] || die "--native with MINIO_ENDPOINT set: set MC_ALIAS to an mc alias of that storage (mc alias set <alias> <url> <key> <secret>)"
      command -v mc >/dev/null 2>&1 || die "--native: mc (MinIO client) is not installed"
      echo "$NAME: mirroring buckets ($BUCKETS) of $MC_ALIAS into $BACKUP_DIR"
      BUCKETS="$BUCKETS" DATE="$DATE" sh -c "$MIRROR_SCRIPT" -- "$MC_ALIAS" "$BACKUP_DIR" || die "mc mirror failed"
    else
      DATA_DIR="${DATA_DIR:-./data}"
      case "$DATA_DIR" in /*) ;; *) DATA_DIR="$ROOT/${DATA_DIR#./}" ;; esac
      [ -d "$DATA_DIR/storage" ] || die "--native: no local storage at $DATA_DIR/storage (set DATA_DIR, or MINIO_ENDPOINT and MC_ALIAS for S3 storage)"
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
  echo "$NAME: mirroring $BACKUP_DIR to $OFFSITE_TARGET"
  if [ "$MODE" = compose ] && ! command -v mc >/dev/null 2>&1; then
    compose run --rm --no-deps -T -v "$BACKUP_DIR:/backups:ro" "${env_args[@]}" -e "OFFSITE_TARGET=$OFFSITE_TARGET" --entrypoint /bin/sh minio-init \
      -c 'mc mirror --overwrite --quiet --exclude ".*" /backups/ "$OFFSITE_TARGET"' || die "offsite mirror failed"
  else
    command -v mc >/dev/null 2>&1 || die "OFFSITE_TARGET needs mc (MinIO client) on this machine"
    mc mirror --overwrite --quiet --exclude ".*" "$BACKUP_DIR/" "$OFFSITE_TARGET" || die "offsite mirror failed"
  fi
fi

echo "MinIO backup completed: $BACKUP_DIR ($DATE)"
