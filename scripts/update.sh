#!/usr/bin/env bash
# scripts/update.sh — update to the latest code (docs/operations.md, "Updates").
#
#   scripts/update.sh [--compose | --native] [--ref <tag|branch|commit>] [--no-pull]
#
# compose (default when the stack is running):
#   1. git pull --ff-only origin main            (or: git fetch + checkout of --ref)
#   2. docker compose build
#   3. docker compose run --rm migrate           (the NEW image's migrations, before any restart;
#                                                 `exec api` would run the old container's)
#   4. rolling restart of api, web, worker: new containers are started next to the old ones, and
#      the old ones are stopped only once the new ones are healthy (nginx is reloaded so it sends
#      traffic to the new containers). If a new container does not become healthy, it is removed
#      and the old ones keep running.
#   5. health check with retries (instead of `sleep 10`): HEALTH_URL, default
#      https://$DOMAIN/api/v1/health (DOMAIN from the environment or .env)
# native (no compose; the services run under systemd or similar):
#   git pull, npm ci, npm run build:web, npm run migrate, then UPDATE_RESTART_CMD (e.g.
#   "systemctl restart earshot-api earshot-worker earshot-web"), then the health check
#   (default http://localhost:${PORT:-3000}/api/v1/health).
#
# Environment: UPDATE_REMOTE (origin), UPDATE_BRANCH (main), HEALTH_URL, HEALTH_RETRIES (30),
# HEALTH_INTERVAL (2 s), UPDATE_HEALTH_TIMEOUT (300 s per rolled service), UPDATE_RESTART_CMD
# (native), COMPOSE (compose command; default `docker compose`, else `docker-compose`).
# Rolling back: docs/operations.md, "Rollback".
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NAME=update

die() { echo "$NAME: $*" >&2; exit 1; }
step() { echo "==> $*"; }
usage() {
  cat >&2 <<'EOF'
usage: scripts/update.sh [--compose | --native] [--ref <tag|branch|commit>] [--no-pull]
  --ref <ref>  deploy this ref (git fetch + checkout) instead of pulling UPDATE_BRANCH
  --no-pull    deploy the code as it is checked out now
EOF
  exit 2
}

MODE=auto
REF=""
PULL=1
while [ $# -gt 0 ]; do
  case "$1" in
    --compose) MODE=compose ;;
    --native) MODE=native ;;
    --ref)
      [ $# -ge 2 ] || { echo "$NAME: --ref needs a value" >&2; usage; }
      REF="$2"
      shift
      ;;
    --no-pull) PULL=0 ;;
    -h | --help) usage ;;
    *) echo "$NAME: unknown argument: $1" >&2; usage ;;
  esac
  shift
done

HEALTH_RETRIES="${HEALTH_RETRIES:-30}"
HEALTH_INTERVAL="${HEALTH_INTERVAL:-2}"
UPDATE_HEALTH_TIMEOUT="${UPDATE_HEALTH_TIMEOUT:-300}"
for v in HEALTH_RETRIES HEALTH_INTERVAL UPDATE_HEALTH_TIMEOUT; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a whole number, got '${!v}'"
done

# shellcheck source=lib/compose.sh
source "$ROOT/scripts/lib/compose.sh"
compose_ids() { compose ps -q "$1" 2>/dev/null | sed '/^$/d'; }

if [ "$MODE" = auto ]; then
  if find_compose && [ -n "$(compose_ids api)$(compose_ids postgres)" ]; then MODE=compose; else MODE=native; fi
elif [ "$MODE" = compose ]; then
  find_compose || die "--compose: neither 'docker compose' nor 'docker-compose' is available"
fi

# .env value without sourcing the file (values may contain spaces, <, >).
dotenv() { [ -f "$ROOT/.env" ] && sed -n "s/^$1=//p" "$ROOT/.env" | tail -n 1 | sed -e 's/^"\(.*\)"$/\1/' -e "s/^'\(.*\)'$/\1/"; }

# --- 1. code ------------------------------------------------------------------------------------
update_code() {
  cd "$ROOT"
  if [ "$PULL" = 0 ]; then
    step "using the checked-out code ($(git rev-parse --short HEAD 2>/dev/null || echo 'not a git checkout'))"
    return
  fi
  git diff --quiet && git diff --cached --quiet || die "the checkout has local changes to tracked files; commit or stash them first"
  local remote="${UPDATE_REMOTE:-origin}"
  if [ -n "$REF" ]; then
    step "git fetch $remote and checkout $REF"
    git fetch --tags "$remote"
    git checkout --quiet "$REF"
  else
    local branch="${UPDATE_BRANCH:-main}"
    step "git pull --ff-only $remote $branch"
    git pull --ff-only "$remote" "$branch"
  fi
  echo "    now at $(git rev-parse --short HEAD) ($(git log -1 --format=%s))"
}

# --- health ---------------------------------------------------------------------------------------
health_check() {
  local url="$1" i body
  step "health check: $url"
  for ((i = 1; i <= HEALTH_RETRIES; i++)); do
    if body="$(curl -fsS --max-time 10 "$url" 2>/dev/null)"; then
      echo "    healthy after $i attempt(s): $body"
      return 0
    fi
    sleep "$HEALTH_INTERVAL"
  done
  die "$url did not answer healthy after $HEALTH_RETRIES attempts ($((HEALTH_RETRIES * HEALTH_INTERVAL)) s); see: docker compose logs api"
}

# --- compose: rolling restart -------------------------------------------------------------------
container_state() { docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$1" 2>/dev/null || echo missing; }

wait_healthy() {
  local deadline=$((SECONDS + UPDATE_HEALTH_TIMEOUT)) id state
  for id in "$@"; do
    while :; do
      state="$(container_state "$id")"
      case "$state" in
        healthy) break ;;
        unhealthy | exited | dead | missing) echo "    container ${id:0:12} is $state" >&2; return 1 ;;
      esac
      [ "$SECONDS" -lt "$deadline" ] || { echo "    container ${id:0:12} still '$state' after ${UPDATE_HEALTH_TIMEOUT} s" >&2; return 1; }
      sleep 3
    done
  done
}

reload_nginx() {
  if [ -n "$(compose_ids nginx)" ]; then
    compose exec -T nginx nginx -s reload >/dev/null
  fi
}

# roll <service> <behind-nginx: 0|1>
roll() {
  local svc="$1" behind_nginx="$2" id
  local -a old=() all=() new=()
  mapfile -t old < <(compose_ids "$svc")
  local n=${#old[@]}
  step "rolling restart of $svc ($n running)"
  if [ "$n" -eq 0 ]; then
    compose up -d --no-deps "$svc"
    mapfile -t new < <(compose_ids "$svc")
    wait_healthy "${new[@]}" || die "$svc did not become healthy: docker compose logs $svc"
    [ "$behind_nginx" = 0 ] || reload_nginx
    return
  fi
  # New containers (new image) next to the old ones.
  compose up -d --no-deps --no-recreate --scale "$svc=$((2 * n))" "$svc"
  mapfile -t all < <(compose_ids "$svc")
  for id in "${all[@]}"; do
    [[ " ${old[*]} " == *" $id "* ]] || new+=("$id")
  done
  [ ${#new[@]} -gt 0 ] || die "$svc: no new container was started"
  if ! wait_healthy "${new[@]}"; then
    docker rm -f "${new[@]}" >/dev/null || true
    die "$svc: the new container(s) did not become healthy and were removed; the old ones keep running (docker compose logs $svc)"
  fi
  [ "$behind_nginx" = 0 ] || reload_nginx
  # Old containers drain (SIGTERM: graceful shutdown) and go.
  docker stop "${old[@]}" >/dev/null
  docker rm "${old[@]}" >/dev/null
  [ "$behind_nginx" = 0 ] || reload_nginx
  echo "    $svc: ${#new[@]} new container(s) healthy, ${#old[@]} old one(s) removed"
}

update_compose() {
  update_code
  step "docker compose build"
  compose build
  step "migrations (new image): docker compose run --rm migrate"
  compose run --rm migrate
  roll api 1
  roll web 1
  roll worker 0
  local domain="${DOMAIN:-$(dotenv DOMAIN || true)}"
  if [ -n "${HEALTH_URL:-}" ]; then
    health_check "$HEALTH_URL"
  elif [ -n "$domain" ]; then
    health_check "https://$domain/api/v1/health"
  else
    step "health check inside the api container (no DOMAIN or HEALTH_URL)"
    compose exec -T api curl -fsS http://localhost:3000/api/v1/health || die "the api is not healthy"
    echo
  fi
  echo "Update completed"
}

update_native() {
  update_code
  cd "$ROOT"
  step "npm ci"
  npm ci --no-audit --no-fund
  step "npm run build:web"
  npm run build:web
  step "npm run migrate"
  npm run migrate
  if [ -n "${UPDATE_RESTART_CMD:-}" ]; then
    step "restart: $UPDATE_RESTART_CMD"
    bash -c "$UPDATE_RESTART_CMD"
  else
    echo "    UPDATE_RESTART_CMD is not set: restart the api, worker and web processes yourself now"
  fi
  health_check "${HEALTH_URL:-http://localhost:${PORT:-3000}/api/v1/health}"
  echo "Update completed"
}

case "$MODE" in
  compose) update_compose ;;
  native) update_native ;;
esac
