#!/usr/bin/env bash
# Refresh cost for InfluxDB OSS v2 with the real Terraform 1.15.5 against the simulator
# (`--product oss-v2`): applies N objects of each kind (default 1000) in separate workspaces,
# then counts the API calls of one `terraform plan` of each from the simulator's request log.
# Targets for N = 1000: authorizations at most 3 calls per plan, buckets at most 12 (one
# paginated listing, pages of 100), DBRP mappings (one bucket and N mappings) at most 3, v1
# authorizations at most 3, tasks at most 4 (one listing of the organization's tasks, pages
# of 500).
#
#   scripts/bench-refresh-v2.sh [N]            # every kind
#   KINDS="dbrp_mappings" scripts/bench-refresh-v2.sh 1000
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
N="${1:-1000}"
say() { echo "bench-refresh-v2: $*" >&2; }

cargo build --quiet --bins
PROVIDER_DIR="$ROOT/target/debug"
TF="$(bash scripts/install-terraform.sh 1.15.5)"
WORK="$(mktemp -d -t bench-refresh-v2-XXXXXX)"
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
exec 3< <(exec "$PROVIDER_DIR/influxdb-sim" --product oss-v2 --listen 127.0.0.1:0)
SIM_PID=$!
read -r SIM_URL <&3
export TF_CLI_CONFIG_FILE="$WORK/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0
export INFLUX_HOST="$SIM_URL" INFLUX_TOKEN=sim-operator-token INFLUX_ORG=sim-org
unset TF_LOG TF_LOG_PROVIDER TF_CLI_ARGS TF_CLI_ARGS_plan TF_DATA_DIR

header='terraform {
  required_providers {
    influxdb = { source = "example.com/influxdata/influxdb" }
  }
}
provider "influxdb" {}
'
# One configuration per kind: N objects of it.
config() {
    case "$1" in
    authorizations)
        printf '%s\nresource "influxdb_authorization" "a" {\n  count       = %s\n  description = "bench ${count.index}"\n  permissions = [{ action = "read", resource = { type = "buckets" } }]\n}\n' "$header" "$N" ;;
    buckets)
        printf '%s\nresource "influxdb_bucket" "b" {\n  count = %s\n  name  = "bench-${count.index}"\n}\n' "$header" "$N" ;;
    dbrp_mappings)
        printf '%s\nresource "influxdb_bucket" "b" {\n  name = "bench-dbrp"\n}\n\nresource "influxdb_dbrp_mapping" "m" {\n  count     = %s\n  bucket_id = influxdb_bucket.b.id\n  database  = "bench-${count.index}"\n}\n' "$header" "$N" ;;
    v1_authorizations)
        printf '%s\nresource "influxdb_v1_authorization" "a" {\n  count       = %s\n  token       = "bench-${count.index}"\n  permissions = [{ action = "read", resource = { type = "buckets" } }]\n}\n' "$header" "$N" ;;
    tasks)
        printf '%s\nresource "influxdb_task" "t" {\n  count = %s\n  flux  = <<-EOT\n    option task = {name: "bench-${count.index}", every: 1h}\n\n    from(bucket: "raw")\n      |> range(start: -task.every)\n      |> to(bucket: "hourly")\n  EOT\n}\n' "$header" "$N" ;;
    *) say "unknown kind $1"; exit 2 ;;
    esac
}

for kind in ${KINDS:-authorizations buckets dbrp_mappings v1_authorizations tasks}; do
    mkdir -p "$WORK/$kind"
    config "$kind" > "$WORK/$kind/main.tf"
    cd "$WORK/$kind"
    say "applying $N $kind..."
    "$TF" apply -auto-approve -no-color -parallelism=20 > apply.log 2>&1 || { tail -30 apply.log >&2; exit 1; }
    curl -sf -X DELETE "$SIM_URL/__sim/requests" > /dev/null
    started=$EPOCHREALTIME
    "$TF" plan -no-color -detailed-exitcode > plan.log 2>&1 || { tail -30 plan.log >&2; exit 1; }
    secs=$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
    calls="$(curl -sf "$SIM_URL/__sim/requests" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(len(r), sorted({x["method"]+" "+x["path"] for x in r}))')"
    echo "refresh of $N $kind: $calls API calls per plan (plan took $secs s)"
done
