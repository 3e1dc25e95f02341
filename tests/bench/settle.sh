#!/usr/bin/env bash
# Sourced by run.sh and city.sh (needs SERVICE, RUN, PORT, ENDPOINTS, CONNECTIONS and a log function).

# "tid ticks" of the runtime's background JIT thread(s) (".NET Tiered Com…"): it recompiles hot methods with full
# optimisation (profile-guided, after an instrumented pass) during the first tens of seconds of CPU under load, and
# exits when it has had nothing to do for a while.
tiering_threads() {
  local t
  for t in /proc/$SERVICE/task/*; do
    if [[ $(cat "$t/comm" 2>/dev/null) == ".NET Tiered"* ]]; then
      echo "${t##*/} $(awk '{ print $14 + $15 }' "$t/stat" 2>/dev/null || echo 0)"
    fi
  done
}

# settle: drives every endpoint in 2-second rounds until two rounds in a row left the JIT thread (nearly) idle —
# under 0.1 s of its CPU each, counting a thread born in the round in full — or 120 s passed, so the figures are the
# steady state of a long-running service rather than its warm-up (two busy cores 20 s into a run still gave a third
# of the CPU to recompilation). Logs how long it took.
settle() {
  local start=$SECONDS quiet=0 busy name before tid ticks old
  while ((SECONDS - start < 120 && quiet < 2)); do
    before=$(tiering_threads)
    for name in $ENDPOINTS; do wrk -t2 -c "$CONNECTIONS" -d 2s -s "$RUN/lua/$name.lua" "http://127.0.0.1:$PORT" > /dev/null; done
    busy=0
    while read -r tid ticks; do
      [[ -n $tid ]] || continue
      old=$(awk -v t="$tid" '$1 == t { print $2 }' <<<"$before")
      busy=$((busy + ticks - ${old:-0}))
    done <<<"$(tiering_threads)"
    if ((busy < 10)); then quiet=$((quiet + 1)); else quiet=0; fi
  done
  log "JIT settled after $((SECONDS - start)) s of warm-up (last round: $busy ticks of recompilation)"
}
