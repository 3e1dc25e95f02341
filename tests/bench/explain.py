#!/usr/bin/env python3
"""Writes the statements the service sends to PostgreSQL for a firm search (the shape EF Core 10 / Npgsql render for
FirmSearch's compiled queries, columns trimmed), with the first query of each class from queries.json inlined, under
EXPLAIN ANALYZE.

  explain.py QUERIES.json > explain.sql
"""
import json
import sys

COLUMNS = 'f."Id", f."Name", f."SearchText"'  # the service selects every column and the co-officers; the plan does not depend on it


def lit(s):
    return "'" + s.replace("'", "''") + "'"


def main():
    queries = json.load(open(sys.argv[1], encoding="utf-8"))
    out = ["\\pset pager off"]
    for name, qs in queries.items():
        q = qs[0]
        lead, tail = q[:2], q[-2:]
        # FirmSearch, no filter, name order (compiled: GramPageByName for 1-2 characters, TextPage and its count for
        # longer queries). The lead gram's rows are joined to their live firms and ordered by the gram row's own (Name,
        # FirmId); a longer query keeps the rows that also have its last pair (a seek on the full key) and confirms the
        # whole text on the firm.
        grams = f'(SELECT f0."Name", f0."FirmId" FROM "FirmSearchGrams" AS f0 WHERE f0."Gram" = {lit(lead)}) AS f1'
        where = 'NOT (f."IsArchived")'
        if len(q) > 2:
            where += (f' AND EXISTS (SELECT 1 FROM "FirmSearchGrams" AS f2 WHERE f2."Gram" = {lit(tail)} AND f2."Name" = f1."Name"'
                      f' AND f2."FirmId" = f1."FirmId") AND strpos(f."SearchText", {lit(q)}) > 0')
        joined = f'FROM "Firms" AS f INNER JOIN {grams} ON f."Id" = f1."FirmId" WHERE {where}'
        page = f'SELECT {COLUMNS} {joined} ORDER BY f1."Name", f1."FirmId" LIMIT 20 OFFSET 0'
        if len(q) <= 2:
            count = f'SELECT count(*)::int FROM "FirmSearchGrams" AS f WHERE f."Gram" = {lit(lead)}'
            out.append(f"\\echo '-- {name}: {q} (the count, cached for a few seconds, then the first page unless it is 0)'")
            out.append(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) {count};")
            out.append(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) {page};")
        else:
            out.append(f"\\echo '-- {name}: {q} (the first page; the count only when the page is full)'")
            out.append(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) {page};")
            out.append(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) SELECT count(*)::int {joined};")
    print("\n".join(out))


if __name__ == "__main__":
    main()
