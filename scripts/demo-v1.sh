#!/usr/bin/env bash
# `scripts/demo.sh v1`: the InfluxDB 1.x demo against a real server. Installs Debian's influxd
# (scripts/install-influxdb1.sh) and starts it on free loopback ports with authentication on and
# its data in .demo-v1/influxd (each run starts from an empty server), packages the provider into
# a filesystem mirror and installs it with `terraform init` as users do, applies
# examples/demo/v1/main.tf with the real Terraform 1.15.5 (a database with two retention
# policies, two application users with write-only passwords and grants, a continuous query),
# shows the server's own view (SHOW ...), checks that the application's password signs in, and
# shows an empty plan. The server is stopped at the end.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "Building the provider"
cargo build --bins
TF="$(bash scripts/install-terraform.sh 1.15.5)"
SOURCE=example.com/influxdata/influxdb
DEMO="$ROOT/.demo-v1"
rm -rf "$DEMO/work" "$DEMO/influxd"
mkdir -p "$DEMO/work" "$DEMO/influxd"

step "Installing InfluxDB 1.x (Debian's influxdb package)"
INFLUXD="$(bash scripts/install-influxdb1.sh | tail -n1)"
"$INFLUXD" version

step "Packaging the provider as a release, into the filesystem mirror .demo-v1/dist/mirror"
MIRROR="$(bash scripts/release.sh --profile "${DEMO_PROFILE:-debug}" --out "$DEMO/dist")"
cp examples/demo/v1/main.tf "$DEMO/work/main.tf"
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

step "Starting influxd on loopback (auth enabled, data in .demo-v1/influxd)"
source scripts/start-influxdb1.sh
ADMIN=admin
ADMIN_PW="demo-admin-$(date +%s)"
start_influxd1 "$INFLUXD" "$DEMO/influxd" "$ADMIN" "$ADMIN_PW"
INFLUXD_PID="$INFLUXD1_PID"
trap 'kill "$INFLUXD_PID" 2>/dev/null || true' EXIT
URL="$INFLUXD1_URL"
echo "influxd at $URL"
echo "first admin user \"$ADMIN\" created"

export TF_CLI_CONFIG_FILE="$DEMO/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
export INFLUXDB_URL="$URL" INFLUXDB_USERNAME="$ADMIN" INFLUXDB_PASSWORD="$ADMIN_PW"
export TF_VAR_app_password="app-$(date +%s)-pw"
unset TF_LOG TF_LOG_PATH
cd "$DEMO/work"

step "terraform init: installs the provider from the mirror"
"$TF" init -input=false

step "terraform apply"
"$TF" apply -auto-approve

q() { curl -s -u "$ADMIN:$ADMIN_PW" "$URL/query" --data-urlencode "q=$1" | python3 -m json.tool; }
step "The server's own view: SHOW DATABASES; SHOW RETENTION POLICIES ON metrics"
q 'SHOW DATABASES; SHOW RETENTION POLICIES ON "metrics"'
step "SHOW USERS; SHOW GRANTS FOR telegraf; SHOW GRANTS FOR grafana"
q 'SHOW USERS; SHOW GRANTS FOR "telegraf"; SHOW GRANTS FOR "grafana"'
step "SHOW CONTINUOUS QUERIES (the server's rewrite of the query)"
q 'SHOW CONTINUOUS QUERIES'

step "The application user signs in with its password (never stored in the state)"
curl -s -o /dev/null -w 'telegraf: HTTP %{http_code}\n' -u "telegraf:$TF_VAR_app_password" "$URL/query" --data-urlencode 'q=SHOW DATABASES'
if grep -q "$TF_VAR_app_password" terraform.tfstate; then echo "the password is in the state!" >&2; exit 1; fi
echo "the password is in no state file"

step "terraform plan right after apply: nothing to do"
"$TF" plan -detailed-exitcode && echo "No changes (exit code 0)."
