#!/usr/bin/env bash
# The main job on a fresh machine: build the provider, start the local Management API simulator,
# `terraform apply` the demo configuration with the real Terraform 1.15.5 (what users run today), and show the result.
# Leaves the working directory in .demo/ (state included); run it again to see an empty plan,
# or `scripts/demo.sh destroy` to revoke everything.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "Building the provider and the simulator"
cargo build --bins
TF="$(bash scripts/install-terraform.sh 1.15.5)"

DEMO="$ROOT/.demo"
mkdir -p "$DEMO/work"
cp examples/demo/main.tf "$DEMO/work/main.tf"
rm -rf "$DEMO/work/modules" && mkdir -p "$DEMO/work/modules" && cp -r examples/modules/database-with-tokens "$DEMO/work/modules/"
cat > "$DEMO/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "example.com/influxdata/influxdb" = "$ROOT/target/debug"
  }
  direct {}
}
RC

step "Starting the Management API simulator (Cloud Dedicated, state in .demo/sim-state.json)"
MGMT_TOKEN="demo-management-token-$(date +%s)"
exec 3< <(exec ./target/debug/influxdb3-mgmt-sim --listen 127.0.0.1:0 --product dedicated \
    --management-token "$MGMT_TOKEN" --state "$DEMO/sim-state.json")
SIM_PID=$!
trap 'kill "$SIM_PID" 2>/dev/null || true' EXIT
read -r SIM_URL <&3
echo "simulator at $SIM_URL"

export TF_CLI_CONFIG_FILE="$DEMO/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
export INFLUXDB3_URL="$SIM_URL" INFLUXDB3_MANAGEMENT_TOKEN="$MGMT_TOKEN"
export INFLUXDB3_ACCOUNT_ID=11111111-1111-4111-8111-111111111111
export INFLUXDB3_CLUSTER_ID=22222222-2222-4222-8222-222222222222
unset TF_LOG TF_LOG_PATH
cd "$DEMO/work"
"$TF" get >/dev/null

if [[ "${1:-}" == "destroy" ]]; then
    step "terraform destroy"
    "$TF" destroy -auto-approve
    exit 0
fi

step "terraform apply"
"$TF" apply -auto-approve

step "The result: Terraform's outputs (access tokens are sensitive and shown as such)"
"$TF" output

step "The tokens as the Management API lists them (it never returns access tokens again)"
curl -s -H "Authorization: Bearer $MGMT_TOKEN" -H "Accept: application/json" \
    "$SIM_URL/api/v0/accounts/$INFLUXDB3_ACCOUNT_ID/clusters/$INFLUXDB3_CLUSTER_ID/tokens" \
    | python3 -m json.tool

step "terraform plan right after apply: nothing to do"
"$TF" plan -detailed-exitcode && echo "No changes (exit code 0)."
