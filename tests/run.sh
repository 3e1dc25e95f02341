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

# One line per suite: project | time zones | needs. A need is "bin:NAME=debian-package" (a command on PATH) or
# "file:PATH=debian-package"; later suites (browser, PostgreSQL) add e.g. bin:chromium=chromium, bin:pg_ctl=postgresql.
SUITES=(
  "tests/Xuhui.Crm.Domain.Tests|UTC Asia/Shanghai|file:/usr/share/zoneinfo/Asia/Shanghai=tzdata"
  "tests/Xuhui.Crm.Web.Tests|UTC Asia/Shanghai|file:/usr/share/zoneinfo/Asia/Shanghai=tzdata bin:sqlite3=sqlite3"
  "tests/Xuhui.Crm.E2E.Tests|UTC|file:/usr/share/zoneinfo/Asia/Shanghai=tzdata bin:chromium=chromium"
)

# The benchmark's smoke size (tests/bench/run.sh --smoke: 500 firms, 1 s of wrk per endpoint) keeps the generator and
# the bench script from rotting; it needs wrk and taskset.
BENCH_NEEDS="bin:wrk=wrk bin:taskset=util-linux bin:python3=python3"

log() { printf '==> %s\n' "$*"; }

install_missing() {
  local -a missing=()
  local suite needs need what pkg
  for suite in "${SUITES[@]}" "bench||$BENCH_NEEDS"; do
    IFS='|' read -r _ _ needs <<<"$suite"
    for need in $needs; do
      what=${need%%=*}
      pkg=${need#*=}
      case $what in
        bin:*) command -v "${what#bin:}" >/dev/null 2>&1 && continue ;;
        file:*) [[ -e ${what#file:} ]] && continue ;;
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
  IFS='|' read -r project zones _ <<<"$suite"
  name=$(basename "$project")
  first_zone=${zones%% *}
  for zone in $zones; do
    label="$name [TZ=$zone]"
    # Benchmarks never run here; the crash test (real clock, child processes) runs in the first zone only.
    filter="Category!=Benchmark"
    [[ $zone == "$first_zone" ]] || filter+="&Category!=Crash"
    dir="$RESULTS/$name-${zone//\//-}"
    log "$label"
    suite_start=$(date +%s.%N)
    rc=0
    TZ=$zone dotnet test "$project" --no-build --no-restore -c "$CONFIGURATION" \
      --filter "$filter" --results-directory "$dir" --logger "trx;LogFileName=results.trx" --logger "console;verbosity=minimal" || rc=$?
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

echo
printf '%s\n' "${summary[@]}"
echo "total time: $((SECONDS - start))s"
echo "tests: $total_passed passed, $total_failed failed"
((total_failed == 0))
