#!/usr/bin/env python3
"""The search page's SQL alone, before and after the gram key carried the name (issue 8): CPU per first page of a
short query on two generated databases, the old layout (Gram, FirmId) and the new (Gram, Name, FirmId).

Usage: python3 tests/bench/gram_page.py OLD.db NEW.db   (databases from tests/bench/run.sh, e.g. under /tmp/xuhui-bench-8)
"""
import sqlite3
import sys
import time

OLD = ('SELECT f.* FROM Firms f WHERE NOT f.IsArchived AND f.Id IN (SELECT g.FirmId FROM FirmSearchGrams g WHERE g.Gram = ?) '
       'ORDER BY f.Name, f.Id LIMIT 20 OFFSET ?')
NEW = ('SELECT f.* FROM FirmSearchGrams g JOIN Firms f ON f.Id = g.FirmId WHERE g.Gram = ? AND NOT f.IsArchived '
       'ORDER BY g.Name, g.FirmId LIMIT 20 OFFSET ?')
CASES = [("通", 0), ("通", 1000), ("科", 0), ("上海", 0), ("汀灵", 0)]
RUNS = 50

for label, db, sql in (("before", sys.argv[1], OLD), ("after", sys.argv[2], NEW)):
    c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    c.execute("PRAGMA cache_size = -16384")  # the service's own
    print(f"{label}: " + " | ".join(r[3] for r in c.execute("EXPLAIN QUERY PLAN " + sql, ("通", 0))))
    for gram, offset in CASES:
        matches = c.execute("SELECT count(*) FROM FirmSearchGrams WHERE Gram = ?", (gram,)).fetchone()[0]
        for _ in range(5):
            c.execute(sql, (gram, offset)).fetchall()
        start = time.process_time()
        for _ in range(RUNS):
            rows = c.execute(sql, (gram, offset)).fetchall()
        ms = (time.process_time() - start) / RUNS * 1000
        print(f"  {gram} offset {offset:>5}, {matches:>6} matches: {ms:7.3f} ms CPU per page ({len(rows)} rows)")
