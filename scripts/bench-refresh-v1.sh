#!/usr/bin/env bash
# Refresh cost for InfluxDB 1.x with the real Terraform 1.15.5 against a real `influxd`
# (installed by scripts/install-influxdb1.sh, started here on free loopback ports with auth
# enabled): applies N users, each with a grant, and N databases, each with a retention policy
# (defaults 1000 each), in two workspaces, then counts the HTTP requests of one `terraform
# plan` of each at a small counting proxy between the provider and the server. Target for
# N = 1000: at most 3 requests per plan for each.
#
#   scripts/bench-refresh-v1.sh [N] [users|databases ...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
N="${1:-1000}"
shift || true
KINDS=("$@")
[[ ${#KINDS[@]} -gt 0 ]] || KINDS=(users databases)
say() { echo "bench-refresh-v1: $*" >&2; }

cargo build --quiet --bins
PROVIDER_DIR="$ROOT/target/debug"
TF="$(bash scripts/install-terraform.sh 1.15.5)"
INFLUXD="$(bash scripts/install-influxdb1.sh | tail -n1)"
WORK="$(mktemp -d -t bench-refresh-v1-XXXXXX)"
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

source scripts/start-influxdb1.sh
ADMIN=bench-admin ADMIN_PW='bench-admin-pw'
start_influxd1 "$INFLUXD" "$WORK" "$ADMIN" "$ADMIN_PW" $'[continuous_queries]\n  enabled = false'
PIDS+=("$INFLUXD1_PID")
SERVER="$INFLUXD1_URL"
HTTP_PORT="${INFLUXD1_URL##*:}"
PROXY_PORT="$(free_port)"

# The counting proxy: forwards every request to the server and counts them in a file.
cat > "$WORK/proxy.py" <<'PY'
import http.client, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
port, upstream, count_file = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
lock = threading.Lock()
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def forward(self):
        with lock:  # the script resets the file to 0 before each plan
            n = int(open(count_file).read().strip() or 0) + 1
            open(count_file, "w").write(str(n))
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        c = http.client.HTTPConnection("127.0.0.1", upstream, timeout=300)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        c.request(self.command, self.path, body=body, headers=headers)
        r = c.getresponse()
        data = r.read()
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    do_GET = do_POST = do_HEAD = forward
ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
PY
echo 0 > "$WORK/count"
python3 "$WORK/proxy.py" "$PROXY_PORT" "$HTTP_PORT" "$WORK/count" &
PIDS+=($!)
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PROXY_PORT/ping" > /dev/null && break; sleep 0.2; done

cat > "$WORK/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "example.com/influxdata/influxdb" = "$PROVIDER_DIR"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$WORK/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0
export INFLUXDB_URL="http://127.0.0.1:$PROXY_PORT" INFLUXDB_USERNAME="$ADMIN" INFLUXDB_PASSWORD="$ADMIN_PW"
unset TF_LOG TF_LOG_PROVIDER TF_CLI_ARGS TF_CLI_ARGS_plan TF_DATA_DIR

header='terraform {
  required_providers {
    influxdb = { source = "example.com/influxdata/influxdb" }
  }
}
provider "influxdb" {}
'
curl -sf -u "$ADMIN:$ADMIN_PW" "$SERVER/query" --data-urlencode 'q=CREATE DATABASE bench' > /dev/null
mkdir -p "$WORK/users" "$WORK/databases"
printf '%s\nresource "influxdb_user" "u" {\n  count    = %s\n  name     = "bench-${count.index}"\n  password = "bench-pw-${count.index}"\n  grant {\n    database  = "bench"\n    privilege = "READ"\n  }\n}\n' "$header" "$N" > "$WORK/users/main.tf"
printf '%s\nresource "influxdb_database" "d" {\n  count = %s\n  name  = "bench-${count.index}"\n  retention_policies {\n    name     = "short"\n    duration = "1d"\n    default  = true\n  }\n}\n' "$header" "$N" > "$WORK/databases/main.tf"

for kind in "${KINDS[@]}"; do
    cd "$WORK/$kind"
    say "applying $N $kind..."
    "$TF" apply -auto-approve -no-color -parallelism=20 > apply.log 2>&1 || { tail -30 apply.log >&2; exit 1; }
    echo 0 > "$WORK/count"
    started=$EPOCHREALTIME
    "$TF" plan -no-color -detailed-exitcode > plan.log 2>&1 || { tail -30 plan.log >&2; exit 1; }
    secs=$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
    calls="$(cat "$WORK/count")"
    echo "refresh of $N $kind: $calls HTTP requests per plan (plan took $secs s)"
done
