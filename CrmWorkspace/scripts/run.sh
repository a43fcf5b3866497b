#!/usr/bin/env bash
# Runs the workspace on the embedded default: SQLite under data/, demo users and demo customers, http://127.0.0.1:5080
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
bash CrmWorkspace/scripts/prereqs.sh app
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Production}"
exec dotnet run --project CrmWorkspace -c Release --no-launch-profile -- --Demo:Enabled=true "$@"
