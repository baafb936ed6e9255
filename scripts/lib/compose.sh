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

# The backup scripts' only arguments: --compose or --native (MODE; auto without either). Needs the
# caller's NAME and usage.
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

# MODE=auto for the database: the compose stack's postgres when it runs, else DATABASE_URL with this
# machine's tools, else dies saying what to do ($1). Needs the caller's die.
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
