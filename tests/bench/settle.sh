#!/usr/bin/env bash
# Sourced by run.sh and city.sh (needs SERVICE, RUN, PORT, ENDPOINTS, CONNECTIONS and a log function).

# CPU ticks of the runtime's background JIT thread (".NET Tiered Com…"): it recompiles hot methods with full
# optimisation (and profile-guided, after an instrumented pass) for the first tens of seconds of CPU under load.
tiering_cpu() {
  local t sum=0
  for t in /proc/$SERVICE/task/*; do
    if [[ $(cat "$t/comm" 2>/dev/null) == ".NET Tiered"* ]]; then
      sum=$((sum + $(awk '{ print $14 + $15 }' "$t/stat" 2>/dev/null || echo 0)))
    fi
  done
  echo $sum
}

# settle: drives every endpoint in 2-second rounds until a whole round left the JIT thread (nearly) idle — under
# 0.1 s of its CPU — or 90 s passed, so the figures are the steady state of a long-running service, not its warm-up
# (on two busy cores the recompilation took a third of the CPU 20 s into a run). Logs how long it took.
settle() {
  local start=$SECONDS before after name
  while ((SECONDS - start < 90)); do
    before=$(tiering_cpu)
    for name in $ENDPOINTS; do wrk -t2 -c "$CONNECTIONS" -d 2s -s "$RUN/lua/$name.lua" "http://127.0.0.1:$PORT" > /dev/null; done
    after=$(tiering_cpu)
    if ((after - before < 10)); then break; fi
  done
  log "JIT settled after $((SECONDS - start)) s of warm-up (its last round: $((after - before)) ticks)"
}
