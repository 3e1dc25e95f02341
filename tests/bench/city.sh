#!/usr/bin/env bash
# The city-scale benchmark, in one command. City scale is 1,000,000 firms and ten times the rest of
# the district (200,000 cases with stage histories, 5,000,000 visits, 1,000,000 open tasks, 2,000 officers). It
# generates that data set into SQLite with the service's generator (cached under $CITY_DIR), copies it into a
# PostgreSQL database migrated by the service's PostgreSQL migrations with binary COPY (the `copy-to-postgres` verb),
# starts the service on PostgreSQL and drives it with wrk at 32 connections (search with 1, 2, 4 characters and zero
# hits, firm detail), then times the digest composition, the monthly report and the targets in process
# (tests/Xuhui.Crm.Bench). The district row (50,000 firms on SQLite) is measured the same way in the same run, beside it.
# Writes tests/bench/CITY.md: the table, generation and load rates, the machine, the load average, the command.
#
# Usage:
#   tests/bench/city.sh                        # 1,000,000 firms on PostgreSQL beside 50,000 on SQLite (~40 min cold)
#   tests/bench/city.sh --firms 200000         # a smaller city (the table says which)
#   tests/bench/city.sh --generate-only        # fill the SQLite cache only, city and district (e.g. in the background)
#   tests/bench/city.sh --city-db F --district-db G   # measure given SQLite databases instead of generating
#   tests/bench/city.sh --smoke                # CI: 2,000 firms, 1 s of wrk per endpoint, asserts, CITY.md untouched
# Options: --duration S (wrk seconds per endpoint, default 10) --no-district --no-build --port N --out FILE
#          --configuration Debug|Release (default Release)
#          --pg "Host=…;Port=…;Username=…" a running server to use (tests/run.sh passes its throwaway cluster);
#          without it a throwaway cluster is started under $CITY_DIR (stopped and removed at the end).
#          --loaded NAME: with --pg, measure database NAME, already copied from --city-db by `copy-to-postgres`, instead
#          of copying again (~8 min at 1M; the service must not have been started on it with another admin password,
#          which a run sets); --load-log FILE: that copy's output, for the table's load line;
#          --pg-data DIR: that server's data directory, so PostgreSQL's CPU per request is counted too.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE=$ROOT/tests/bench
WORK=${CITY_DIR:-/tmp/xuhui-city}
FIRMS=1000000
DISTRICT=50000
DURATION=10
WARMUP=3
CONNECTIONS=32
ENDPOINTS="search-1 search-2 search-4 search-0 detail"
CONFIGURATION=Release
BUILD=1
SMOKE=0
GENERATE_ONLY=0
WITH_DISTRICT=1
PG=""
CITY_GIVEN=""
DISTRICT_GIVEN=""
LOADED=""
LOAD_LOG=""
PG_DATA=""
OUT=$HERE/CITY.md
PORT=${PORT:-5393}
TODAY=2026-11-20 # the generated data's "today", as in run.sh
SEED=42
COMMAND="tests/bench/city.sh $*"

while (($#)); do
  case $1 in
    --smoke) SMOKE=1 ;;
    --firms) FIRMS=$2; shift ;;
    --duration) DURATION=$2; shift ;;
    --no-district) WITH_DISTRICT=0 ;;
    --no-build) BUILD=0 ;;
    --configuration) CONFIGURATION=$2; shift ;;
    --pg) PG=$2; shift ;;
    --out) OUT=$2; shift ;;
    --port) PORT=$2; shift ;;
    --generate-only) GENERATE_ONLY=1 ;;
    --city-db) CITY_GIVEN=$2; shift ;;
    --loaded) LOADED=$2; shift ;;
    --load-log) LOAD_LOG=$2; shift ;;
    --pg-data) PG_DATA=$2; shift ;;
    --district-db) DISTRICT_GIVEN=$2; shift ;;
    -h | --help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "city.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

if ((SMOKE)); then
  FIRMS=2000
  DURATION=1
  WARMUP=1
  WITH_DISTRICT=0
  WORK=$WORK/smoke-$$
  OUT=$WORK/CITY.md
fi

log() { printf '==> %s\n' "$*" >&2; }
source "$HERE/settle.sh"
need() { command -v "$1" >/dev/null 2>&1; }
for tool in wrk python3 curl; do need $tool || { echo "city.sh: $tool is missing (tests/bench/run.sh installs it)" >&2; exit 2; }; done
PG_BIN=$(compgen -G "/usr/lib/postgresql/*/bin" | sort -V | tail -n 1 || true)
[[ -x $PG_BIN/psql ]] || { echo "city.sh: no PostgreSQL under /usr/lib/postgresql (apt-get install postgresql)" >&2; exit 2; }

mkdir -p "$WORK"
BIN=$ROOT/src/Xuhui.Crm.Web/bin/$CONFIGURATION/net10.0
BENCH_BIN=$ROOT/tests/Xuhui.Crm.Bench/bin/$CONFIGURATION/net10.0
if ((BUILD)); then
  log "dotnet build -c $CONFIGURATION"
  dotnet build "$ROOT/tests/Xuhui.Crm.Bench" -c "$CONFIGURATION" -v q -nologo > "$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
fi

# The cache key, as in run.sh: the generator, the schema and the seed words.
KEY=$("$ROOT/tests/bench/cache-key.sh" "$ROOT")

database() { echo "$WORK/$1-$2-s$SEED-$TODAY-$KEY.db"; }

# generate KIND FIRMS: "city" is ten times the district's proportions per 20 times the firms, "district"
# the generator's own (50,000 firms → 20,000 cases, 500,000 visits, 100,000 open tasks, 200 officers).
generate() {
  local kind=$1 firms=$2 db extra=()
  db=$(database "$kind" "$firms")
  [[ -f $db ]] && return 0
  if [[ $kind == city ]]; then
    extra=(--cases $((firms / 5)) --visits $((firms * 5)) --open-tasks "$firms" --officers $((firms / 500 > 3 ? firms / 500 : 3)))
  fi
  log "generating $kind: $firms firms into $db"
  local start
  start=$(date +%s.%N)
  rm -f "$db.tmp"*
  nice -n 5 dotnet "$BIN/Xuhui.Crm.Web.dll" generate --firms "$firms" "${extra[@]}" --out "$db.tmp" --seed "$SEED" --today "$TODAY" > "$db.log"
  mv "$db.tmp" "$db"
  awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f\n", e - s }' > "$db.seconds"
}

firms_of() { python3 -c 'import sqlite3, sys; print(sqlite3.connect(f"file:{sys.argv[1]}?immutable=1", uri=True).execute("SELECT COUNT(*) FROM Firms").fetchone()[0])' "$1"; }
if [[ -n $CITY_GIVEN ]]; then
  CITY_DB=$(realpath "$CITY_GIVEN")
  FIRMS=$(firms_of "$CITY_DB")
else
  generate city "$FIRMS"
  CITY_DB=$(database city "$FIRMS")
fi
if [[ -n $DISTRICT_GIVEN ]]; then
  DISTRICT_DB=$(realpath "$DISTRICT_GIVEN")
  DISTRICT=$(firms_of "$DISTRICT_DB")
elif ((WITH_DISTRICT)); then
  generate district "$DISTRICT"
  DISTRICT_DB=$(database district "$DISTRICT")
fi
((GENERATE_ONLY)) && exit 0

# The PostgreSQL server: the one given with --pg, or a throwaway cluster tuned for a load-then-read benchmark
# (wal_level=minimal lets COPY into a table truncated in the same transaction skip the WAL; fsync off: nothing here
# outlives the run). initdb and postgres refuse to run as root: as root they run as the "postgres" user.
PG_DIR=""
SERVICE=""
as_postgres() { if ((EUID == 0)); then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  if [[ -n $SERVICE ]]; then kill "$SERVICE" 2>/dev/null || true; wait "$SERVICE" 2>/dev/null || true; SERVICE=""; fi
  if [[ -n $PG_DIR ]]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
    PG_DIR=""
  fi
}
trap cleanup EXIT
if [[ -z $PG ]]; then
  PG_DIR=$(mktemp -d "$WORK/pg.XXXXXX")
  ((EUID == 0)) && chown postgres: "$PG_DIR"
  for port in $(shuf -i 40000-59999 -n 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break; done
  log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port in $PG_DIR"
  as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 > "$PG_DIR/initdb.log" 2>&1 ||
    { cat "$PG_DIR/initdb.log" >&2; exit 2; }
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 120 \
    -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c wal_level=minimal -c max_wal_senders=0 -c max_wal_size=8GB -c shared_buffers=1GB -c effective_cache_size=8GB -c work_mem=16MB -c maintenance_work_mem=512MB" \
    start > /dev/null || { cat "$PG_DIR/server.log" >&2; exit 2; }
  PG="Host=127.0.0.1;Port=$port;Username=postgres"
  PG_DATA=$PG_DIR/data
fi
[[ -z $LOADED || -n $CITY_GIVEN ]] || { echo "city.sh: --loaded needs --pg and the --city-db it was copied from" >&2; exit 2; }
# psql_pg DATABASE ARGS…: psql on the server of $PG (an Npgsql connection string turned into a libpq one).
psql_pg() {
  local db=$1
  shift
  "$PG_BIN/psql" "$(python3 -c 'import sys; k = {"host": "host", "port": "port", "username": "user", "password": "password"}; print(" ".join(k[a.strip().lower()] + "=" + b for a, b in (p.split("=", 1) for p in sys.argv[1].split(";") if "=" in p) if a.strip().lower() in k))' "$PG") dbname=$db" -v ON_ERROR_STOP=1 "$@"
}
PG_SETTINGS=$(psql_pg postgres -Atc "SELECT string_agg(name || '=' || setting || COALESCE(unit, ''), ', ' ORDER BY name) FROM pg_settings WHERE name IN ('server_version', 'shared_buffers', 'work_mem', 'effective_cache_size', 'fsync', 'wal_level', 'synchronous_commit', 'max_parallel_workers_per_gather', 'random_page_cost')")

RESULTS=$WORK/results
rm -rf "$RESULTS" && mkdir -p "$RESULTS"
printf 'pg\t%s\n' "$PG_SETTINGS" >> "$RESULTS/machine.tsv"

# load DB NAME: a fresh PostgreSQL database NAME holding the SQLite database DB; the verb's summary goes to load.tsv.
load() {
  local db=$1 name=$2
  psql_pg postgres -q -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name ENCODING 'UTF8' LOCALE 'C.UTF-8' TEMPLATE template0"
  log "copying $db into PostgreSQL database $name"
  local start
  start=$(date +%s.%N)
  dotnet "$BIN/Xuhui.Crm.Web.dll" copy-to-postgres --from "$db" --to "$PG;Database=$name" | tee "$RESULTS/load-$name.log" >&2
  local seconds rows size
  seconds=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
  rows=$(sed -n 's/^Done in .*: \([0-9,]*\) rows.*/\1/p' "$RESULTS/load-$name.log" | tr -d ,)
  copy=$(sed -n 's/^  copied [0-9,]* rows in \([0-9.]*\) s.*/\1/p' "$RESULTS/load-$name.log")
  size=$(psql_pg "$name" -At -c "SELECT pg_database_size(current_database()) / 1048576")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$rows" "$seconds" "$size" "$(cut -d' ' -f1-3 /proc/loadavg)" "$copy" >> "$RESULTS/load.tsv"
}

# start_service PROVIDER DB: Production, no demo data, no jobs, a random admin password; writes $RUN/token.
start_service() {
  local provider=$1 db=$2 connection
  RUN=$WORK/run
  rm -rf "$RUN" && mkdir -p "$RUN"
  if [[ $provider == Sqlite ]]; then
    cp "$db" "$RUN/crm.db"
    connection="Data Source=$RUN/crm.db"
  else
    connection="$PG;Database=$db;Maximum Pool Size=64"
  fi
  local password
  password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
  (umask 077 && printf '{"userName":"admin","password":"%s"}' "$password" > "$RUN/login.json")
  Crm__DataDirectory="$RUN" Crm__Database__Provider="$provider" Crm__Database__ConnectionString="$connection" \
    Crm__Seed__Demo=false Crm__Bootstrap__AdminPassword="$password" Crm__Jobs__Enabled=false \
    Crm__DataProtection__KeyEncryptionKey="$(head -c 32 /dev/urandom | base64)" \
    ASPNETCORE_ENVIRONMENT=Production dotnet "$BIN/Xuhui.Crm.Web.dll" --urls "http://127.0.0.1:$PORT" > "$RUN/service.log" 2>&1 &
  SERVICE=$!
  local i
  for i in $(seq 1 240); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/health/live" && break
    kill -0 "$SERVICE" 2>/dev/null || { cat "$RUN/service.log"; echo "city.sh: the service exited" >&2; exit 1; }
    sleep 0.5
  done
  (umask 077 && curl -sf -H 'Content-Type: application/json' --data @"$RUN/login.json" \
    "http://127.0.0.1:$PORT/api/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])' > "$RUN/token")
}

stop_service() {
  kill "$SERVICE" 2>/dev/null || true
  wait "$SERVICE" 2>/dev/null || true
  SERVICE=""
}

service_cpu() { awk '{ print $14 + $15 }' "/proc/$SERVICE/stat"; }
# PostgreSQL's CPU (all its processes) when the cluster is ours: the service's CPU alone hides the database's on PostgreSQL.
pg_cpu() {
  [[ -n $PG_DATA ]] || { echo 0; return; }
  local postmaster
  postmaster=$(head -n 1 "$PG_DATA/postmaster.pid")
  { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$postmaster/stat"
    for p in $(pgrep -P "$postmaster"); do awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || true; done; } | awk '{ s += $1 } END { print s + 0 }'
}

# measure LABEL PROVIDER DB SQLITE_DB: wrk over the endpoints, then the in-process measures.
measure() {
  local label=$1 provider=$2 db=$3 source=$4
  python3 "$HERE/requests.py" "$source" "$RESULTS/$label" "$SEED"
  log "$label: starting the service on $provider"
  start_service "$provider" "$db"
  python3 "$HERE/requests.py" --lua "$RESULTS/$label" "$RUN/token" "$RUN/lua"
  local name
  # A first pass over every endpoint: tiered compilation, and the server's caches.
  for name in $ENDPOINTS; do wrk -t2 -c "$CONNECTIONS" -d "${WARMUP}s" -s "$RUN/lua/$name.lua" "http://127.0.0.1:$PORT" > /dev/null; done
  ((SMOKE)) || settle
  for name in $ENDPOINTS; do
    local out=$RESULTS/$label-$name.txt load cpu0 cpu1 db0 db1
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    cpu0=$(service_cpu); db0=$(pg_cpu)
    wrk -t2 -c "$CONNECTIONS" -d "${DURATION}s" --latency -s "$RUN/lua/$name.lua" "http://127.0.0.1:$PORT" > "$out"
    cpu1=$(service_cpu); db1=$(pg_cpu)
    printf '%s\t%s\n' "$(python3 "$HERE/wrk_row.py" "$out" "$label" "$provider" "$name" "$CONNECTIONS" "$load" "$((cpu1 - cpu0))")" \
      "$([[ $provider == Postgres && -n $PG_DATA ]] && python3 "$HERE/wrk_row.py" "$out" x x x x x "$((db1 - db0))" | cut -f12 || echo)" >> "$RESULTS/http.tsv"
    log "$(tail -n 1 "$RESULTS/http.tsv")"
  done
  grep -E ' (fail|crit)' "$RUN/service.log" | head -n 5 >&2 || true
  stop_service

  log "$label: in-process measures"
  local bench_db=$db smoke=()
  ((SMOKE)) && smoke=(--smoke)
  if [[ $provider == Sqlite ]]; then
    bench_db=$WORK/inproc.db
    cp "$db" "$bench_db"
  fi
  dotnet "$BENCH_BIN/Xuhui.Crm.Bench.dll" --provider "$provider" --db "$bench_db" --pg "$PG" --scale "$label" --today "$TODAY" \
    --queries "$RESULTS/$label/queries.json" --load "$(cut -d' ' -f1-3 /proc/loadavg)" --no-search "${smoke[@]}" |
    awk -v p="$provider" 'BEGIN { OFS = FS = "\t" } { $11 = p; print }' >> "$RESULTS/inproc.tsv"
  [[ $provider == Sqlite ]] && rm -f "$bench_db" "$bench_db-wal" "$bench_db-shm"
  return 0
}

[[ -f $CITY_DB.log ]] && printf 'generate\t%s\t%s\t%s\t%s\n' "$FIRMS" "$(cat "$CITY_DB.seconds" 2>/dev/null || echo)" "$(stat -c %s "$CITY_DB")" "$(grep -E '^  ' "$CITY_DB.log" | awk '{ gsub(",", "", $2); s += $2 } END { print s }')" >> "$RESULTS/machine.tsv"
PG_NAME=xuhui_city_$FIRMS
((SMOKE)) && PG_NAME+=_$$
if [[ -n $LOADED ]]; then
  # Copied before this run: the copy's own summary (its wall time is the verb's "Done in"), and the size now.
  PG_NAME=$LOADED
  if [[ -n $LOAD_LOG ]]; then
    cp "$LOAD_LOG" "$RESULTS/load-$PG_NAME.log"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$PG_NAME" \
      "$(sed -n 's/^Done in .*: \([0-9,]*\) rows.*/\1/p' "$LOAD_LOG" | tr -d ,)" \
      "$(sed -n 's/^Done in \([0-9.]*\) s.*/\1/p' "$LOAD_LOG")" \
      "$(psql_pg "$PG_NAME" -At -c "SELECT pg_database_size(current_database()) / 1048576")" "copied before this run" \
      "$(sed -n 's/^  copied [0-9,]* rows in \([0-9.]*\) s.*/\1/p' "$LOAD_LOG")" >> "$RESULTS/load.tsv"
  fi
else
  load "$CITY_DB" "$PG_NAME"
fi
measure "$FIRMS" Postgres "$PG_NAME" "$CITY_DB"
# The plans of the search statements (city_render.py --check refuses a scan of the gram table).
python3 "$HERE/explain.py" "$RESULTS/$FIRMS/queries.json" > "$RESULTS/explain.sql"
psql_pg "$PG_NAME" -q -f "$RESULTS/explain.sql" > "$RESULTS/explain.txt"
if ((WITH_DISTRICT)); then
  measure "$DISTRICT" Sqlite "$DISTRICT_DB" "$DISTRICT_DB"
fi

python3 "$HERE/city_render.py" "$RESULTS" "$OUT" "$COMMAND" "$SMOKE"
if ((SMOKE)); then
  python3 "$HERE/city_render.py" --check "$RESULTS"
  psql_pg postgres -q -c "DROP DATABASE IF EXISTS $PG_NAME"
  cleanup
  rm -rf "$WORK"
else
  log "wrote $OUT"
fi
