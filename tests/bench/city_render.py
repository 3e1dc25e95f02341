#!/usr/bin/env python3
"""Turns the TSV files of one tests/bench/city.sh run into CITY.md; with --check, asserts a smoke run was healthy.

  city_render.py RESULTS_DIR OUT.md COMMAND SMOKE
  city_render.py --check RESULTS_DIR
"""
import datetime
import math
import os
import platform
import re
import subprocess
import sys

NAMES = {
    "search-1": "firm search, 1 character (wrk, 32 conn.)",
    "search-2": "firm search, 2 characters (wrk, 32 conn.)",
    "search-4": "firm search, 4 characters (wrk, 32 conn.)",
    "search-0": "firm search, zero hits (wrk, 32 conn.)",
    "detail": "firm detail (wrk, 32 conn.)",
    "digest": "daily digest composition, all officers (in process)",
    "monthly-report": "monthly report, JSON (in process)",
    "targets": "targets (in process)",
}


def read(path):
    if not os.path.exists(path):
        return []
    return [line.rstrip("\n").split("\t") for line in open(path, encoding="utf-8") if line.strip()]


def num(text):
    try:
        return float(text)
    except ValueError:
        return math.nan


def ms(v):
    return "—" if math.isnan(v) else f"{v:,.0f}" if v >= 100 else f"{v:.1f}" if v >= 10 else f"{v:.2f}"


def render(results, out, command, smoke):
    http = read(os.path.join(results, "http.tsv"))
    inproc = read(os.path.join(results, "inproc.tsv"))
    loads = read(os.path.join(results, "load.tsv"))
    machine = read(os.path.join(results, "machine.tsv"))
    pg = next((r[1] for r in machine if r[0] == "pg"), "?")
    gen = next((r for r in machine if r[0] == "generate"), None)
    columns = []  # (label, provider), city first
    for r in http:
        if (r[0], r[1]) not in columns:
            columns.append((r[0], r[1]))
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo", encoding="utf-8") if l.startswith("model name")), "?")
    nproc = os.cpu_count()
    mem = next((l.split()[1] for l in open("/proc/meminfo", encoding="utf-8") if l.startswith("MemTotal")), "0")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=os.path.dirname(os.path.abspath(__file__))).stdout.strip()
    head = lambda label, provider: f"{int(label):,} firms on {'PostgreSQL' if provider == 'Postgres' else 'SQLite'}"
    lines = [
        "# City-scale benchmark (issues 8 and 10)",
        "",
        f"Run: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, commit `{commit}`, command `{command}`"
        f"{' (smoke)' if smoke == '1' else ''}. Machine: {cpu}, {nproc} cores, {int(mem) / 1048576:.0f} GB RAM, "
        f"{platform.system()} {platform.release()}; PostgreSQL: {pg}.",
        "",
        "The machine is shared with other work: every figure carries the 1/5/15-minute load average taken just before it;",
        f"a load above {nproc} means other processes competed for the cores, which inflates latency and deflates requests/s.",
        "The service, wrk and PostgreSQL all run on these cores.",
        "",
        *([f"**Below city scale**: this run's PostgreSQL data set has {max(int(l) for l, p in columns if p == 'Postgres'):,} firms, "
           "not 1,000,000 (see the command); the 1,000,000-firm figures come from `tests/bench/city.sh` without options.", ""]
          if any(p == "Postgres" for _, p in columns) and max(int(l) for l, p in columns if p == "Postgres") < 1_000_000 else []),
        "## Data set and load",
        "",
    ]
    if gen:
        firms, seconds, size, rows = gen[1], num(gen[2]), num(gen[3]), num(gen[4])
        rate = f", {rows / seconds:,.0f} rows/s" if seconds > 0 else ""
        lines.append(f"- Generated into SQLite by the service's generator (`generate`, cached between runs): {int(firms):,} firms, "
                     f"{rows:,.0f} rows in all, {size / 1048576:,.0f} MB" + (f", in {seconds:,.0f} s{rate}." if seconds > 0 else "."))
    for name, rows, seconds, size, load, copy in loads:
        lines.append(f"- Copied into PostgreSQL (`copy-to-postgres`: binary COPY on 2 connections, constraints and indexes "
                     f"rebuilt after, VACUUM ANALYZE): {int(rows):,} rows, COPY phase {num(copy):,.0f} s ({int(rows) / num(copy):,.0f} rows/s), "
                     f"{num(seconds):,.0f} s end to end ({int(rows) / num(seconds):,.0f} rows/s), database {int(size):,} MB "
                     + (f"(load average at the end {load})." if not load.startswith("copied") else
                        "(copied before this run, `--loaded`: the figures are that copy's own log)."))
        log = os.path.join(results, f"load-{name}.log")
        if os.path.exists(log):
            text = open(log, encoding="utf-8").read()
            tables = [t for t in re.findall(r"^\s+(\S+)\s+([\d,]+) rows in\s+([\d.]+) s", text, re.M) if t[0] != "copied"]
            tables.sort(key=lambda t: -int(t[1].replace(",", "")))
            phases = re.findall(r"^\s+(constraints and indexes rebuilt|VACUUM \(ANALYZE\)) in ([\d.]+) s", text, re.M)
            lines.append("  Largest tables: " + ", ".join(f"{t} {int(r.replace(',', '')):,} rows in {s} s" for t, r, s in tables[:5])
                         + "; " + ", ".join(f"{p} in {s} s" for p, s in phases) + ".")
    lines += [
        "",
        "## Measures",
        "",
        "wrk: `wrk -t2 -c32 --latency`, loopback, bearer token, each request drawn in turn from 300 (detail: 900) built",
        "from the data set (tests/bench/requests.py, as in run.sh); cells are **p99 ms** · p50 ms · requests/s · the",
        "service's CPU ms per request (+ PostgreSQL's, when the cluster is the script's own). In process",
        "(tests/Xuhui.Crm.Bench, the service's classes from its container): median ms of repeated runs (digest: the first",
        "run queues the digests, the re-runs find them queued; the first run's time is in the note).",
        "",
        "| measure | " + " | ".join(head(*c) for c in columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    by = {(r[2], r[0], r[1]): r for r in http}
    for name in ("search-1", "search-2", "search-4", "search-0", "detail"):
        cells = []
        for label, provider in columns:
            r = by.get((name, label, provider))
            if r is None:
                cells.append("—")
                continue
            bad = f" **{r[8]} non-2xx, {r[9]} socket errors**" if int(r[8]) or int(r[9]) else ""
            cpu_ms = f"{num(r[11]):.2f}" + (f" + {num(r[12]):.2f} db" if len(r) > 12 and r[12] else "")
            cells.append(f"**{ms(num(r[6]))}** · {ms(num(r[5]))} · {num(r[4]):,.0f}/s · cpu {cpu_ms} (load {r[10].split()[0]}){bad}")
        lines.append(f"| {NAMES[name]} | " + " | ".join(cells) + " |")
    ip = {(r[1], r[0], r[10] if len(r) > 10 else "Postgres"): r for r in inproc}
    notes = []
    for name in ("digest", "monthly-report", "targets"):
        cells = []
        for label, provider in columns:
            r = ip.get((name, label, provider))
            if r is None:
                cells.append("—")
                continue
            cells.append(f"**{ms(num(r[2]))}** (cpu {ms(num(r[7]))}, load {r[6].split()[0]})")
            notes.append(f"{NAMES[name].split(' (')[0]}, {int(label):,} on {provider}: {r[5]}")
        lines.append(f"| {NAMES[name]} | " + " | ".join(cells) + " |")
    lines += ["", "Notes: " + "; ".join(notes) + "." if notes else ""]
    explain = os.path.join(results, "explain.txt")
    if os.path.exists(explain):
        lines += ["", "Plans on PostgreSQL (`EXPLAIN ANALYZE` of the statements the service sends for a search):", "", "```",
                  open(explain, encoding="utf-8").read().rstrip(), "```"]
    lines.append("")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def check(results):
    http = read(os.path.join(results, "http.tsv"))
    inproc = read(os.path.join(results, "inproc.tsv"))
    loads = read(os.path.join(results, "load.tsv"))
    problems = []
    if len(http) < 5:
        problems.append(f"only {len(http)} wrk runs recorded")
    # The smoke proves the script runs end to end and yields numbers; how fast a busy machine answers is not its
    # business (a loaded host may finish no request, or time some out, in a one-second run), so it sets no threshold.
    notes = []
    for r in http:
        if any(math.isnan(num(v)) for v in (r[4], r[7], r[8], r[9])):
            problems.append(f"{r[2]} ({r[1]}): wrk produced no numbers")
        elif int(r[8]):
            problems.append(f"{r[2]} ({r[1]}): {r[8]} non-2xx responses")
        elif int(r[7]) == 0 or int(r[9]):
            notes.append(f"{r[2]} ({r[1]}): {r[7]} requests, {r[9]} socket errors or timeouts")
    for note in notes:
        print(f"city smoke note: {note}", file=sys.stderr)
    if {r[1] for r in inproc} < {"digest", "monthly-report", "targets"}:
        problems.append("in-process measures missing: " + ", ".join(sorted({r[1] for r in inproc})))
    if not loads or int(loads[0][1]) == 0:
        problems.append("nothing copied into PostgreSQL")
    explain = os.path.join(results, "explain.txt")
    if os.path.exists(explain) and "FirmSearchGrams" in open(explain, encoding="utf-8").read() \
            and re.search(r"Seq Scan on \"?FirmSearchGrams", open(explain, encoding="utf-8").read()):
        problems.append("the gram count scans FirmSearchGrams instead of using its index")
    if problems:
        print("city smoke FAILED:\n  " + "\n  ".join(problems), file=sys.stderr)
        sys.exit(1)
    print(f"city smoke: {loads[0][1]} rows copied, {len(http)} wrk runs, {len(inproc)} in-process measures, all 2xx")


if __name__ == "__main__":
    if sys.argv[1] == "--check":
        check(sys.argv[2])
    else:
        render(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4])
