#!/usr/bin/env bash
# Refresh-cost benchmark with the real Terraform 1.15.5 against the simulator.
# (InfluxDB OSS v2: scripts/bench-refresh-v2.sh counts the calls per plan of authorizations and buckets.)
#
#   scripts/bench-refresh.sh [N] [LATENCY_MS]        (defaults: 1000 tokens, 20 ms)
#   PRODUCT=core scripts/bench-refresh.sh [N] ...    InfluxDB 3 Core: N influxdb_admin_token
#
# PRODUCT is `dedicated` (default: N database tokens through the Management API), `core` or
# `enterprise` (N named admin tokens through /api/v3, refreshed from system.tokens). Applies the
# N tokens (count = N), then, side by side in one run, times
# `terraform plan` and `terraform plan -refresh=false` (RUNS times each, default 3, interleaved)
# once with no injected API latency and once with LATENCY_MS on every API request. The refresh
# cost is the median plan minus the median plan -refresh=false; the difference between the two
# latencies' refresh costs is what API latency costs the refresh (Terraform's own per-instance
# work cancels out). It is printed as a ratio to the bound of one GET per token at Terraform's
# default parallelism of 10, N x LATENCY / 10. API calls per plan come from the simulator's
# request log. Targets for N = 1000: at most 3 API calls per plan (2 on Core/Enterprise),
# ratio <= 0.1.
#
# PROVIDER_DIR=dir runs the provider (and the simulator) built in `dir` instead of building
# target/debug here, e.g. an older build to measure "before". Run it on a quiet machine: other
# CPU load stretches every plan, and the spread printed for each run shows how much. Missing a
# target is reported, not an error; a failing step is.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

N="${1:-1000}"
LATENCY_MS="${2:-20}"
RUNS="${RUNS:-3}"
PRODUCT="${PRODUCT:-dedicated}"
case "$PRODUCT" in
    dedicated) MAX_CALLS=3 WHAT="database tokens" ;;
    core | enterprise) MAX_CALLS=2 WHAT="admin tokens ($PRODUCT)" ;;
    *) echo "bench-refresh: PRODUCT must be dedicated, core or enterprise" >&2; exit 2 ;;
esac
say() { echo "bench-refresh: $*" >&2; }

if [[ -z "${PROVIDER_DIR:-}" ]]; then
    say "building the provider and the simulator (debug)..."
    cargo build --quiet --bins
    PROVIDER_DIR="$ROOT/target/debug"
fi
PROVIDER_DIR="$(cd "$PROVIDER_DIR" && pwd)"
SIM_BIN="${SIM_BIN:-$PROVIDER_DIR/influxdb-sim}"
[[ -x "$PROVIDER_DIR/terraform-provider-influxdb" && -x "$SIM_BIN" ]] || {
    say "$PROVIDER_DIR needs terraform-provider-influxdb and influxdb-sim"
    exit 1
}
TF="$(bash scripts/install-terraform.sh 1.15.5)"

WORK="$(mktemp -d -t bench-refresh-XXXXXX)"
SIM_PID=""
cleanup() {
    [[ -n "$SIM_PID" ]] && kill "$SIM_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

cat > "$WORK/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "example.com/influxdata/influxdb" = "$PROVIDER_DIR"
  }
  direct {}
}
RC
cat > "$WORK/main.tf" <<TF
terraform {
  required_providers {
    influxdb = {
      source = "example.com/influxdata/influxdb"
    }
  }
}

provider "influxdb" {}

resource "influxdb_database_token" "t" {
  count       = $N
  description = "bench token \${count.index}"
  permissions = [{ action = "read", resource = "db\${count.index}" }]
}
TF
if [[ "$PRODUCT" != dedicated ]]; then
    python3 - "$WORK/main.tf" "$N" <<'PY'
import re, sys
path, n = sys.argv[1], sys.argv[2]
tf = open(path).read()
tf = tf[: tf.index('resource "influxdb_database_token"')]
tf += 'resource "influxdb_admin_token" "t" {\n  count = %s\n  name  = "bench-${count.index}"\n}\n' % n
open(path, "w").write(tf)
PY
fi

if [[ "$PRODUCT" == dedicated ]]; then
    exec 3< <(exec "$SIM_BIN" --listen 127.0.0.1:0)
else
    exec 3< <(exec "$SIM_BIN" --listen 127.0.0.1:0 --product "$PRODUCT")
fi
SIM_PID=$!
read -r SIM_URL <&3
say "simulator at $SIM_URL"

export TF_CLI_CONFIG_FILE="$WORK/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0
if [[ "$PRODUCT" == dedicated ]]; then
    export INFLUXDB3_URL="$SIM_URL" INFLUXDB3_MANAGEMENT_TOKEN=sim-management-token
    export INFLUXDB3_ACCOUNT_ID=11111111-1111-4111-8111-111111111111
    export INFLUXDB3_CLUSTER_ID=22222222-2222-4222-8222-222222222222
else
    export INFLUXDB3_HOST_URL="$SIM_URL" INFLUXDB3_AUTH_TOKEN=sim-operator-token
fi
unset TF_LOG TF_LOG_PROVIDER TF_CLI_ARGS TF_CLI_ARGS_plan TF_DATA_DIR

ctl() { # METHOD PATH [JSON]
    if [[ $# -ge 3 ]]; then
        curl -sf -X "$1" -H 'Content-Type: application/json' -d "$3" "$SIM_URL/__sim/$2"
    else
        curl -sf -X "$1" "$SIM_URL/__sim/$2"
    fi
}

cd "$WORK"
say "applying $N tokens with Terraform 1.15.5 (provider from $PROVIDER_DIR)..."
started=$EPOCHREALTIME
"$TF" apply -auto-approve -no-color > apply.log 2>&1 || {
    tail -30 apply.log >&2
    exit 1
}
say "applied in $(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s"

# One timed plan: prints "seconds api_calls".
timed_plan() {
    ctl DELETE requests
    local t0=$EPOCHREALTIME code=0
    "$TF" plan -no-color -detailed-exitcode "$@" > plan.log 2>&1 || code=$?
    local t1=$EPOCHREALTIME
    if [[ $code -ne 0 ]]; then
        say "terraform plan $* exited $code (expected 0: no changes)"
        tail -30 plan.log >&2
        exit 1
    fi
    local calls
    calls="$(ctl GET requests | jq length)"
    awk -v a="$t0" -v b="$t1" -v c="$calls" 'BEGIN { printf "%.3f %d\n", b - a, c }'
}

: > results.txt
for run in $(seq 1 "$RUNS"); do
    for lat in 0 "$LATENCY_MS"; do
        ctl POST faults "{\"latency_ms\": $lat}"
        timed_plan > m.txt
        read -r s c < m.txt
        echo "$lat refresh $s $c" >> results.txt
        timed_plan -refresh=false > m.txt
        read -r s c < m.txt
        echo "$lat norefresh $s $c" >> results.txt
        say "run $run, ${lat} ms: plan $(grep "^$lat refresh" results.txt | tail -1 | cut -d' ' -f3) s, plan -refresh=false $s s"
    done
done

python3 - "$N" "$LATENCY_MS" "$PROVIDER_DIR" results.txt "$MAX_CALLS" "$WHAT" <<'PY'
import statistics, sys
n, lat, provider, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
max_calls, what = int(sys.argv[5]), sys.argv[6]
rows = [l.split() for l in open(path) if l.strip()]
def med(l, mode, i):
    return statistics.median(float(r[i]) for r in rows if int(r[0]) == l and r[1] == mode)
print(f"Refresh of {n} {what}, Terraform 1.15.5, provider {provider}")
print(f"medians of {len(rows) // 4} runs each, side by side; load average "
      f"{open('/proc/loadavg').read().split()[0]}")
print(f"{'API latency':>12} {'plan':>10} {'plan -refresh=false':>20} {'refresh cost':>13} {'API calls/plan':>15}")
cost = {}
for l in (0, lat):
    p, q = med(l, "refresh", 2), med(l, "norefresh", 2)
    calls = max(int(r[3]) for r in rows if int(r[0]) == l and r[1] == "refresh")
    cost[l] = p - q
    print(f"{str(l) + ' ms':>12} {p:>9.3f}s {q:>19.3f}s {cost[l]:>12.3f}s {calls:>15}")
for l in (0, lat):
    plans = [float(r[2]) for r in rows if int(r[0]) == l and r[1] == "refresh"]
    bare = [float(r[2]) for r in rows if int(r[0]) == l and r[1] == "norefresh"]
    spread = " ".join(f"{a - b:+.2f}" for a, b in zip(plans, bare))
    print(f"  {l} ms, each run's plan minus plan -refresh=false (s): {spread}")
calls = max(int(r[3]) for r in rows if r[1] == "refresh")
latency_cost = cost[lat] - cost[0]
bound = n * lat / 1000 / 10
ratio = latency_cost / bound if bound else float("nan")
print(f"API calls per plan: {calls} (target <= {max_calls}): {'met' if calls <= max_calls else 'MISSED'}")
print(f"what {lat} ms of API latency costs the refresh: {latency_cost:.3f} s; "
      f"per-token-GET bound {n} x {lat} ms / 10 = {bound:.2f} s; "
      f"ratio {ratio:.3f} (target <= 0.1): {'met' if ratio <= 0.1 else 'MISSED'}")
PY
