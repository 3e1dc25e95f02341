#!/usr/bin/env bash
# "No page over 1 s at 50,000 firms": starts the service (Release, Production, no jobs) on a fresh copy of the
# cached 50k benchmark database (never the cached file itself), signs in an officer with a cookie and times each main
# page with tests/bench/pages.py. Not part of tests/run.sh.
#   tests/bench/pages.sh [--db FILE] [--runs N] [--no-build] [--port N] [--service-log FILE]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK=${BENCH_DIR:-/tmp/xuhui-bench-8}
DB=""
RUNS=5
BUILD=1
SERVICE_LOG="" # --service-log FILE keeps the service's log (e.g. with EF command logging switched on through the environment)
# A free loopback port unless given: other services (other benchmarks) may be listening on any fixed one.
PORT=${PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
while (($#)); do
  case $1 in
    --db) DB=$2; shift ;;
    --runs) RUNS=$2; shift ;;
    --no-build) BUILD=0 ;;
    --port) PORT=$2; shift ;;
    --service-log) SERVICE_LOG=$2; shift ;;
    *) echo "pages.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
# The 50k database of tests/bench/run.sh's cache for this tree (same key: generator, schema, seed words), so its schema
# matches these migrations; tests/bench/run.sh --generate-only 50000 makes it when missing.
KEY=$("$ROOT/tests/bench/cache-key.sh" "$ROOT")
DB=${DB:-$WORK/db-50000-s42-2026-11-20-$KEY.db}
[[ -f $DB ]] || { echo "pages.sh: no $DB (tests/bench/run.sh --generate-only 50000 makes it)" >&2; exit 1; }
BIN=$ROOT/src/Xuhui.Crm.Web/bin/Release/net10.0
((BUILD)) && dotnet build "$ROOT/src/Xuhui.Crm.Web" -c Release -v q -nologo > /dev/null

RUN=$(mktemp -d "${TMPDIR:-/tmp}/xuhui-pages-XXXXXX")
SERVICE=""
cleanup() {
  [[ -n $SERVICE ]] && kill "$SERVICE" 2>/dev/null && wait "$SERVICE" 2>/dev/null
  [[ -n $SERVICE_LOG ]] && cp "$RUN/service.log" "$SERVICE_LOG"
  rm -rf "$RUN"
}
trap cleanup EXIT
curl -sf -o /dev/null "http://127.0.0.1:$PORT/health/live" && { echo "pages.sh: port $PORT is in use" >&2; exit 1; }
cp "$DB" "$RUN/crm.db"
password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
(umask 077 && printf '{"userName":"admin","password":"%s"}' "$password" > "$RUN/login.json")
Crm__DataDirectory="$RUN" Crm__Seed__Demo=false Crm__Bootstrap__AdminPassword="$password" Crm__Jobs__Enabled=false \
  Crm__Auth__LoginRequestsPerMinute=1000 ASPNETCORE_ENVIRONMENT=Production \
  dotnet "$BIN/Xuhui.Crm.Web.dll" --urls "http://127.0.0.1:$PORT" > "$RUN/service.log" 2>&1 &
SERVICE=$!
for _ in $(seq 1 240); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/health/live" && break
  kill -0 "$SERVICE" 2>/dev/null || { cat "$RUN/service.log"; echo "pages.sh: the service exited" >&2; exit 1; }
  sleep 0.5
done
echo "database: $(basename "$DB") (copy), $(nproc) cores, $(date -u +%FT%TZ)"
python3 "$ROOT/tests/bench/pages.py" "http://127.0.0.1:$PORT" "$RUN/login.json" "$RUN/crm.db" --runs "$RUNS"
