#!/usr/bin/env python3
"""Writes the statements the service sends to PostgreSQL for a firm search (as EF Core 10 / Npgsql render them, taken
from the server's log), with the first query of each class from queries.json inlined, under EXPLAIN ANALYZE.

  explain.py QUERIES.json > explain.sql
"""
import json
import sys

COLUMNS = 'f1."Id", f1."Name", f1."SearchText"'  # the service selects every column; the plan does not depend on it


def lit(s):
    return "'" + s.replace("'", "''") + "'"


def main():
    queries = json.load(open(sys.argv[1], encoding="utf-8"))
    out = ["\\pset pager off"]
    for name, qs in queries.items():
        q = qs[0]
        lead = q[:2]
        # FirmSearch: the lead gram's rows joined to their live firms, the whole text confirmed on the firm when the
        # query is longer than the gram, ordered by the gram row's own (Name, FirmId).
        joined = (f'FROM "FirmSearchGrams" AS f INNER JOIN (SELECT f0.* FROM "Firms" AS f0 WHERE NOT (f0."IsArchived")) AS f1 '
                  f'ON f."FirmId" = f1."Id" WHERE f."Gram" = {lit(lead)}'
                  + (f' AND f1."SearchText" LIKE {lit("%" + q + "%")}' if len(q) > 2 else ""))
        count = (f'SELECT count(*)::int FROM "FirmSearchGrams" AS f WHERE f."Gram" = {lit(lead)}' if len(q) <= 2
                 else f'SELECT count(*)::int {joined}')
        page = f'SELECT {COLUMNS} {joined} ORDER BY f."Name", f."FirmId" LIMIT 20 OFFSET 0'
        out.append(f"\\echo '-- {name}: {q} (count, then the first page; the service skips the page when the count is 0)'")
        out.append(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) {count};")
        out.append(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) {page};")
    print("\n".join(out))


if __name__ == "__main__":
    main()
