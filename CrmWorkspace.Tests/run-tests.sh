#!/usr/bin/env bash
# Runs every test (unit, component, integration, browser) and writes TRX results under TestResults/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash CrmWorkspace/scripts/prereqs.sh test
rm -rf TestResults
dotnet build CrmWorkspace.Tests -c Release -nologo -v quiet
dotnet test CrmWorkspace.Tests -c Release --no-build --logger "trx;LogFileName=results.trx" --results-directory TestResults "$@"
