#!/usr/bin/env bash
# Builds the provider and lays out a release the way the Terraform Registry publishes one, plus a
# filesystem mirror that `terraform init` installs from (no registry, no dev_overrides):
#
#   dist/terraform-provider-influxdb_<VERSION>_linux_amd64.zip    holds terraform-provider-influxdb_v<VERSION>
#   dist/terraform-provider-influxdb_<VERSION>_manifest.json      terraform-registry-manifest.json: protocol 6.0
#   dist/terraform-provider-influxdb_<VERSION>_SHA256SUMS         `sha256sum -c` checks the two files above
#   dist/mirror/<HOSTNAME>/<NAMESPACE>/influxdb/terraform-provider-influxdb_<VERSION>_linux_amd64.zip
#                                                                 the "packed" filesystem-mirror layout
#
# The version comes from Cargo.toml, the source address (HOSTNAME/NAMESPACE/influxdb) from its
# [package.metadata.terraform] table. The zip is reproducible: fixed timestamp (SOURCE_DATE_EPOCH,
# or 1980-01-01), fixed permissions and compression, written by python3's zipfile (present on
# every machine, unlike `zip`), so the same binary always gives the same archive and hashes.
#
# Usage: scripts/release.sh [--profile release|debug] [--binary PATH] [--out DIR]
#   --profile release   (default) `cargo build --release`: stripped, fat LTO; minutes on 2 cores
#   --profile debug     `cargo build`: the debug binary, packaged the same way (demo, tests)
#   --binary PATH       package this already built binary instead of building one
#   --out DIR           write there instead of dist/
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

die() { echo "release: error: $*" >&2; exit 1; }

PROFILE=release
BINARY=""
OUT="$ROOT/dist"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --profile) PROFILE="${2:-}"; shift 2 || die "--profile needs a value" ;;
        --binary) BINARY="${2:-}"; shift 2 || die "--binary needs a value" ;;
        --out) OUT="${2:-}"; shift 2 || die "--out needs a value" ;;
        -h|--help) sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done
[[ "$PROFILE" == release || "$PROFILE" == debug ]] || die "--profile is release or debug, not '$PROFILE'"
case "$(uname -s)/$(uname -m)" in
    Linux/x86_64) PLATFORM=linux_amd64 ;;
    *) die "only linux_amd64 builds are made here; this is $(uname -s)/$(uname -m)" ;;
esac
command -v python3 >/dev/null 2>&1 || die "python3 is needed (it writes the zip and the checksums)"

NAME=terraform-provider-influxdb
CARGO="${CARGO:-cargo}"   # the cargo running us, under `cargo test`
# Version and source address from Cargo.toml, and the target directory, as cargo reads them.
read -r VERSION ADDRESS TARGET_DIR < <("$CARGO" metadata --no-deps --format-version 1 --offline 2>/dev/null \
    | python3 -c '
import json, sys
meta = json.load(sys.stdin)
pkg = next(p for p in meta["packages"] if p["name"] == "terraform-provider-influxdb")
address = ((pkg.get("metadata") or {}).get("terraform") or {}).get("source-address", "")
print(pkg["version"], address or "-", meta["target_directory"])
') || die "cargo metadata failed"
[[ -n "$VERSION" ]] || die "no version in Cargo.toml"
[[ "$ADDRESS" =~ ^[^/]+/[^/]+/influxdb$ ]] \
    || die "Cargo.toml [package.metadata.terraform] source-address must be HOSTNAME/NAMESPACE/influxdb, not '$ADDRESS'"

started=$SECONDS
if [[ -z "$BINARY" ]]; then
    if [[ "$PROFILE" == release ]]; then
        echo "release: cargo build --release (fat LTO: this takes minutes)" >&2
        "$CARGO" build --release --locked --bin "$NAME"
    else
        "$CARGO" build --locked --bin "$NAME"
    fi
    BINARY="$TARGET_DIR/$PROFILE/$NAME"
fi
[[ -x "$BINARY" ]] || die "no executable at $BINARY"
build_secs=$((SECONDS - started))

# The binary must say the version it is packaged as.
reported="$("$BINARY" --version)" || die "$BINARY --version failed"
[[ "$reported" == "$NAME $VERSION" ]] || die "$BINARY --version says '$reported', Cargo.toml says $VERSION"

ZIP="${NAME}_${VERSION}_${PLATFORM}.zip"
MANIFEST="${NAME}_${VERSION}_manifest.json"
SUMS="${NAME}_${VERSION}_SHA256SUMS"
MIRROR="$OUT/mirror/$ADDRESS"

mkdir -p "$OUT"
# Only what this script writes is replaced; other files in OUT are left alone.
rm -f "$OUT/${NAME}_"*"_${PLATFORM}.zip" "$OUT/${NAME}_"*_manifest.json "$OUT/${NAME}_"*_SHA256SUMS
rm -rf "$MIRROR"
mkdir -p "$MIRROR"

python3 - "$BINARY" "$OUT/$ZIP" "${NAME}_v${VERSION}" <<'PY'
import os, sys, time, zipfile
binary, out, member = sys.argv[1:4]
epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))  # 1980-01-01, zip's earliest
info = zipfile.ZipInfo(member, date_time=time.gmtime(max(epoch, 315532800))[:6])
info.create_system = 3                    # Unix, so that the mode below is honoured
info.external_attr = 0o100755 << 16       # a regular, executable file
info.compress_type = zipfile.ZIP_DEFLATED
with open(binary, "rb") as f:
    data = f.read()
tmp = out + ".tmp"
with zipfile.ZipFile(tmp, "w") as z:
    z.writestr(info, data, compresslevel=9)
os.replace(tmp, out)
PY
cp terraform-registry-manifest.json "$OUT/$MANIFEST"
cp "$OUT/$ZIP" "$MIRROR/$ZIP"

# SHA256SUMS in sha256sum's format, as the registry serves it.
(cd "$OUT" && python3 - "$ZIP" "$MANIFEST" > "$SUMS" <<'PY'
import hashlib, sys
for name in sorted(sys.argv[1:]):
    with open(name, "rb") as f:
        print(f"{hashlib.sha256(f.read()).hexdigest()}  {name}")
PY
)
if command -v sha256sum >/dev/null 2>&1; then
    (cd "$OUT" && sha256sum -c --quiet "$SUMS") || die "sha256sum -c failed on $OUT/$SUMS"
fi

echo "release: $NAME $VERSION ($PROFILE, $PLATFORM) for $ADDRESS, built in ${build_secs}s" >&2
for f in "$OUT/$ZIP" "$OUT/$MANIFEST" "$OUT/$SUMS" "$MIRROR/$ZIP"; do
    printf '  %10d  %s\n' "$(stat -c %s "$f")" "${f#"$ROOT"/}" >&2
done
cat >&2 <<EOF
To install from the mirror, in a CLI configuration file (~/.terraformrc or TF_CLI_CONFIG_FILE):
  provider_installation {
    filesystem_mirror {
      path    = "$OUT/mirror"
      include = ["$ADDRESS"]
    }
    direct {
      exclude = ["$ADDRESS"]
    }
  }
EOF
# The one line on stdout: the mirror directory, for scripts.
echo "$OUT/mirror"
