#!/usr/bin/env bash
# Installs a real InfluxDB 1.x server for the InfluxDB 1.x end-to-end tests: Debian's `influxdb`
# package (1.6.7), with apt-get. Prints the path of `influxd`.
#
#   scripts/install-influxdb1.sh        # -> /usr/bin/influxd
#
# The tests (tests/support/influxd.rs) start their own `influxd` on free loopback ports with
# a temporary data directory; the package's own service is never left running: service starts
# are refused while the package is installed (policy-rc.d), and any influxd the package
# started anyway is stopped by its pid file.
#
# Idempotent: when `influxd` is already on the PATH (or in /usr/bin), nothing is installed.
# `apt-get update` runs only when the package is not known to apt yet. Needs root (or sudo).
set -euo pipefail

die() { echo "install-influxdb1: error: $*" >&2; exit 1; }

found() {
    command -v influxd 2>/dev/null || { [[ -x /usr/bin/influxd ]] && echo /usr/bin/influxd; }
}

if path="$(found)"; then
    echo "$path"
    exit 0
fi

SUDO=""
if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null 2>&1 || die "influxd is not installed and installing it needs root (or sudo)"
    SUDO="sudo -n"
fi
command -v apt-get >/dev/null 2>&1 || die "influxd is not installed and this machine has no apt-get; install InfluxDB 1.x (the influxdb package) by hand"

LOG="$(mktemp "${TMPDIR:-/tmp}/install-influxdb1.XXXXXX")"
POLICY_BACKUP=""
restore_policy() {
    if [[ -n "$POLICY_BACKUP" ]]; then
        $SUDO mv -f "$POLICY_BACKUP" /usr/sbin/policy-rc.d
    elif [[ -n "${POLICY_ADDED:-}" ]]; then
        $SUDO rm -f /usr/sbin/policy-rc.d
    fi
    rm -f "$LOG"
}
trap restore_policy EXIT

# Refuse service starts during the install (exit 101 = "action forbidden", see invoke-rc.d).
if [[ -e /usr/sbin/policy-rc.d ]]; then
    POLICY_BACKUP="$(mktemp /usr/sbin/.policy-rc.d.XXXXXX 2>/dev/null || echo /tmp/policy-rc.d.$$)"
    $SUDO cp -p /usr/sbin/policy-rc.d "$POLICY_BACKUP"
fi
printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
$SUDO chmod 755 /usr/sbin/policy-rc.d
POLICY_ADDED=1

export DEBIAN_FRONTEND=noninteractive
if ! apt-cache show influxdb >/dev/null 2>&1; then
    $SUDO apt-get update >"$LOG" 2>&1 || { cat "$LOG" >&2; die "apt-get update failed"; }
fi
# A concurrent apt run holds the lock: wait for it rather than fail.
$SUDO apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends influxdb >"$LOG" 2>&1 \
    || { cat "$LOG" >&2; die "apt-get install influxdb failed"; }

# A system service the package may have started anyway (no policy-rc.d honoured): stop it by
# its pid file only.
for pidfile in /var/run/influxdb/influxd.pid /run/influxdb/influxd.pid; do
    if [[ -s "$pidfile" ]]; then
        $SUDO kill "$(cat "$pidfile")" 2>/dev/null || true
    fi
done

path="$(found)" || die "the influxdb package is installed but influxd is not found"
echo "$path"
