#!/usr/bin/env bash
# scripts/restore-db.sh — restore a backup written by scripts/backup-db.sh (docs/operations.md,
# "Restore procedure").
#
#   scripts/restore-db.sh [--compose | --native] [--yes] <backup-file.sql.gz>
#
# Drops the database, creates it empty and replays the backup into it in one transaction.
#   --compose  the compose stack: stops api and worker, restores through
#              `docker compose exec -T postgres psql`, starts api and worker again
#   --native   DATABASE_URL with this machine's psql: drops and recreates the database named in
#              the URL (connecting to the `postgres` maintenance database of the same server).
#              Stop the api and worker first (they are not managed by this script natively);
#              DROP DATABASE … WITH (FORCE) disconnects whatever is still connected.
#   (neither)  compose when the stack's postgres container is running, else native when
#              DATABASE_URL is set.
#
# Dropping a database needs a confirmation: --yes, or RESTORE_CONFIRM=1, or typing the database
# name when run from a terminal. Without one of them (cron, pipes) the script refuses.
# The backup is checked (gzip intact, pg_dump's completion marker present) before anything is
# stopped or dropped.
#
# Environment: POSTGRES_USER, POSTGRES_DB (compose; default postgres, music), DATABASE_URL
# (native), RESTORE_MAINTENANCE_DB (native; default postgres), COMPOSE (compose command).
set -Eeuo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NAME=restore-db

die() { echo "$NAME: $*" >&2; exit 1; }
usage() {
  cat >&2 <<'EOF'
usage: scripts/restore-db.sh [--compose | --native] [--yes] <backup-file.sql.gz>
  --yes (or RESTORE_CONFIRM=1)  drop and recreate the database without asking
EOF
  exit 2
}

MODE=auto
YES="${RESTORE_CONFIRM:-0}"
BACKUP_FILE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --compose) MODE=compose ;;
    --native) MODE=native ;;
    --yes | -y) YES=1 ;;
    -h | --help) usage ;;
    -*) echo "$NAME: unknown option: $1" >&2; usage ;;
    *)
      [ -z "$BACKUP_FILE" ] || { echo "$NAME: one backup file only" >&2; usage; }
      BACKUP_FILE="$1"
      ;;
  esac
  shift
done

if [ -z "$BACKUP_FILE" ]; then
  echo "Usage: ./restore-db.sh <backup-file.sql.gz>" >&2
  usage
fi
[ -f "$BACKUP_FILE" ] || die "no such file: $BACKUP_FILE"
[ -r "$BACKUP_FILE" ] || die "cannot read $BACKUP_FILE"

echo "$NAME: checking $BACKUP_FILE"
gzip -dc "$BACKUP_FILE" | tail -n 20 | grep -q -- '-- PostgreSQL database dump complete' \
  || die "$BACKUP_FILE is not a complete backup (corrupt gzip or no pg_dump completion marker); nothing was changed"

# --- docker compose -------------------------------------------------------------------------------
# shellcheck source=lib/compose.sh
source "$ROOT/scripts/lib/compose.sh"

resolve_postgres_mode "start postgres (docker compose up -d postgres), or give DATABASE_URL (--native)"

case "$MODE" in
  compose)
    [ ${#COMPOSE_CMD[@]} -gt 0 ] || find_compose || die "--compose: neither 'docker compose' nor 'docker-compose' is available"
    compose_service_running postgres || die "--compose: the postgres service is not running (docker compose up -d postgres)"
    PG_USER="${POSTGRES_USER:-postgres}"
    DB="${POSTGRES_DB:-music}"
    admin_sql() { compose exec -T postgres psql -U "$PG_USER" -d postgres -v ON_ERROR_STOP=1 -q -c "$1"; }
    replay() { compose exec -T postgres psql -U "$PG_USER" -d "$DB" -v ON_ERROR_STOP=1 -q --single-transaction >/dev/null; }
    PLAN="stop api and worker; DROP DATABASE $DB; CREATE DATABASE $DB; restore $BACKUP_FILE; start api and worker"
    ;;
  native)
    [ -n "${DATABASE_URL:-}" ] || die "--native: DATABASE_URL is not set"
    command -v psql >/dev/null 2>&1 || die "--native: psql is not installed (apt-get install postgresql-client)"
    url="${DATABASE_URL%%\?*}"
    query=""
    [[ "$DATABASE_URL" == *\?* ]] && query="?${DATABASE_URL#*\?}"
    [[ "$url" =~ ^postgres(ql)?://[^/]+/[^/]+$ ]] || die "DATABASE_URL must look like postgresql://user:pass@host:port/dbname"
    DB="${url##*/}"
    [[ "$DB" =~ ^[A-Za-z0-9_][A-Za-z0-9_-]*$ ]] || die "database name '$DB' has characters this script does not handle; restore by hand"
    MAINT_URL="${url%/*}/${RESTORE_MAINTENANCE_DB:-postgres}${query}"
    admin_sql() { psql "$MAINT_URL" -v ON_ERROR_STOP=1 -q -c "$1"; }
    replay() { psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -q --single-transaction >/dev/null; }
    PLAN="DROP DATABASE $DB (disconnecting its sessions); CREATE DATABASE $DB; restore $BACKUP_FILE"
    ;;
esac

echo "$NAME: this will: $PLAN"
if [ "$YES" != 1 ]; then
  if [ -t 0 ]; then
    read -r -p "Type the database name ($DB) to drop it and restore the backup: " answer
    [ "$answer" = "$DB" ] || die "not confirmed; nothing was changed"
  else
    echo "$NAME: refusing to drop database $DB without confirmation: pass --yes or set RESTORE_CONFIRM=1" >&2
    exit 2
  fi
fi

STOPPED=0
on_error() {
  echo "$NAME: restore FAILED; database $DB may be empty or partial." >&2
  if [ "$STOPPED" = 1 ]; then
    echo "$NAME: api and worker are left stopped. Fix the cause and rerun, or start them with: docker compose start api worker" >&2
  fi
}
trap on_error ERR

if [ "$MODE" = compose ]; then
  compose stop api worker
  STOPPED=1
fi

admin_sql "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE);"
admin_sql "CREATE DATABASE \"$DB\";"
gzip -dc "$BACKUP_FILE" | replay

trap - ERR
if [ "$MODE" = compose ]; then
  if [ -n "$(compose ps -q api 2>/dev/null)$(compose ps -q worker 2>/dev/null)" ]; then
    compose start api worker
  else
    echo "$NAME: api and worker have no containers yet; start the stack with: docker compose up -d"
  fi
fi

echo "Restore completed"
