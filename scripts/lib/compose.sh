# Sourced by the operations scripts: finds docker compose and runs it from the repo root.
# COMPOSE="..." overrides the command (tests use a stand-in). Needs ROOT set by the caller.
COMPOSE_CMD=()
find_compose() {
  if [ -n "${COMPOSE:-}" ]; then
    read -r -a COMPOSE_CMD <<<"$COMPOSE"
  elif command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
    COMPOSE_CMD=(docker compose)
  elif command -v docker-compose >/dev/null 2>&1; then
    COMPOSE_CMD=(docker-compose)
  else
    return 1
  fi
}
compose() { (cd "$ROOT" && "${COMPOSE_CMD[@]}" "$@"); }
compose_service_running() { [ -n "$(compose ps -q "$1" 2>/dev/null)" ]; }
