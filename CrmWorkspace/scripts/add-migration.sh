#!/usr/bin/env bash
# Adds one migration, <Name>, for BOTH database providers from the one model:
#   SQLite     -> Data/Migrations            (CrmDbContext)
#   PostgreSQL -> Data/Migrations/PostgreSql (PostgreSqlCrmDbContext, the same model under another name)
# No database is contacted. Usage: CrmWorkspace/scripts/add-migration.sh <Name>
set -euo pipefail
name="${1:?usage: add-migration.sh <Name>  (a C# identifier, e.g. Invoices)}"
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
dotnet ef migrations add "$name" --context CrmDbContext --output-dir Data/Migrations
dotnet ef migrations add "$name" --no-build --context PostgreSqlCrmDbContext --output-dir Data/Migrations/PostgreSql
# Both sets must now match the model (a migration that only one provider got would fail here); this builds the new files once.
dotnet ef migrations has-pending-model-changes --context CrmDbContext
dotnet ef migrations has-pending-model-changes --no-build --context PostgreSqlCrmDbContext
echo "Added migration $name for SQLite and PostgreSQL. Raw SQL (triggers, extensions) must be written for each provider by hand."
