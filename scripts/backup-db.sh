#!/usr/bin/env bash
# scripts/backup-db.sh — nightly PostgreSQL backup (docs/operations.md, "Backups").
#
#   scripts/backup-db.sh [--compose | --native]
#
# Writes ${BACKUP_DIR}/music_db_<YYYYmmdd_HHMMSS>.sql.gz (plain SQL, gzip) and deletes backups of
# the same name pattern older than RETENTION_DAYS. Other files in BACKUP_DIR are never touched.
#
# Where the database is:
#   --compose  `docker compose exec -T postgres pg_dump` (the compose stack's `postgres` service)
#   --native   `pg_dump` of this machine against DATABASE_URL
#   (neither)  compose when the stack's postgres container is running, else native when
#              DATABASE_URL is set.
#
# Environment:
#   BACKUP_DIR      default /backups/postgres
#   RETENTION_DAYS  default 30 (0 keeps every backup)
#   BACKUP_PREFIX   default music_db
#   DATABASE_URL    native mode: the database to dump
#   POSTGRES_USER, POSTGRES_DB   compose mode: default postgres, music
#   METRICS_TEXTFILE_DIR  when set, the time of this success is written there for node-exporter
#                   (earshot_backup_last_success_timestamp_seconds{kind="database"}; alert after 26 h)
#   COMPOSE         compose command (default: `docker compose`, else `docker-compose`)
#
# The dump goes to a hidden temporary file first and is renamed only when pg_dump succeeded, the
# gzip stream is intact and the dump ends with pg_dump's completion marker: a failed run never
# leaves a truncated .sql.gz that looks like a good backup.
#
# Cron (docs/operations.md): 0 2 * * * /path/to/earshot/scripts/backup-db.sh >> /var/log/backup.log 2>&1
set -euo pipefail
umask 077  # backups hold password hashes and private media

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NAME=backup-db

die() { echo "$NAME: $*" >&2; exit 1; }
usage() {
  cat >&2 <<EOF
usage: scripts/backup-db.sh [--compose | --native]
  BACKUP_DIR=${BACKUP_DIR:-/backups/postgres} RETENTION_DAYS=${RETENTION_DAYS:-30}
  --compose  dump the compose stack's postgres service (docker compose exec)
  --native   dump DATABASE_URL with this machine's pg_dump
EOF
  exit 2
}

# shellcheck source=lib/compose.sh
source "$ROOT/scripts/lib/compose.sh"
parse_mode_args "$@"

BACKUP_DIR="${BACKUP_DIR:-/backups/postgres}"
RETENTION_DAYS="${RETENTION_DAYS:-30}"
BACKUP_PREFIX="${BACKUP_PREFIX:-music_db}"
[[ "$RETENTION_DAYS" =~ ^[0-9]+$ ]] || die "RETENTION_DAYS must be a whole number of days, got '$RETENTION_DAYS'"
[[ "$BACKUP_PREFIX" =~ ^[A-Za-z0-9_.-]+$ ]] || die "BACKUP_PREFIX may only contain letters, digits, '_', '.', '-'"

# --- docker compose -------------------------------------------------------------------------------
# shellcheck source=lib/textfile-metric.sh
source "$ROOT/scripts/lib/textfile-metric.sh"

resolve_postgres_mode "start the stack, or give DATABASE_URL (--native)"

PG_USER="${POSTGRES_USER:-postgres}"
PG_DB="${POSTGRES_DB:-music}"
case "$MODE" in
  compose)
    [ ${#COMPOSE_CMD[@]} -gt 0 ] || find_compose || die "--compose: neither 'docker compose' nor 'docker-compose' is available"
    compose_service_running postgres || die "--compose: the postgres service is not running (docker compose up -d postgres)"
    SOURCE="compose service postgres, database $PG_DB"
    dump() { compose exec -T postgres pg_dump -U "$PG_USER" --no-owner --no-privileges "$PG_DB"; }
    ;;
  native)
    [ -n "${DATABASE_URL:-}" ] || die "--native: DATABASE_URL is not set"
    command -v pg_dump >/dev/null 2>&1 || die "--native: pg_dump is not installed (apt-get install postgresql-client)"
    SOURCE="DATABASE_URL (database ${DATABASE_URL##*/})"
    SOURCE="${SOURCE%%\?*}"
    dump() { pg_dump --no-owner --no-privileges --dbname="$DATABASE_URL"; }
    ;;
esac

command -v gzip >/dev/null 2>&1 || die "gzip is not installed"
mkdir -p "$BACKUP_DIR" || die "cannot create BACKUP_DIR $BACKUP_DIR"
[ -w "$BACKUP_DIR" ] || die "BACKUP_DIR $BACKUP_DIR is not writable"

# One backup at a time per directory.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$BACKUP_DIR/.$NAME.lock"
  flock -n 9 || die "another backup is running in $BACKUP_DIR"
fi

DATE="$(date +%Y%m%d_%H%M%S)"
FILENAME="${BACKUP_PREFIX}_${DATE}.sql.gz"
TMP="$BACKUP_DIR/.${FILENAME}.partial"
trap 'rm -f "$TMP"' EXIT

echo "$NAME: dumping $SOURCE"
if ! dump | gzip -c >"$TMP"; then
  die "pg_dump failed; no backup written"
fi
# Intact gzip stream, and pg_dump got to the end of its output.
if ! gzip -dc "$TMP" | tail -n 20 | grep -q -- '-- PostgreSQL database dump complete'; then
  die "the dump is incomplete (no completion marker); no backup written"
fi
mv -f "$TMP" "$BACKUP_DIR/$FILENAME"
trap - EXIT

# Retention: this script's backups older than RETENTION_DAYS (by modification time).
if [ "$RETENTION_DAYS" -gt 0 ]; then
  while IFS= read -r -d '' old; do
    rm -f -- "$old"
    echo "$NAME: removed old backup $(basename "$old")"
  done < <(find "$BACKUP_DIR" -maxdepth 1 -type f -name "${BACKUP_PREFIX}_*.sql.gz" -mmin +$((RETENTION_DAYS * 1440)) -print0)
fi

write_textfile_metric earshot_backup_database earshot_backup_last_success_timestamp_seconds 'kind="database"' "$(date +%s)" "Unix time of the newest successful backup" \
  || echo "$NAME: warning: could not record the backup time for monitoring" >&2
echo "Backup completed: ${FILENAME} ($(du -h "$BACKUP_DIR/$FILENAME" | cut -f1))"
