#!/usr/bin/env python3
"""Writes the statements the service sends to PostgreSQL for a firm search (as EF Core 10 / Npgsql render them, taken
from the server's log), with the first query of each class from queries.json inlined, under EXPLAIN ANALYZE.

  explain.py QUERIES.json > explain.sql
"""
import json
import sys

COLUMNS = 'f."Id", f."Name", f."SearchText"'  # the service selects every column; the plan does not depend on it


def lit(s):
    return "'" + s.replace("'", "''") + "'"


def main():
    queries = json.load(open(sys.argv[1], encoding="utf-8"))
    out = ["\\pset pager off"]
    for name, qs in queries.items():
        q = qs[0]
        lead = q[:2]
        grams = f'f."Id" IN (SELECT f0."FirmId" FROM "FirmSearchGrams" AS f0 WHERE f0."Gram" = {lit(lead)})'
        where = f'NOT (f."IsArchived") AND {grams}' + (f' AND f."SearchText" LIKE {lit("%" + q + "%")}' if len(q) > 2 else "")
        count = (f'SELECT count(*)::int FROM "FirmSearchGrams" AS f WHERE f."Gram" = {lit(lead)}' if len(q) <= 2
                 else f'SELECT count(*)::int FROM "Firms" AS f WHERE {where}')
        page = f'SELECT {COLUMNS} FROM "Firms" AS f WHERE {where} ORDER BY f."Name", f."Id" LIMIT 20 OFFSET 0'
        out.append(f"\\echo '-- {name}: {q} (count, then the first page)'")
        out.append(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) {count};")
        out.append(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) {page};")
    print("\n".join(out))


if __name__ == "__main__":
    main()
