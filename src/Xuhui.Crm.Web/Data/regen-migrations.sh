#!/usr/bin/env bash
# Regenerates the single Initial migration of each provider (until the first release there is one per provider):
#   Data/Migrations          SQLite     (exactly what /work/regen.sh does)
#   Data/PostgresMigrations  PostgreSQL (same context; the design-time factory takes "-- --provider Postgres")
# Usage: src/Xuhui.Crm.Web/Data/regen-migrations.sh [repo] [sqlite|postgres|both]   (default: the repo this script is in, both)
set -euo pipefail
cd "${1:-$(dirname "${BASH_SOURCE[0]}")/../../..}"
which=${2:-both}
dotnet tool restore >/dev/null

DATA=src/Xuhui.Crm.Web/Data
SNAPSHOT=CrmDbContextModelSnapshot.cs

# `dotnet ef migrations add` looks for the snapshot file by name anywhere in the project and overwrites it, so the
# PostgreSQL snapshot is kept under its own file name, and the SQLite one is set aside while PostgreSQL's is written.
if [[ $which != postgres ]]; then
  rm -rf "$DATA/Migrations"
  dotnet ef migrations add Initial --project src/Xuhui.Crm.Web --output-dir Data/Migrations | tail -1
  ls "$DATA/Migrations"/*_Initial.cs >/dev/null || { echo "regen: no SQLite migration was generated" >&2; exit 1; }
fi

if [[ $which != sqlite ]]; then
  aside=$(mktemp -d)
  trap 'mv "$aside/$SNAPSHOT" "$DATA/Migrations/" 2>/dev/null || true; rm -rf "$aside"' EXIT
  mv "$DATA/Migrations/$SNAPSHOT" "$aside/"
  rm -rf "$DATA/PostgresMigrations"
  dotnet ef migrations add Initial --project src/Xuhui.Crm.Web --output-dir Data/PostgresMigrations -- --provider Postgres | tail -1
  mv "$DATA/PostgresMigrations/$SNAPSHOT" "$DATA/PostgresMigrations/PostgresModelSnapshot.cs"
  ls "$DATA/PostgresMigrations"/*_Initial.cs >/dev/null || { echo "regen: no PostgreSQL migration was generated" >&2; exit 1; }
fi
