#!/usr/bin/env bash
# The benchmark, in one command. For each scale it generates a synthetic database (cached under
# $BENCH_DIR, keyed by the generator's and the migrations' sources), starts the service in Production on a fresh copy,
# drives it with wrk at 32 connections (once as is, once with wrk pinned to core 1 and the service to core 0),
# records the service's peak memory (VmHWM), then times the in-process measures and their hand-written SQL
# yardsticks (tests/Xuhui.Crm.Bench) and writes tests/bench/RESULTS.md.
#
# Usage:
#   tests/bench/run.sh                                 # 5,000 and 50,000 firms (+ 500,000 when its database is cached)
#   tests/bench/run.sh --scales "5000 50000 500000"    # generates what is missing (500k: ~20 min, ~4 GB)
#   tests/bench/run.sh --generate-only 500000          # fill the cache only (e.g. in the background)
#   tests/bench/run.sh --smoke                         # CI: 500 firms, 1 s per endpoint, asserts, RESULTS.md untouched
# Options: --duration S (wrk seconds per endpoint, default 10) --modes "free pinned" --no-build
#          --endpoints "search-1 search-2 search-4 search-0 detail cases tasks" --no-inproc
#          --configuration Debug|Release (default Release) --out FILE --port N
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE=$ROOT/tests/bench
WORK=${BENCH_DIR:-/tmp/xuhui-bench-8}
SCALES=""
DURATION=10
WARMUP=3
CONNECTIONS=32
MODES="free pinned"
ENDPOINTS="search-1 search-2 search-4 search-0 detail cases tasks"
INPROC=1
CONFIGURATION=Release
BUILD=1
SMOKE=0
GENERATE_ONLY=""
OUT=$HERE/RESULTS.md
PORT=${PORT:-5392}
TODAY=2026-11-20 # the generated data's "today": fixed so a cached database stays valid
SEED=42
COMMAND="tests/bench/run.sh $*"

while (($#)); do
  case $1 in
    --smoke) SMOKE=1 ;;
    --scales) SCALES=$2; shift ;;
    --duration) DURATION=$2; shift ;;
    --modes) MODES=$2; shift ;;
    --endpoints) ENDPOINTS=$2; shift ;;
    --no-inproc) INPROC=0 ;;
    --no-build) BUILD=0 ;;
    --configuration) CONFIGURATION=$2; shift ;;
    --out) OUT=$2; shift ;;
    --port) PORT=$2; shift ;;
    --generate-only) GENERATE_ONLY=$2; shift ;;
    -h | --help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

if ((SMOKE)); then
  SCALES=${SCALES:-500}
  DURATION=1
  WARMUP=1
  MODES=free
  WORK=$WORK/smoke-$$
  OUT=$WORK/RESULTS.md
fi

log() { printf '==> %s\n' "$*" >&2; }
need() { command -v "$1" >/dev/null 2>&1; }

install_missing() {
  local -a missing=()
  need wrk || missing+=(wrk)
  need python3 || missing+=(python3)
  need taskset || missing+=(util-linux)
  need curl || missing+=(curl)
  ((${#missing[@]} == 0)) && return 0
  local sudo=()
  ((EUID == 0)) || sudo=(sudo)
  log "installing ${missing[*]}"
  "${sudo[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
}

install_missing
mkdir -p "$WORK"
BIN=${SERVICE_BIN:-$ROOT/src/Xuhui.Crm.Web/bin/$CONFIGURATION/net10.0} # SERVICE_BIN: compare another build
BENCH_BIN=$ROOT/tests/Xuhui.Crm.Bench/bin/$CONFIGURATION/net10.0
if ((BUILD)); then
  log "dotnet build -c $CONFIGURATION"
  dotnet build "$ROOT/tests/Xuhui.Crm.Bench" -c "$CONFIGURATION" -v q -nologo > "$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
  ((SMOKE)) || dotnet build "$ROOT/tests/Xuhui.Crm.Web.Tests" -c "$CONFIGURATION" -v q -nologo >> "$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
fi

# The cache key: the generator, the schema and the seed words; a change to any of them regenerates.
KEY=$("$ROOT/tests/bench/cache-key.sh" "$ROOT")

database() { echo "$WORK/db-$1-s$SEED-$TODAY-$KEY.db"; }

generate() {
  local firms=$1 db
  db=$(database "$firms")
  [[ -f $db ]] && return 0
  log "generating $firms firms into $db"
  local start=$SECONDS
  rm -f "$db.tmp"*
  dotnet "$BIN/Xuhui.Crm.Web.dll" generate --firms "$firms" --out "$db.tmp" --seed "$SEED" --today "$TODAY" > "$db.log"
  mv "$db.tmp" "$db"
  echo "$((SECONDS - start))" > "$db.seconds"
}

if [[ -n $GENERATE_ONLY ]]; then
  for firms in $GENERATE_ONLY; do generate "$firms"; done
  exit 0
fi

if [[ -z $SCALES ]]; then
  SCALES="5000 50000"
  [[ -f $(database 500000) ]] && SCALES+=" 500000"
fi

RESULTS=$WORK/results
rm -rf "$RESULTS" && mkdir -p "$RESULTS"
SERVICE=""
stop_service() {
  if [[ -n $SERVICE ]]; then
    kill "$SERVICE" 2>/dev/null || true
    wait "$SERVICE" 2>/dev/null || true
    SERVICE=""
  fi
}
trap stop_service EXIT

# start_service DB MODE: a fresh copy, Production, no demo data, no jobs, a random admin password; pinned to core 0 in
# "pinned" mode. Sets SERVICE (pid) and writes the bearer token into $RUN/token (owner-only files, never argv).
start_service() {
  local db=$1 mode=$2 pin=()
  RUN=$WORK/run
  rm -rf "$RUN" && mkdir -p "$RUN"
  cp "$db" "$RUN/crm.db"
  [[ $mode == pinned ]] && pin=(taskset -c 0)
  local password
  password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
  (umask 077 && printf '{"userName":"admin","password":"%s"}' "$password" > "$RUN/login.json")
  Crm__DataDirectory="$RUN" Crm__Seed__Demo=false Crm__Bootstrap__AdminPassword="$password" Crm__Jobs__Enabled=false \
    ASPNETCORE_ENVIRONMENT=Production "${pin[@]}" dotnet "$BIN/Xuhui.Crm.Web.dll" --urls "http://127.0.0.1:$PORT" \
    > "$RUN/service.log" 2>&1 &
  SERVICE=$!
  local i
  for i in $(seq 1 240); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/health/live" && break
    kill -0 "$SERVICE" 2>/dev/null || { cat "$RUN/service.log"; echo "run.sh: the service exited" >&2; exit 1; }
    sleep 0.5
  done
  (umask 077 && curl -sf -H 'Content-Type: application/json' --data @"$RUN/login.json" \
    "http://127.0.0.1:$PORT/api/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])' > "$RUN/token")
}

# The service's CPU time so far (user + system, clock ticks): CPU per request is the figure a busy machine inflates least.
service_cpu() { awk '{ print $14 + $15 }' "/proc/$SERVICE/stat"; }

# settle: warm-up until the JIT is done (tests/bench/settle.sh, shared with city.sh).
source "$HERE/settle.sh"

# drive SCALE MODE NAME LUA CONNECTIONS SECONDS: one wrk run; its output and one TSV row land in $RESULTS.
drive() {
  local scale=$1 mode=$2 name=$3 lua=$4 conns=$5 seconds=$6 wrk=(wrk -t2)
  [[ $mode == pinned ]] && wrk=(taskset -c 1 wrk -t1)
  ((conns == 1)) && wrk=("${wrk[@]/-t2/-t1}")
  local out=$RESULTS/$scale-$mode-$name.txt load
  if ((WARMUP > 0)); then
    "${wrk[@]}" -c "$conns" -d "${WARMUP}s" -s "$lua" "http://127.0.0.1:$PORT" > /dev/null
  fi
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  local cpu0 cpu1
  cpu0=$(service_cpu)
  "${wrk[@]}" -c "$conns" -d "${seconds}s" --latency -s "$lua" "http://127.0.0.1:$PORT" > "$out"
  cpu1=$(service_cpu)
  python3 "$HERE/wrk_row.py" "$out" "$scale" "$mode" "$name" "$conns" "$load" "$((cpu1 - cpu0))" >> "$RESULTS/http.tsv"
  log "$(tail -n 1 "$RESULTS/http.tsv")"
}

for scale in $SCALES; do
  generate "$scale"
  db=$(database "$scale")
  # Request lists drawn from the data (names, ids, programme/stage pairs, officers), rotated by a Lua script.
  python3 "$HERE/requests.py" "$db" "$RESULTS/$scale" "$SEED"
  for mode in $MODES; do
    log "$scale firms, $mode: starting the service"
    start_service "$db" "$mode"
    python3 "$HERE/requests.py" --lua "$RESULTS/$scale" "$RUN/token" "$RUN/lua"
    # A first pass over every endpoint: tiered compilation promotes hundreds of methods, slowly on a busy machine.
    for name in $ENDPOINTS; do
      if ((!SMOKE)); then wrk -t2 -c "$CONNECTIONS" -d "${WARMUP}s" -s "$RUN/lua/$name.lua" "http://127.0.0.1:$PORT" > /dev/null; fi
    done
    ((SMOKE)) || settle
    for name in $ENDPOINTS; do
      drive "$scale" "$mode" "$name" "$RUN/lua/$name.lua" "$CONNECTIONS" "$DURATION"
    done
    # Peak resident set (VmHWM), and now: anonymous (the heap, SQLite's caches) and file-backed (binaries, mapped pages).
    printf '%s\t%s\t%s\t%s\t%s\n' "$scale" "$mode" $(awk '/^(VmHWM|RssAnon|RssFile):/ { v[$1] = $2 } END { print v["VmHWM:"], v["RssAnon:"], v["RssFile:"] }' "/proc/$SERVICE/status") >> "$RESULTS/memory.tsv"
    if [[ $mode == free ]] && ((!SMOKE)); then
      # One connection: the service's own latency per search, for the ratio to the raw query.
      for name in $ENDPOINTS; do
        [[ $name == search-* ]] || continue
        drive "$scale" "$mode" "$name-c1" "$RUN/lua/$name.lua" 1 "$(((DURATION + 2) / 3))"
      done
    fi
    if grep -E ' (fail|crit)' "$RUN/service.log" > /dev/null; then
      grep -E ' (fail|crit)' "$RUN/service.log" | head -n 5 >&2
    fi
    stop_service
    rm -rf "$RUN"
  done

  ((INPROC)) || continue
  log "$scale firms: in-process measures"
  mkdir -p "$WORK/inproc"
  copy=$WORK/inproc/crm.db
  cp "$db" "$copy"
  rm -f "$copy-wal" "$copy-shm"
  smoke=()
  ((SMOKE)) && smoke=(--smoke)
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  dotnet "$BENCH_BIN/Xuhui.Crm.Bench.dll" --db "$copy" --scale "$scale" --today "$TODAY" \
    --queries "$RESULTS/$scale/queries.json" --load "$load" "${smoke[@]}" >> "$RESULTS/inproc.tsv"
  rm -f "$copy" "$copy-wal" "$copy-shm"
  cat "$db.seconds" 2>/dev/null | sed "s/^/$scale\tgenerate\t/" >> "$RESULTS/generate.tsv" || true
done

# The 50,000-row import: the import feature's own benchmark (tests/Xuhui.Crm.Web.Tests ImportBenchmark, a fresh
# database through the HTTP API), reused rather than duplicated; its dry-run and commit lines become two rows.
if ((!SMOKE && INPROC)); then
  log "50,000-row import (ImportBenchmark)"
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  dotnet test "$ROOT/tests/Xuhui.Crm.Web.Tests" -c "$CONFIGURATION" --no-build --filter "Category=Benchmark&FullyQualifiedName~ImportBenchmark" \
    --logger "console;verbosity=detailed" > "$RESULTS/import.log" 2>&1 || log "ImportBenchmark failed: $RESULTS/import.log"
  python3 - "$RESULTS/import.log" "$load" >> "$RESULTS/inproc.tsv" <<'PY'
import re, sys
text, load = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2]
for measure, label in (("import-50k-dry", r"dry run \(create\)"), ("import-50k", r"commit \(50,000 creates\)"),
                       ("import-50k-indexed", r"commit until the search grams are written")):
    m = re.search(label + r": ([\d.]+) s wall, ([\d.]+) s CPU", text)
    if m:
        print("\t".join(["50000", measure, f"{float(m.group(1)) * 1000:.0f}", "", "", "XLSX through POST /api/imports, fresh database", load, f"{float(m.group(2)) * 1000:.0f}", "", ""]))
PY
fi

python3 "$HERE/render.py" "$RESULTS" "$OUT" "$COMMAND" "$SMOKE"
if ((SMOKE)); then
  python3 "$HERE/render.py" --check "$RESULTS"
  rm -rf "$WORK"
else
  log "wrote $OUT"
fi
