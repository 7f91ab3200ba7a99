#!/usr/bin/env bash
# Installs InfluxData's official Python client for InfluxDB v2 (influxdb-client 1.50.0, from PyPI
# only) into a virtual environment under .tools/ at the repository root:
#
#   .tools/influxdb-client-1.50.0/bin/python   (python3 -m venv, then pip install)
#
# tests/python_client.rs runs tests/python/influxdb_client_scenario.py with that interpreter
# against the simulator, as a check of the simulator that shares nothing with the provider.
#
# Idempotent: an environment that already imports influxdb_client 1.50.0 is left alone.
# Quiet on success; on failure, pip's output and a message go to stderr and the status is
# non-zero.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION=1.50.0
FINAL="$ROOT/.tools/influxdb-client-$VERSION"

die() { echo "install-python-client: error: $*" >&2; exit 1; }

installed_ok() { # DIR
    [[ -x "$1/bin/python" ]] && "$1/bin/python" - "$VERSION" >/dev/null 2>&1 <<'PY'
import sys
import influxdb_client
sys.exit(0 if influxdb_client.__version__ == sys.argv[1] else 1)
PY
}

if installed_ok "$FINAL"; then
    exit 0
fi

command -v python3 >/dev/null 2>&1 || die "python3 is needed"
mkdir -p "$ROOT/.tools"
# Built aside and moved in whole, so a concurrent reader never sees half an environment.
STAGE="$ROOT/.tools/.influxdb-client-$VERSION.$$"
LOG="$(mktemp "${TMPDIR:-/tmp}/install-python-client.XXXXXX")"
trap 'rm -rf "$STAGE" "$LOG"' EXIT
rm -rf "$STAGE"
python3 -m venv "$STAGE" >"$LOG" 2>&1 || { cat "$LOG" >&2; die "python3 -m venv failed (is the venv module installed?)"; }
# PIP_FIND_LINKS is cleared so that only the index is used.
if ! PIP_FIND_LINKS= "$STAGE/bin/python" -m pip install --quiet --disable-pip-version-check \
        "influxdb-client==$VERSION" >"$LOG" 2>&1; then
    cat "$LOG" >&2
    die "pip install of influxdb-client==$VERSION failed"
fi
installed_ok "$STAGE" || die "the new environment does not import influxdb_client $VERSION"
rm -rf "$FINAL.old.$$"
[[ -e "$FINAL" ]] && mv "$FINAL" "$FINAL.old.$$"
mv "$STAGE" "$FINAL"
rm -rf "$FINAL.old.$$"
# A moved environment keeps working when run as bin/python (its paths are relative to it).
installed_ok "$FINAL" || die "the installed environment does not import influxdb_client $VERSION"
