#!/usr/bin/env bash
# The synthetic-database cache key shared by run.sh, pages.sh and city.sh: a hash of what decides the generated
# file's content and schema (the generator, the migrations and data model, the seed words, the domain). Registration
# code (DatabaseSetup.cs), connection pragmas and what runs only in the service (the backlog drain, the write gate,
# PostgreSQL statistics) are left out: they do not change the file.
set -euo pipefail
cd "${1:-$(dirname "${BASH_SOURCE[0]}")/../..}"
{
  find src/Xuhui.Crm.Web/Seeding src/Xuhui.Crm.Web/Data/Migrations seed src/Xuhui.Crm.Domain -type f
  find src/Xuhui.Crm.Web/Data -maxdepth 1 -name '*.cs' ! -name SqlitePragmas.cs ! -name DatabaseSetup.cs ! -name SearchGramBacklog.cs ! -name WriteGate.cs ! -name PostgresStatistics.cs
} | grep -vE '/(bin|obj)/' | grep -E '\.(cs|json|txt|csv)$' | LC_ALL=C sort -u | xargs cat | sha1sum | cut -c1-10
