#!/usr/bin/env bash
# Checks (and, as root, installs) what CrmWorkspace needs on Debian: the .NET 10 SDK, Chromium and a CJK font
# (PDF reports and browser tests), poppler-utils (PDF checks); for the tests also PostgreSQL and Redis (the tests of several
# servers start private instances of them on loopback from a temp folder, and stop them), and for cluster.sh PostgreSQL and Redis.
# Usage: prereqs.sh [app|test|cluster]
set -euo pipefail
mode="${1:-app}"
missing=()
command -v dotnet >/dev/null 2>&1 || { echo "The .NET 10 SDK is missing: install dotnet-sdk-10.0 (https://learn.microsoft.com/dotnet/core/install/linux-debian)." >&2; exit 1; }
dotnet --list-sdks | grep -q '^10\.' || { echo "The .NET SDK 10.0 is missing (found: $(dotnet --list-sdks | tr '\n' ' '))." >&2; exit 1; }
[ -x /usr/bin/chromium ] || missing+=(chromium)
# Reports print with the headless shell (same engine, about half the time per print); the full browser runs the browser tests.
[ -x /usr/lib/chromium/chromium-headless-shell ] || missing+=(chromium-headless-shell)
fc-list 2>/dev/null | grep -qi 'WenQuanYi Micro Hei' || missing+=(fonts-wqy-microhei)
# Reports break their lines with DejaVu Sans's widths (Features/Reports/TextMeasure.cs).
fc-list 2>/dev/null | grep -q 'DejaVuSans.ttf' || missing+=(fonts-dejavu-core)
[ "$mode" != test ] || command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
if [ "$mode" = test ] || [ "$mode" = cluster ]; then
  # PostgreSQL server binaries (initdb, pg_ctl) and pg_trgm; as root the test cluster runs as Debian's "postgres" user.
  ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 && ls /usr/share/postgresql/*/extension/pg_trgm.control >/dev/null 2>&1 || missing+=(postgresql)
  [ "$(id -u)" != 0 ] || id postgres >/dev/null 2>&1 || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${missing[@]}" >/dev/null
  # The cluster cannot run without PostgreSQL and Redis; Chromium and the fonts are for PDF reports only.
  elif [ "$mode" = test ] || { [ "$mode" = cluster ] && printf '%s\n' "${missing[@]}" | grep -qx 'postgresql\|redis-server'; }; then
    echo "Missing Debian packages: ${missing[*]}. Run as root, or: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  else
    echo "Note: PDF reports need: sudo apt-get install -y ${missing[*]} (the app runs without them; reports then show their HTML view)." >&2
  fi
fi
