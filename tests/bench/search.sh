#!/usr/bin/env bash
# Firm-search micro-benchmark: p50/p99 of GET /api/firms?q=… on a synthetic 50,000-firm database.
# Generates the database once (cached as a template), starts the service on loopback against a fresh copy,
# logs in and times REQUESTS sequential keep-alive requests per query class with curl.
# Usage: tests/bench/search.sh            (FIRMS=50000 REQUESTS=1000 PORT=5391 BENCH_DIR=/tmp/xuhui-bench)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FIRMS=${FIRMS:-50000}
REQUESTS=${REQUESTS:-1000}
WARMUP=${WARMUP:-200}
PORT=${PORT:-5391}
WORK=${BENCH_DIR:-/tmp/xuhui-bench}
TEMPLATE=$WORK/template-$FIRMS.db
RUN=$WORK/run
BIN=$ROOT/src/Xuhui.Crm.Web/bin/Release/net10.0
mkdir -p "$WORK"

dotnet build -c Release "$ROOT/src/Xuhui.Crm.Web" -v q -nologo > "$WORK/build.log" || { cat "$WORK/build.log"; exit 1; }
if [ ! -f "$TEMPLATE" ]; then
  start=$(date +%s.%N)
  dotnet "$BIN/Xuhui.Crm.Web.dll" generate --firms "$FIRMS" --out "$TEMPLATE" --seed 42 | tee "$WORK/generate.log"
  echo "generate wall time: $(echo "$(date +%s.%N) - $start" | bc) s" | tee -a "$WORK/generate.log"
fi

rm -rf "$RUN" && mkdir -p "$RUN" && cp "$TEMPLATE" "$RUN/crm.db"
umask 077
PASSWORD=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
Crm__DataDirectory="$RUN" Crm__Seed__Demo=false Crm__Bootstrap__AdminPassword="$PASSWORD" \
  ASPNETCORE_ENVIRONMENT=Production dotnet "$BIN/Xuhui.Crm.Web.dll" --urls "http://127.0.0.1:$PORT" > "$RUN/service.log" 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/openapi/v1.json" && break
  sleep 0.5
done

# The password and token travel through files readable by the owner only, never on a command line.
printf '{"userName":"admin","password":"%s"}' "$PASSWORD" > "$RUN/login.json"
TOKEN=$(curl -sf -H 'Content-Type: application/json' --data @"$RUN/login.json" "http://127.0.0.1:$PORT/api/auth/login" | jq -r .accessToken)
printf 'header = "Authorization: Bearer %s"\n' "$TOKEN" > "$RUN/auth.curl"

# Query words come from the database itself: brand characters (1), brand pairs (2), brand + industry word (4);
# zero-hit queries are an existing brand pair followed by a word no firm name carries.
python3 - "$RUN/crm.db" "$RUN" "$PORT" "$REQUESTS" "$WARMUP" <<'PY'
import random, sqlite3, sys, urllib.parse
db, run, port, n, warm = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
names = [r[0] for r in sqlite3.connect(db).execute("SELECT Name FROM Firms WHERE Name LIKE '上海%' AND Name NOT LIKE '上海市%'")]
rng = random.Random(42)
classes = {
  "1-char": lambda: rng.choice(names)[2 + rng.randrange(2)],
  "2-char": lambda: rng.choice(names)[2:4],
  "4-char": lambda: rng.choice(names)[2:6],
  "zero-hit": lambda: rng.choice(names)[2:4] + "蝴蝶",
}
for name, make in classes.items():
  for suffix, count in (("warm", warm), ("run", n)):
    with open(f"{run}/{name}.{suffix}.curl", "w") as f:
      for _ in range(count):
        f.write(f'url = "http://127.0.0.1:{port}/api/firms?q={urllib.parse.quote(make())}"\noutput = "/dev/null"\n')
  with open(f"{run}/{name}.example", "w") as f:
    f.write(make())
PY

echo
echo "Firm search, $FIRMS firms, $REQUESTS sequential keep-alive requests per class after $WARMUP warm-up ($(nproc) cores, $(date -u +%F))"
echo
echo "| query class | example q | total hits (example) | p50 ms | p99 ms | max ms | non-200 |"
echo "|---|---|---:|---:|---:|---:|---:|"
for class in 1-char 2-char 4-char zero-hit; do
  curl -s -K "$RUN/auth.curl" -K "$RUN/$class.warm.curl" -w '%{http_code}\n' > /dev/null
  curl -s -K "$RUN/auth.curl" -K "$RUN/$class.run.curl" -w '%{http_code} %{time_total}\n' > "$RUN/$class.times"
  example=$(cat "$RUN/$class.example")
  hits=$(curl -s -K "$RUN/auth.curl" -G --data-urlencode "q=$example" "http://127.0.0.1:$PORT/api/firms" | jq .total)
  python3 - "$RUN/$class.times" "$class" "$example" "$hits" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
ms = sorted(float(t) * 1000 for _, t in rows)
bad = sum(1 for c, _ in rows if c != "200")
pct = lambda p: ms[min(len(ms) - 1, int(round(p / 100 * len(ms) + 0.5)) - 1)]
print(f"| {sys.argv[2]} | {sys.argv[3]} | {sys.argv[4]} | {pct(50):.1f} | {pct(99):.1f} | {ms[-1]:.1f} | {bad} |")
PY
done
echo
echo "Command: FIRMS=$FIRMS REQUESTS=$REQUESTS tests/bench/search.sh"
