#!/usr/bin/env bash
# Start-up benchmark, ours vs. a Go terraform-plugin-framework provider, in one run:
# exec-to-handshake time (median, p90) and VmHWM/VmRSS at the handshake (MiB), with the ratios
# ours/go and the targets (time <= 0.15x, memory <= 0.35x).
#
#   scripts/bench-handshake.sh [--runs N] [--warmup N]
#
# Installs the Go reference provider (PyPI, scripts/install-go-reference-provider.sh), builds our
# release binary, then runs examples/bench_handshake.rs. Exits non-zero only if a step or a
# measurement fails; missing a target is reported, not an error.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

GO_BIN="$(bash scripts/install-go-reference-provider.sh)"
echo "bench-handshake: building the release binary..." >&2
cargo build --release --quiet --bin terraform-provider-influxdb
OURS="$ROOT/target/release/terraform-provider-influxdb"
[[ -x "$OURS" ]] || { echo "bench-handshake: $OURS missing after build" >&2; exit 1; }
echo "bench-handshake: building the measuring harness..." >&2
cargo build --quiet --example bench_handshake
exec "$ROOT/target/debug/examples/bench_handshake" --ours "$OURS" --go "$GO_BIN" "$@"
