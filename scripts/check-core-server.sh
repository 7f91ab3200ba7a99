#!/usr/bin/env bash
# Checks, before the tests run, that the real InfluxDB 3 Core server the tests start
# (tests/support/core_server.rs) is found and starts on this machine: the binary is
# $INFLUXDB3_CORE_BINARY, else shared/servers/influxdb3-core/influxdb3 in the first directory
# above the checkout that holds it (as the tests look for it); `ldd` must find every shared
# library it needs (libpython3.11 above all); and a throw-away server on a free loopback port must
# answer /health. Fails (never skips) with a message that says what is missing. Stops the server
# it started by its process id and removes its temp dir.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

fail() {
    echo "check-core-server: $*" >&2
    echo "check-core-server: the real InfluxDB 3 Core server is required by the tests (they fail, never skip, without it)." >&2
    exit 1
}

binary="${INFLUXDB3_CORE_BINARY:-}"
if [ -n "$binary" ]; then
    [ -f "$binary" ] || fail "INFLUXDB3_CORE_BINARY=$binary is not a file"
else
    looked=()
    dir="$(pwd)"
    while [ "$dir" != "/" ]; do
        dir="$(dirname "$dir")"
        candidate="$dir/shared/servers/influxdb3-core/influxdb3"
        if [ -f "$candidate" ]; then
            binary="$candidate"
            break
        fi
        looked+=("$candidate")
    done
    [ -n "$binary" ] || fail "influxdb3 not found; looked at: ${looked[*]}. Put the binary at <checkout>/../shared/servers/influxdb3-core/influxdb3 or set INFLUXDB3_CORE_BINARY."
fi
[ -x "$binary" ] || fail "$binary is not executable"

if command -v ldd >/dev/null 2>&1; then
    missing="$(ldd "$binary" 2>&1 | grep 'not found' || true)"
    [ -z "$missing" ] || fail "$binary cannot start: ldd reports missing shared libraries:
$missing
(install them, e.g. Debian's libpython3.11)"
fi

tmp="$(mktemp -d)"
pid=""
cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
token="apiv3_$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')"
printf '{"token": "%s", "name": "_admin"}' "$token" >"$tmp/admin.json"
mkdir -p "$tmp/plugins"
env -u INFLUXDB3_AUTH_TOKEN "$binary" serve --node-id check --object-store file \
    --data-dir "$tmp/data" --http-bind "127.0.0.1:$port" \
    --admin-token-file "$tmp/admin.json" --plugin-dir "$tmp/plugins" \
    --disable-telemetry-upload >"$tmp/server.log" 2>&1 &
pid=$!

healthy() {
    python3 - "$port" "$token" <<'EOF'
import sys, urllib.request
req = urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}/health",
                             headers={"Authorization": f"Bearer {sys.argv[2]}"})
try:
    with urllib.request.urlopen(req, timeout=2) as r:
        sys.exit(0 if r.status == 200 else 1)
except Exception:
    sys.exit(1)
EOF
}

for _ in $(seq 1 900); do
    if ! kill -0 "$pid" 2>/dev/null; then
        fail "$binary exited before answering /health; its output:
$(tail -n 40 "$tmp/server.log")"
    fi
    if healthy; then
        echo "check-core-server: $("$binary" --version 2>/dev/null | head -n 1) starts and answers /health ($binary)"
        exit 0
    fi
    sleep 0.1
done
fail "$binary did not answer /health within 90 s; its output:
$(tail -n 40 "$tmp/server.log")"
