#!/usr/bin/env bash
# scripts/e2e.sh — end-to-end check of a running Earshot (docs/operations.md, "First deployment").
#
#   scripts/e2e.sh [base-url]        e.g. scripts/e2e.sh https://yoursite.com
#                                         scripts/e2e.sh http://localhost:3000   (npm start)
#
# Default base URL: E2E_BASE_URL, else https://$DOMAIN (environment or .env), else
# http://localhost:3000. Steps (the public API v1 routes):
#   1. API health            GET  /api/v1/health                 → 200, status "healthy"
#   2. worker health         WORKER_HEALTH_URL, else <base>/api/v1/worker/health (embedded mode),
#                            else http://localhost:3001/health, else
#                            `docker compose exec worker curl …/health` (compose: not published)
#   3. register an artist    POST /api/v1/auth/register          → 201 {user, token}
#   4. upload a master       POST /api/v1/tracks (multipart file + title), a 5 s FLAC tone
#                            generated with ffmpeg (on this machine, else in the worker container)
#   5. processing            GET  /api/v1/tracks/:id until status "ready" (E2E_TIMEOUT, 300 s)
#   6. stream                GET  /api/v1/tracks/:id/stream      → {hls}
#   7. HLS                   master playlist → first rendition playlist → init segment and first
#                            media segment: each 200 and not empty
# The account and an unlisted track stay behind (there is no delete route yet); they are named
# e2e-<random>. JSON is read with jq, node or python3, whichever exists.
#
# Environment: E2E_BASE_URL, WORKER_HEALTH_URL, E2E_TIMEOUT (s; 0 = no limit), E2E_POLL_INTERVAL (s, 2),
# E2E_INSECURE=1 (accept a self-signed certificate), COMPOSE.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NAME=e2e

usage() {
  echo "usage: scripts/e2e.sh [base-url]   (e.g. https://yoursite.com or http://localhost:3000)" >&2
  exit 2
}
case "${1:-}" in -h | --help) usage ;; -*) echo "$NAME: unknown option: $1" >&2; usage ;; esac
[ $# -le 1 ] || usage

dotenv() { [ -f "$ROOT/.env" ] && sed -n "s/^$1=//p" "$ROOT/.env" | tail -n 1 | sed -e 's/^"\(.*\)"$/\1/' -e "s/^'\(.*\)'$/\1/"; }

BASE="${1:-${E2E_BASE_URL:-}}"
if [ -z "$BASE" ]; then
  domain="${DOMAIN:-$(dotenv DOMAIN || true)}"
  if [ -n "$domain" ]; then BASE="https://$domain"; else BASE="http://localhost:3000"; fi
fi
BASE="${BASE%/}"
[[ "$BASE" =~ ^https?://[^/]+$ ]] || { echo "$NAME: base URL must be scheme://host[:port] without a path, got '$BASE'" >&2; usage; }
ORIGIN="$BASE"
E2E_TIMEOUT="${E2E_TIMEOUT:-300}"
E2E_POLL_INTERVAL="${E2E_POLL_INTERVAL:-2}"
[[ "$E2E_TIMEOUT" =~ ^[0-9]+$ && "$E2E_POLL_INTERVAL" =~ ^[0-9]+$ ]] || { echo "$NAME: E2E_TIMEOUT and E2E_POLL_INTERVAL are whole seconds" >&2; exit 2; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/earshot-e2e.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

STEP="start"
step() { STEP="$1"; echo "[$NAME] $1"; }
fail() {
  echo "[$NAME] FAILED at: $STEP" >&2
  echo "[$NAME] $*" >&2
  exit 1
}

CURL=(curl -sS --max-time 120)
[ "${E2E_INSECURE:-0}" = 1 ] && CURL+=(-k)
STATUS=""
BODY=""
# http <method> <url> [curl args...]: sets STATUS and BODY (BODY_FILE has the raw bytes).
BODY_FILE="$WORK/body"
http() {
  local method="$1" url="$2"
  shift 2
  if ! STATUS="$("${CURL[@]}" -X "$method" -o "$BODY_FILE" -w '%{http_code}' "$@" "$url")"; then
    fail "$method $url: no answer (curl failed)"
  fi
  BODY="$(head -c 65536 "$BODY_FILE" | tr -d '\000')"
}
excerpt() { printf '%s' "$BODY" | head -c 500; }
expect_status() {
  local want="$1" what="$2"
  [ "$STATUS" = "$want" ] || fail "$what answered HTTP $STATUS (expected $want): $(excerpt)"
}

# json <path> <<< "$BODY": prints the value at a dotted path (strings raw, objects as JSON);
# exit 1 when missing or null.
if command -v jq >/dev/null 2>&1; then
  json() { jq -er ".$1 | select(. != null) | if type == \"object\" or type == \"array\" then tojson else . end" 2>/dev/null; }
elif command -v node >/dev/null 2>&1; then
  json() {
    node -e '
      let v; try { v = JSON.parse(require("fs").readFileSync(0, "utf8")); } catch { process.exit(1); }
      for (const k of process.argv[1].split(".")) v = v == null ? undefined : v[k];
      if (v === undefined || v === null) process.exit(1);
      process.stdout.write(typeof v === "object" ? JSON.stringify(v) : String(v));' "$1"
  }
elif command -v python3 >/dev/null 2>&1; then
  json() {
    python3 -c '
import json, sys
try:
    v = json.load(sys.stdin)
except Exception:
    sys.exit(1)
for k in sys.argv[1].split("."):
    v = v.get(k) if isinstance(v, dict) else None
if v is None:
    sys.exit(1)
sys.stdout.write(json.dumps(v) if isinstance(v, (dict, list)) else (str(v).lower() if isinstance(v, bool) else str(v)))' "$1"
  }
else
  echo "$NAME: needs jq, node or python3 to read JSON" >&2
  exit 1
fi
field() { json "$1" <<<"$BODY" || fail "no '$1' in the answer: $(excerpt)"; }

# resolve <reference> <base-url>: URL of a reference as found in a playlist or an API answer.
resolve() {
  local ref="$1" base="$2"
  case "$ref" in
    http://* | https://*) printf '%s' "$ref" ;;
    /*) printf '%s%s' "$ORIGIN" "$ref" ;;
    *) base="${base%%\?*}"; printf '%s/%s' "${base%/*}" "$ref" ;;
  esac
}

# shellcheck source=lib/compose.sh
source "$ROOT/scripts/lib/compose.sh"
compose_running() { find_compose && [ -n "$(compose ps -q "$1" 2>/dev/null)" ]; }

echo "[$NAME] checking $BASE"

# --- 1. API health ------------------------------------------------------------------------------
step "1/7 API health (GET /api/v1/health)"
http GET "$BASE/api/v1/health"
expect_status 200 "GET /api/v1/health"
[ "$(field status)" = healthy ] || fail "API health is not healthy: $(excerpt)"

# --- 2. worker health ---------------------------------------------------------------------------
step "2/7 worker health"
worker_body=""
worker_from=""
if [ -n "${WORKER_HEALTH_URL:-}" ]; then
  http GET "$WORKER_HEALTH_URL"
  worker_body="$BODY"; worker_from="$WORKER_HEALTH_URL"
  [ "$STATUS" = 200 ] || fail "GET $WORKER_HEALTH_URL answered HTTP $STATUS: $(excerpt)"
else
  http GET "$BASE/api/v1/worker/health"
  if [ "$STATUS" = 200 ] || [ "$STATUS" = 503 ]; then
    worker_body="$BODY"; worker_from="$BASE/api/v1/worker/health"
  elif worker_body="$("${CURL[@]}" --max-time 10 -f http://localhost:3001/health 2>/dev/null)"; then
    worker_from="http://localhost:3001/health"
  elif compose_running worker; then
    worker_body="$(compose exec -T worker curl -sS --max-time 10 http://localhost:3001/health)" || fail "docker compose exec worker curl http://localhost:3001/health failed"
    worker_from="docker compose exec worker curl http://localhost:3001/health"
  else
    fail "no worker health found: $BASE/api/v1/worker/health answered $STATUS, http://localhost:3001/health did not answer and no compose worker runs; set WORKER_HEALTH_URL"
  fi
fi
BODY="$worker_body"
[ "$(field status)" = healthy ] || fail "worker health ($worker_from) is not healthy: $(excerpt)"
field queues >/dev/null
echo "    $worker_from: healthy"

# --- 3. register --------------------------------------------------------------------------------
step "3/7 register an artist (POST /api/v1/auth/register)"
rand="$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
handle="e2e-$rand"
email="e2e-$rand@example.com"
password="E2e-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
http POST "$BASE/api/v1/auth/register" -H 'content-type: application/json' \
  --data "{\"email\":\"$email\",\"password\":\"$password\",\"handle\":\"$handle\",\"displayName\":\"E2E check $rand\",\"role\":\"artist\"}"
expect_status 201 "POST /api/v1/auth/register"
TOKEN="$(field token)"
AUTH=(-H "authorization: Bearer $TOKEN")
echo "    registered $handle"

# --- 4. upload ----------------------------------------------------------------------------------
step "4/7 upload a generated master (POST /api/v1/tracks)"
flac="$WORK/e2e-tone.flac"
tone_args=(-nostdin -v error -f lavfi -i "sine=frequency=440:sample_rate=44100:duration=5" -ac 2 -c:a flac -f flac)
if command -v ffmpeg >/dev/null 2>&1; then
  ffmpeg -y "${tone_args[@]}" "$flac" || fail "ffmpeg could not generate the test tone"
elif compose_running worker; then
  compose exec -T worker ffmpeg "${tone_args[@]}" pipe:1 >"$flac" || fail "ffmpeg in the worker container could not generate the test tone"
else
  fail "ffmpeg is needed to generate the test audio (apt-get install ffmpeg), or a running compose worker"
fi
[ -s "$flac" ] || fail "the generated test tone is empty"
http POST "$BASE/api/v1/tracks" "${AUTH[@]}" -F "file=@$flac;type=audio/flac" -F "title=E2E check $rand" -F "visibility=unlisted"
expect_status 201 "POST /api/v1/tracks"
TRACK_ID="$(field track.id)"
echo "    track $TRACK_ID: $(field track.status)"

# --- 5. processing ------------------------------------------------------------------------------
limit="at most ${E2E_TIMEOUT} s"
[ "$E2E_TIMEOUT" -gt 0 ] || limit="no time limit"
step "5/7 wait for processing (GET /api/v1/tracks/$TRACK_ID until ready, $limit)"
start=$SECONDS
status=""
while :; do
  http GET "$BASE/api/v1/tracks/$TRACK_ID" "${AUTH[@]}"
  expect_status 200 "GET /api/v1/tracks/$TRACK_ID"
  status="$(field track.status)"
  [ "$status" = ready ] && break
  if [ "$status" = failed ]; then
    reason="$(json track.latestVersion.failureReason <<<"$BODY" || echo 'no reason given')"
    fail "processing failed: $reason"
  fi
  if [ "$E2E_TIMEOUT" -gt 0 ] && [ $((SECONDS - start)) -ge "$E2E_TIMEOUT" ]; then
    fail "track $TRACK_ID still '$status' after ${E2E_TIMEOUT} s (steps: $(json track.latestVersion.steps <<<"$BODY" || echo '?')); is the worker running? (E2E_TIMEOUT to wait longer)"
  fi
  sleep "$E2E_POLL_INTERVAL"
done
echo "    ready after $((SECONDS - start)) s"

# --- 6. stream ----------------------------------------------------------------------------------
step "6/7 stream URL (GET /api/v1/tracks/$TRACK_ID/stream)"
http GET "$BASE/api/v1/tracks/$TRACK_ID/stream" "${AUTH[@]}"
expect_status 200 "GET /api/v1/tracks/$TRACK_ID/stream"
master_url="$(resolve "$(field hls)" "$BASE/api/v1/tracks/$TRACK_ID/stream")"
echo "    expires $(field expiresAt)"

# --- 7. HLS -------------------------------------------------------------------------------------
step "7/7 HLS: master playlist, rendition playlist, segments"
http GET "$master_url"
expect_status 200 "the master playlist"
[[ "$BODY" == "#EXTM3U"* ]] || fail "the master playlist does not start with #EXTM3U: $(excerpt)"
rendition_ref="$(printf '%s\n' "$BODY" | tr -d '\r' | grep -v '^#' | grep -v '^[[:space:]]*$' | head -n 1 || true)"
[ -n "$rendition_ref" ] || fail "the master playlist lists no rendition: $(excerpt)"
rendition_url="$(resolve "$rendition_ref" "$master_url")"

http GET "$rendition_url"
expect_status 200 "the rendition playlist $rendition_ref"
[[ "$BODY" == "#EXTM3U"* ]] || fail "the rendition playlist does not start with #EXTM3U: $(excerpt)"
playlist="$(printf '%s\n' "$BODY" | tr -d '\r')"
init_ref="$(printf '%s\n' "$playlist" | sed -n 's/^#EXT-X-MAP:.*URI="\([^"]*\)".*/\1/p' | head -n 1)"
segment_ref="$(printf '%s\n' "$playlist" | grep -v '^#' | grep -v '^[[:space:]]*$' | head -n 1 || true)"
[ -n "$segment_ref" ] || fail "the rendition playlist lists no segment: $(excerpt)"

fetch_media() {
  local ref="$1" what="$2" url size
  url="$(resolve "$ref" "$rendition_url")"
  http GET "$url"
  expect_status 200 "$what ($ref)"
  size="$(wc -c <"$BODY_FILE" | tr -d ' ')"
  [ "$size" -gt 0 ] || fail "$what ($ref) is empty"
  echo "    $what $ref: $size bytes"
}
[ -z "$init_ref" ] || fetch_media "$init_ref" "init segment"
fetch_media "$segment_ref" "first segment"

echo "[$NAME] OK: $BASE — health, registration, upload, processing and HLS playback all work (track $TRACK_ID, user $handle)"
