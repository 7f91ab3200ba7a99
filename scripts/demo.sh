#!/usr/bin/env bash
# The main job on a fresh machine: build the provider, package it with scripts/release.sh into a
# filesystem mirror, install it from there with `terraform init` (the way users install providers:
# a dependency lock file, no dev_overrides), start the local Management API simulator,
# `terraform apply` the demo configuration with the real Terraform 1.15.5 (the newest tested), and
# show the result.
# Leaves the working directory in .demo/ (state included); run it again to see an empty plan,
# or `scripts/demo.sh destroy` to revoke everything.
# The package holds the debug build (a release build takes minutes); DEMO_PROFILE=release packages
# a release build instead.
# DEMO_PRODUCT=core (or `scripts/demo.sh core [destroy]`) runs the demo on InfluxDB 3 Core
# instead: examples/demo/core/main.tf (named admin tokens, a database and a table) against the
# simulator's Core mode, which keeps its state in memory, so each run starts from an empty
# server (in .demo-core/).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

# `scripts/demo.sh v1`: the InfluxDB 1.x demo against a real influxd (scripts/demo-v1.sh).
if [[ "${1:-}" == "v1" ]]; then
    shift
    exec bash "$ROOT/scripts/demo-v1.sh" "$@"
fi

PRODUCT="${DEMO_PRODUCT:-dedicated}"
if [[ "${1:-}" == "core" || "${1:-}" == "enterprise" ]]; then
    PRODUCT="$1"
    shift
fi

step "Building the provider and the simulator"
cargo build --bins
TF="$(bash scripts/install-terraform.sh 1.15.5)"
SOURCE=example.com/influxdata/influxdb

DEMO="$ROOT/.demo"
[[ "$PRODUCT" != dedicated ]] && DEMO="$ROOT/.demo-$PRODUCT"
mkdir -p "$DEMO/work"

step "Packaging the provider as a release, into the filesystem mirror .demo/dist/mirror"
MIRROR="$(bash scripts/release.sh --profile "${DEMO_PROFILE:-debug}" --out "$DEMO/dist")"
SUMS="$(echo "$DEMO"/dist/terraform-provider-influxdb_*_SHA256SUMS)"

if [[ "$PRODUCT" == dedicated ]]; then
    cp examples/demo/main.tf "$DEMO/work/main.tf"
else
    cp examples/demo/core/main.tf "$DEMO/work/main.tf"
    # The simulator's Core mode starts empty: so does the state.
    rm -f "$DEMO/work/terraform.tfstate" "$DEMO/work/terraform.tfstate.backup"
fi
rm -rf "$DEMO/work/modules" && mkdir -p "$DEMO/work/modules" && cp -r examples/modules/database-with-tokens "$DEMO/work/modules/"
# The CLI configuration a user writes for a private mirror: our provider from the mirror, any
# other from its registry.
cat > "$DEMO/terraformrc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$MIRROR"
    include = ["$SOURCE"]
  }
  direct {
    exclude = ["$SOURCE"]
  }
}
RC
# A rebuild from changed sources is a new package under the same version, which the lock file of
# an earlier run rightly refuses; a real release bumps the version. Start the lock afresh then.
if [[ -f "$DEMO/work/.terraform.lock.hcl" ]] && ! cmp -s "$SUMS" "$DEMO/packaged.SHA256SUMS"; then
    echo "The provider package changed since the last run: removing the old lock file."
    rm -rf "$DEMO/work/.terraform.lock.hcl" "$DEMO/work/.terraform/providers"
fi
cp "$SUMS" "$DEMO/packaged.SHA256SUMS"

if [[ "$PRODUCT" == dedicated ]]; then
    step "Starting the Management API simulator (Cloud Dedicated, state in .demo/sim-state.json)"
    MGMT_TOKEN="demo-management-token-$(date +%s)"
    exec 3< <(exec ./target/debug/influxdb-sim --listen 127.0.0.1:0 --product dedicated \
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
else
    step "Starting the InfluxDB 3 ${PRODUCT^} simulator (state in memory)"
    ADMIN_TOKEN="apiv3_demo-operator-token-$(date +%s)"
    exec 3< <(exec ./target/debug/influxdb-sim --listen 127.0.0.1:0 --product "$PRODUCT" \
        --token "$ADMIN_TOKEN")
    SIM_PID=$!
    trap 'kill "$SIM_PID" 2>/dev/null || true' EXIT
    read -r SIM_URL <&3
    echo "simulator at $SIM_URL"
    export TF_CLI_CONFIG_FILE="$DEMO/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
    export INFLUXDB3_HOST_URL="$SIM_URL" INFLUXDB3_AUTH_TOKEN="$ADMIN_TOKEN"
    unset TF_LOG TF_LOG_PATH
fi
cd "$DEMO/work"

step "terraform init: installs the provider from the mirror and records its checksum"
"$TF" init -input=false
echo
cat .terraform.lock.hcl

if [[ "${1:-}" == "destroy" ]]; then
    step "terraform destroy"
    "$TF" destroy -auto-approve
    exit 0
fi

step "terraform apply"
"$TF" apply -auto-approve

step "The result: Terraform's outputs (access tokens are sensitive and shown as such)"
"$TF" output

if [[ "$PRODUCT" == dedicated ]]; then
    step "The tokens as the Management API lists them (it never returns access tokens again)"
    curl -s -H "Authorization: Bearer $MGMT_TOKEN" -H "Accept: application/json" \
        "$SIM_URL/api/v0/accounts/$INFLUXDB3_ACCOUNT_ID/clusters/$INFLUXDB3_CLUSTER_ID/tokens" \
        | python3 -m json.tool
else
    step "The tokens as system.tokens lists them (the server never shows a token string again)"
    curl -s -H "Authorization: Bearer $ADMIN_TOKEN" \
        "$SIM_URL/api/v3/query_sql?db=_internal&format=json&q=SELECT%20token_id,name,created_at,expiry%20FROM%20system.tokens" \
        | python3 -m json.tool
fi

step "terraform plan right after apply: nothing to do"
"$TF" plan -detailed-exitcode && echo "No changes (exit code 0)."
