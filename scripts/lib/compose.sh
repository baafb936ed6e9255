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

# The arguments of a backup script: --compose, --native or --help (`usage`, the caller's); anything
# else is refused with `usage`. Sets MODE (auto when neither is given). Needs NAME set by the caller.
parse_mode_args() {
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
}

# MODE=auto becomes compose when the stack's postgres service is running, else native when
# DATABASE_URL is set; else the caller's `die` with "no running compose stack…: <how to fix>".
resolve_postgres_mode() {
  [ "$MODE" = auto ] || return 0
  if find_compose && compose_service_running postgres; then
    MODE=compose
  elif [ -n "${DATABASE_URL:-}" ]; then
    MODE=native
  else
    die "no running compose stack (postgres service) and DATABASE_URL is not set: $1"
  fi
}
