#!/usr/bin/env python3
"""One wrk --latency output -> one TSV row:
scale, mode, endpoint, connections, requests/s, p50 ms, p99 ms, requests, non-2xx, socket errors, load average,
service CPU ms per request (from the service's CPU clock ticks over the run)."""
import os
import re
import sys

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def ms(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(m.group(1)) * UNITS[m.group(2)] if m else float("nan")


def main():
    path, scale, mode, name, conns, load, ticks = sys.argv[1:8]
    out = open(path, encoding="utf-8").read()
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    total = re.search(r"(\d+) requests in", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    row = [
        scale, mode, name, conns,
        f"{float(rps.group(1)):.0f}" if rps else "0",
        f"{ms(p50.group(1)):.2f}" if p50 else "nan",
        f"{ms(p99.group(1)):.2f}" if p99 else "nan",
        total.group(1) if total else "0",
        non2xx.group(1) if non2xx else "0",
        str(sum(int(g) for g in errors.groups())) if errors else "0",
        load,
        f"{int(ticks) * 1000 / os.sysconf('SC_CLK_TCK') / int(total.group(1)):.3f}" if total and int(total.group(1)) else "nan",
    ]
    print("\t".join(row))


if __name__ == "__main__":
    main()
