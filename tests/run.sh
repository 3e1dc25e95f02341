#!/usr/bin/env bash
# Runs every test suite: installs what the suites need when it is missing, restores, builds the solution once,
# runs each suite under each of its time zones with its wall time, and ends with one line
# "tests: N passed, M failed". Skipped tests count as failed: a skip means the setup is wrong.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
CONFIGURATION=${CONFIGURATION:-Debug}
RESULTS="$ROOT/artifacts/test-results"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# One line per suite: project | time zones | needs | database. A need is "bin:NAME=debian-package" (a command on PATH),
# "file:PATH=debian-package" or "glob:PATTERN=debian-package" (a path pattern, e.g. a versioned directory).
# The database is sqlite (the default; PostgreSQL-only tests are filtered out) or postgres: a throwaway PostgreSQL
# cluster is started for the run (once, on a free loopback port, in a temporary directory) and the suite runs with
# XUHUI_TEST_PROVIDER=Postgres, without the tests marked Provider=SqliteOnly.
SUITES=(
  "tests/Xuhui.Crm.Domain.Tests|UTC Asia/Shanghai|file:/usr/share/zoneinfo/Asia/Shanghai=tzdata|sqlite"
  "tests/Xuhui.Crm.Web.Tests|UTC Asia/Shanghai|file:/usr/share/zoneinfo/Asia/Shanghai=tzdata bin:sqlite3=sqlite3|sqlite"
  "tests/Xuhui.Crm.Web.Tests|UTC|file:/usr/share/zoneinfo/Asia/Shanghai=tzdata glob:/usr/lib/postgresql/*/bin/pg_ctl=postgresql|postgres"
  "tests/Xuhui.Crm.E2E.Tests|UTC|file:/usr/share/zoneinfo/Asia/Shanghai=tzdata bin:chromium=chromium|sqlite"
)

# The benchmark's smoke size (tests/bench/run.sh --smoke: 500 firms, 1 s of wrk per endpoint) keeps the generator and
# the bench script from rotting; it needs wrk and taskset. Both smokes pass when their script runs end to end and every
# measure yields numbers with only 2xx answers; they set no throughput or latency threshold (render.py / city_render.py
# --check), so a busy machine cannot fail them.
BENCH_NEEDS="bin:wrk=wrk bin:taskset=util-linux bin:python3=python3"

log() { printf '==> %s\n' "$*"; }

install_missing() {
  local -a missing=()
  local suite needs need what pkg
  for suite in "${SUITES[@]}" "bench||$BENCH_NEEDS"; do
    IFS='|' read -r _ _ needs _ <<<"$suite"
    for need in $needs; do
      what=${need%%=*}
      pkg=${need#*=}
      case $what in
        bin:*) command -v "${what#bin:}" >/dev/null 2>&1 && continue ;;
        file:*) [[ -e ${what#file:} ]] && continue ;;
        glob:*) compgen -G "${what#glob:}" >/dev/null && continue ;;
        *) echo "tests/run.sh: unknown need '$need'" >&2; exit 2 ;;
      esac
      [[ " ${missing[*]} " == *" $pkg "* ]] || missing+=("$pkg")
    done
  done
  ((${#missing[@]} == 0)) && return 0

  local sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null 2>&1 || { echo "tests/run.sh: need root or sudo to install: ${missing[*]}" >&2; exit 2; }
    sudo=(sudo)
  fi
  log "installing ${missing[*]}"
  "${sudo[@]}" apt-get update
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
}

# Reads the counters of a TRX file: "total passed failed notexecuted".
trx_counts() {
  local counters
  counters=$(grep -o '<Counters [^>]*' "$1" | head -n 1)
  local total passed failed errors timeouts aborted notexecuted
  total=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  failed=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  errors=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  timeouts=$(sed -n 's/.* timeout="\([0-9]*\)".*/\1/p' <<<"$counters")
  aborted=$(sed -n 's/.* aborted="\([0-9]*\)".*/\1/p' <<<"$counters")
  notexecuted=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  echo "${total:-0} ${passed:-0} $((${failed:-0} + ${errors:-0} + ${timeouts:-0} + ${aborted:-0})) ${notexecuted:-0}"
}

# The throwaway PostgreSQL cluster. initdb and postgres refuse to run as root (CI is root): as root they run as the
# "postgres" user the Debian package creates. fsync is off: nothing in this cluster outlives the run.
PG_DIR=""
PG_BIN=""
as_postgres() {
  if ((EUID == 0)); then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
  [[ -n $PG_DIR ]] && return 0
  PG_BIN=$(compgen -G "/usr/lib/postgresql/*/bin" | sort -V | tail -n 1)
  [[ -x $PG_BIN/pg_ctl ]] || { echo "tests/run.sh: no PostgreSQL under /usr/lib/postgresql" >&2; exit 2; }
  PG_DIR=$(mktemp -d /tmp/xuhui-pg.XXXXXX)
  trap pg_stop EXIT
  if ((EUID == 0)); then chown postgres: "$PG_DIR"; fi
  as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 ||
    { cat "$PG_DIR/initdb.log" >&2; exit 2; }
  # A port that looked free can be taken before the server binds it (tests open loopback listeners of their own):
  # try a few ports before giving up.
  local port attempt started=""
  for attempt in 1 2 3 4 5; do
    for port in $(shuf -i 40000-59999 -n 50); do
      (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
    done
    if as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
      -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null; then
      started=1
      break
    fi
    echo "tests/run.sh: PostgreSQL could not start on port $port (attempt $attempt)" >&2
  done
  [[ -n $started ]] || { cat "$PG_DIR/server.log" >&2; exit 2; }
  log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port in $PG_DIR"
  export XUHUI_TEST_PG="Host=127.0.0.1;Port=$port;Username=postgres;Include Error Detail=true"
}

pg_stop() {
  [[ -n $PG_DIR ]] || return 0
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=""
}

command -v dotnet >/dev/null 2>&1 || { echo "tests/run.sh: the .NET SDK (see global.json) is not installed" >&2; exit 2; }
install_missing

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
start=$SECONDS
log "dotnet restore"
dotnet restore Xuhui.Crm.sln
log "dotnet build ($CONFIGURATION)"
dotnet build Xuhui.Crm.sln --no-restore -c "$CONFIGURATION"
echo "build: $((SECONDS - start))s"

total_passed=0
total_failed=0
summary=()
for suite in "${SUITES[@]}"; do
  IFS='|' read -r project zones _ database <<<"$suite"
  name=$(basename "$project")
  filter="Category!=Benchmark&Provider!=PostgresOnly"
  provider=""
  suffix=""
  if [[ $database == postgres ]]; then
    pg_start
    filter="Category!=Benchmark&Provider!=SqliteOnly"
    provider=Postgres
    suffix=" PostgreSQL"
  fi
  first_zone=${zones%% *}
  for zone in $zones; do
    label="$name$suffix [TZ=$zone]"
    # The crash test (real clock, child processes) runs in the first zone only.
    zone_filter=$filter
    [[ $zone == "$first_zone" ]] || zone_filter+="&Category!=Crash"
    dir="$RESULTS/$name${suffix:+-postgres}-${zone//\//-}"
    log "$label"
    suite_start=$(date +%s.%N)
    rc=0
    TZ=$zone XUHUI_TEST_PROVIDER=$provider dotnet test "$project" --no-build --no-restore -c "$CONFIGURATION" \
      --filter "$zone_filter" --results-directory "$dir" --logger "trx;LogFileName=results.trx" --logger "console;verbosity=minimal" || rc=$?
    seconds=$(awk -v s="$suite_start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
    if [[ -f $dir/results.trx ]]; then
      read -r total passed failed skipped <<<"$(trx_counts "$dir/results.trx")"
    else
      total=0 passed=0 failed=0 skipped=0
    fi
    failed=$((failed + skipped))
    note=""
    if ((skipped > 0)); then note+=" ($skipped skipped, counted as failed)"; fi
    if ((total == 0)); then failed=$((failed + 1)); note+=" (no results: the run did not complete)"; fi
    if ((rc != 0 && failed == 0)); then failed=1; note+=" (dotnet test exited $rc)"; fi
    line="$label: $passed passed, $failed failed in ${seconds}s$note"
    echo "$line"
    summary+=("$line")
    total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failed))
  done
done

log "bench smoke"
suite_start=$(date +%s.%N)
rc=0
tests/bench/run.sh --smoke --no-build --configuration "$CONFIGURATION" > "$RESULTS/bench-smoke.log" 2>&1 || rc=$?
seconds=$(awk -v s="$suite_start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
if ((rc == 0)); then
  line="bench smoke (tests/bench/run.sh --smoke): 1 passed, 0 failed in ${seconds}s"
  total_passed=$((total_passed + 1))
else
  tail -n 30 "$RESULTS/bench-smoke.log"
  line="bench smoke (tests/bench/run.sh --smoke): 0 passed, 1 failed in ${seconds}s (log: $RESULTS/bench-smoke.log)"
  total_failed=$((total_failed + 1))
fi
echo "$line"
summary+=("$line")

# The city benchmark's smoke size (tests/bench/city.sh --smoke: 2,000 firms copied into the PostgreSQL cluster of the
# suite above, 1 s of wrk per endpoint, the in-process measures on PostgreSQL) keeps the loader and the script from rotting.
if [[ -n $PG_DIR ]]; then
  log "city smoke"
  suite_start=$(date +%s.%N)
  rc=0
  tests/bench/city.sh --smoke --no-build --configuration "$CONFIGURATION" --pg "$XUHUI_TEST_PG" > "$RESULTS/city-smoke.log" 2>&1 || rc=$?
  seconds=$(awk -v s="$suite_start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
  if ((rc == 0)); then
    line="city smoke (tests/bench/city.sh --smoke): 1 passed, 0 failed in ${seconds}s"
    total_passed=$((total_passed + 1))
  else
    tail -n 30 "$RESULTS/city-smoke.log"
    line="city smoke (tests/bench/city.sh --smoke): 0 passed, 1 failed in ${seconds}s (log: $RESULTS/city-smoke.log)"
    total_failed=$((total_failed + 1))
  fi
  echo "$line"
  summary+=("$line")
fi

echo
printf '%s\n' "${summary[@]}"
echo "total time: $((SECONDS - start))s"
echo "tests: $total_passed passed, $total_failed failed"
((total_failed == 0))
