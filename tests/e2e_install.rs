//! Installing the provider the way users do: `scripts/release.sh` packages the cargo-built binary
//! in the registry's layout and a filesystem mirror, and the real Terraform (1.0.3 and 1.15.5)
//! installs it with `terraform init` in a fresh directory whose CLI configuration holds only a
//! `filesystem_mirror`: no dev_overrides, a dependency lock file, a plan against the simulator.
//!
//! The release script runs with `--binary` (the test's debug build) so that tests do not pay for
//! a release build; everything after the build is the same code path as a real release.

#[path = "support/sim.rs"]
mod sim;
#[path = "support/terraform.rs"]
mod terraform;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use base64::Engine as _;
use sim::SimProcess;
use terraform::{hcl_escape, provider_block, Tf, Workspace, PROVIDER_SOURCE};

terraform::every_terraform!(
    terraform_init_installs_from_the_mirror_and_a_plan_works,
    the_lock_file_accepts_the_archive_hash_from_sha256sums_and_refuses_another,
);

const NAME: &str = "terraform-provider-influxdb";
const VERSION: &str = env!("CARGO_PKG_VERSION");

fn provider_binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_terraform-provider-influxdb"))
}

/// What `scripts/release.sh` wrote into a directory of its own.
struct Release {
    _dir: tempfile::TempDir,
    out: PathBuf,
}

impl Release {
    fn zip_name() -> String {
        format!("{NAME}_{VERSION}_linux_amd64.zip")
    }
    fn sums_name() -> String {
        format!("{NAME}_{VERSION}_SHA256SUMS")
    }
    fn manifest_name() -> String {
        format!("{NAME}_{VERSION}_manifest.json")
    }
    fn mirror(&self) -> PathBuf {
        self.out.join("mirror")
    }
    /// The `zh:` hash of the archive as SHA256SUMS states it (hex SHA-256 of the zip).
    fn zip_sha256_from_sums(&self) -> String {
        let sums = std::fs::read_to_string(self.out.join(Self::sums_name())).unwrap();
        let line = sums
            .lines()
            .find(|l| l.ends_with(&format!("  {}", Self::zip_name())))
            .unwrap_or_else(|| panic!("the archive is not in SHA256SUMS:\n{sums}"));
        line.split_whitespace().next().unwrap().to_owned()
    }
}

/// Runs `scripts/release.sh --binary <the test's provider> --out <fresh dir>`; panics with its
/// output if it fails.
fn run_release_script() -> Release {
    let dir = tempfile::Builder::new()
        .prefix("release-")
        .tempdir()
        .unwrap();
    let out = dir.path().join("dist");
    let res = Command::new("bash")
        .arg(terraform::repo_root().join("scripts/release.sh"))
        .arg("--binary")
        .arg(provider_binary())
        .arg("--out")
        .arg(&out)
        .env("CARGO", env!("CARGO"))
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("run scripts/release.sh");
    assert!(
        res.status.success(),
        "scripts/release.sh failed ({}):\n{}\n{}",
        res.status,
        String::from_utf8_lossy(&res.stdout),
        String::from_utf8_lossy(&res.stderr)
    );
    let printed = String::from_utf8_lossy(&res.stdout).trim().to_owned();
    assert_eq!(
        Path::new(&printed),
        out.join("mirror"),
        "stdout names the mirror"
    );
    Release { _dir: dir, out }
}

/// One release per test process (packaging a debug binary takes seconds).
fn release() -> &'static Release {
    static RELEASE: OnceLock<Release> = OnceLock::new();
    RELEASE.get_or_init(run_release_script)
}

fn sha256(bytes: &[u8]) -> Vec<u8> {
    aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, bytes)
        .as_ref()
        .to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Terraform's `h1:` hash (Go's dirhash Hash1) of a package holding only `binary` under the name
/// the registry layout requires, computed here from the binary itself: if the archive held
/// anything else, Terraform's hash of it would differ.
fn expected_h1(binary: &Path) -> String {
    let bytes = std::fs::read(binary).unwrap();
    let summary = format!("{}  {NAME}_v{VERSION}\n", hex(&sha256(&bytes)));
    format!(
        "h1:{}",
        base64::engine::general_purpose::STANDARD.encode(sha256(summary.as_bytes()))
    )
}

/// The `hashes` of the provider's entry in a `.terraform.lock.hcl`, sorted.
fn locked_hashes(lock: &str) -> Vec<String> {
    let entry = lock
        .split_once(&format!(
            "provider \"registry.terraform.io/{PROVIDER_SOURCE}\""
        ))
        .or_else(|| lock.split_once(&format!("provider \"{PROVIDER_SOURCE}\"")))
        .unwrap_or_else(|| panic!("no entry for {PROVIDER_SOURCE} in the lock file:\n{lock}"))
        .1;
    assert!(
        entry.contains(&format!("version = \"{VERSION}\"")),
        "the lock file does not select {VERSION}:\n{lock}"
    );
    let list = entry
        .split_once("hashes = [")
        .and_then(|(_, rest)| rest.split_once(']'))
        .unwrap_or_else(|| panic!("no hashes in the lock file:\n{lock}"))
        .0;
    let mut hashes: Vec<String> = list
        .split(',')
        .map(|h| h.trim().trim_matches('"').to_owned())
        .filter(|h| !h.is_empty())
        .collect();
    hashes.sort();
    hashes
}

/// A workspace whose CLI configuration is only a filesystem mirror: the user's setup for an
/// air-gapped or private installation.
fn mirror_workspace(tf: Tf, mirror: &Path) -> Workspace {
    let config = format!(
        "provider_installation {{\n  filesystem_mirror {{\n    path = \"{}\"\n  }}\n}}\n",
        hcl_escape(&mirror.to_string_lossy())
    );
    Workspace::with_cli_config(tf, &config)
}

fn terraform_init_installs_from_the_mirror_and_a_plan_works(tf: Tf) {
    let rel = release();
    let sim = SimProcess::dedicated();
    let created = sim.api(
        "POST",
        "/databases",
        Some(r#"{"name":"sensors","retentionPeriod":2592000000000000}"#),
    );
    assert!(created.status < 300, "seed database: {}", created.body);

    let mut ws = mirror_workspace(tf, &rel.mirror());
    ws.set_envs(sim.provider_env());
    ws.write(
        "main.tf",
        &format!(
            "{}\n\
             data \"influxdb_database\" \"sensors\" {{\n  name = \"sensors\"\n}}\n\n\
             resource \"influxdb_database\" \"metrics\" {{\n  name = \"metrics\"\n}}\n\n\
             output \"sensors_retention\" {{\n  value = data.influxdb_database.sensors.retention_period\n}}\n",
            provider_block("")
        ),
    );

    let init = ws.terraform(&["init", "-no-color", "-input=false"]);
    init.assert_success();
    let said = init.combined();
    assert!(
        said.contains(&format!("Installed {PROVIDER_SOURCE} v{VERSION}")),
        "init did not install the provider from the mirror:\n{said}"
    );
    let installed = ws.path().join(format!(
        ".terraform/providers/{PROVIDER_SOURCE}/{VERSION}/linux_amd64/{NAME}_v{VERSION}"
    ));
    assert_eq!(
        std::fs::read(&installed).unwrap_or_else(|e| panic!("{}: {e}", installed.display())),
        std::fs::read(provider_binary()).unwrap(),
        "the installed plugin is the packaged binary"
    );

    // The lock file records the archive's hash, as Terraform computes it from the package.
    let lock = ws.read(".terraform.lock.hcl");
    let hashes = locked_hashes(&lock);
    assert_eq!(hashes, vec![expected_h1(provider_binary())], "{lock}");

    // `terraform providers lock` against the same mirror agrees, in another fresh directory
    // (no CLI configuration at all: -fs-mirror is the only source).
    let other = Workspace::with_cli_config(tf, "");
    other.write("main.tf", &provider_block(""));
    let mirror = rel.mirror();
    let fs_mirror = format!("-fs-mirror={}", mirror.display());
    other
        .terraform(&[
            "providers",
            "lock",
            "-no-color",
            &fs_mirror,
            "-platform=linux_amd64",
        ])
        .assert_success();
    assert_eq!(locked_hashes(&other.read(".terraform.lock.hcl")), hashes);

    // A plan works: the installed provider runs, reads from the simulator and plans a create.
    let plan = ws.terraform(&["plan", "-no-color", "-input=false", "-detailed-exitcode"]);
    plan.assert_code(2);
    let out = plan.combined();
    assert!(
        out.contains("influxdb_database.metrics will be created"),
        "{out}"
    );
    assert!(out.contains("sensors_retention = \"30d\""), "{out}");
    assert!(
        !out.contains("overrides") && !out.contains("Warning"),
        "a mirror installation must not warn:\n{out}"
    );
    assert!(
        sim.count_requests("GET", "/databases") >= 1,
        "the data source never read from the simulator: {:?}",
        sim.requests()
    );
}

/// A registry installation records the `zh:` hash of the archive (from SHA256SUMS) in the lock
/// file; a team's lock file made that way must accept the archive from the mirror too, and a
/// lock file naming another archive must stop `terraform init`.
fn the_lock_file_accepts_the_archive_hash_from_sha256sums_and_refuses_another(tf: Tf) {
    let rel = release();
    let zh = rel.zip_sha256_from_sums();
    assert_eq!(
        zh,
        hex(&sha256(
            &std::fs::read(rel.out.join(Release::zip_name())).unwrap()
        ))
    );
    let lock_with = |hash: &str| {
        format!("provider \"{PROVIDER_SOURCE}\" {{\n  version = \"{VERSION}\"\n  hashes = [\n    \"{hash}\",\n  ]\n}}\n")
    };

    let ws = mirror_workspace(tf, &rel.mirror());
    ws.write("main.tf", &provider_block(""));
    ws.write(".terraform.lock.hcl", &lock_with(&format!("zh:{zh}")));
    ws.terraform(&["init", "-no-color", "-input=false"])
        .assert_success();
    let hashes = locked_hashes(&ws.read(".terraform.lock.hcl"));
    assert!(hashes.contains(&format!("zh:{zh}")), "{hashes:?}");
    assert!(
        hashes.contains(&expected_h1(provider_binary())),
        "{hashes:?}"
    );

    let other = mirror_workspace(tf, &rel.mirror());
    other.write("main.tf", &provider_block(""));
    let wrong = format!("zh:{}", hex(&sha256(b"another archive")));
    other.write(".terraform.lock.hcl", &lock_with(&wrong));
    let init = other.terraform(&["init", "-no-color", "-input=false"]);
    init.assert_failure();
    // Terraform wraps its messages at 78 columns.
    let said = init
        .combined()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        said.contains("doesn't match any of the checksums previously recorded"),
        "{said}"
    );
}

#[test]
fn the_release_has_the_registry_layout_and_sha256sum_checks_it() {
    let rel = release();
    let mut files: Vec<String> = std::fs::read_dir(&rel.out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut expected = vec![
        Release::sums_name(),
        Release::zip_name(),
        Release::manifest_name(),
        "mirror".to_owned(),
    ];
    expected.sort();
    assert_eq!(files, expected);

    let check = Command::new("sha256sum")
        .args(["-c", &Release::sums_name()])
        .current_dir(&rel.out)
        .output()
        .expect("run sha256sum");
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "sha256sum -c failed:\n{said}");
    assert!(
        said.contains(&format!("{}: OK", Release::zip_name())),
        "{said}"
    );
    assert!(
        said.contains(&format!("{}: OK", Release::manifest_name())),
        "{said}"
    );

    // The manifest says protocol 6.0, as the registry expects, and is the repository's.
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(rel.out.join(Release::manifest_name())).unwrap())
            .unwrap();
    assert_eq!(manifest["version"], 1);
    assert_eq!(
        manifest["metadata"]["protocol_versions"],
        serde_json::json!(["6.0"])
    );
    assert_eq!(
        std::fs::read(rel.out.join(Release::manifest_name())).unwrap(),
        std::fs::read(terraform::repo_root().join("terraform-registry-manifest.json")).unwrap()
    );

    // The mirror holds the same archive in the packed layout HOSTNAME/NAMESPACE/TYPE/.
    assert_eq!(
        std::fs::read(rel.mirror().join(PROVIDER_SOURCE).join(Release::zip_name())).unwrap(),
        std::fs::read(rel.out.join(Release::zip_name())).unwrap()
    );
}

#[test]
fn the_archive_is_reproducible() {
    let first = release();
    let second = run_release_script();
    assert_eq!(
        std::fs::read(first.out.join(Release::zip_name())).unwrap(),
        std::fs::read(second.out.join(Release::zip_name())).unwrap(),
        "two packagings of the same binary differ"
    );
    assert_eq!(
        std::fs::read(first.out.join(Release::sums_name())).unwrap(),
        std::fs::read(second.out.join(Release::sums_name())).unwrap()
    );
}

#[test]
fn version_prints_the_cargo_version_and_a_bare_run_still_explains() {
    let out = Command::new(provider_binary())
        .arg("--version")
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("{NAME} {VERSION}\n")
    );

    // Without Terraform's magic cookie the binary explains itself, as go-plugin servers do.
    let bare = Command::new(provider_binary())
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .output()
        .unwrap();
    assert_eq!(bare.status.code(), Some(1));
    assert!(bare.stdout.is_empty());
    let said = String::from_utf8_lossy(&bare.stderr);
    assert!(said.contains("is a Terraform provider plugin"), "{said}");
    assert!(said.contains(PROVIDER_SOURCE), "{said}");
}
