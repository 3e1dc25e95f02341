#!/usr/bin/env bash
# Runs the test suites; the browser tests drive Debian's Chromium, installed here when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
  apt-get update && apt-get install -y chromium
fi
dotnet test Xuhui.Crm.sln "$@"
