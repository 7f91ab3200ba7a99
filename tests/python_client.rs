//! InfluxData's official Python client (`influxdb-client` 1.50.0, generated from the v2 OpenAPI)
//! against the simulator: `tests/python/influxdb_client_scenario.py` creates, finds, updates and
//! deletes organizations, buckets, users (with passwords), organization members,
//! authorizations, tasks, secrets and DBRP mappings, and checks every answer against what
//! InfluxDB OSS 2.7 answers. The client shares nothing with the provider nor with the
//! simulator, so this checks the simulator's fidelity independently of the provider's own tests.
//!
//! The client lives in a virtual environment that `scripts/install-python-client.sh` makes
//! under `.tools/` (`scripts/test.sh` runs it first). Without it these tests FAIL, never skip.

#[path = "support/sim.rs"]
mod sim;

use std::path::PathBuf;
use std::process::{Command, Output};

use sim::{SimProcess, V2_ORG, V2_TOKEN};

const SCENARIO: &str = "tests/python/influxdb_client_scenario.py";

/// The interpreter of the client's virtual environment; panics, saying how to make it, when
/// it is missing.
fn client_python() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let python = root.join(".tools/influxdb-client-1.50.0/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run scripts/install-python-client.sh (scripts/test.sh does) to install \
         influxdb-client 1.50.0 from PyPI",
        python.display()
    );
    python
}

/// Runs the scenario against `sim` with the operator token.
fn run_scenario(sim: &SimProcess) -> Output {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    Command::new(client_python())
        .arg(root.join(SCENARIO))
        .args([sim.url.as_str(), V2_TOKEN, V2_ORG])
        // An ambient proxy must not stand between the client and the local simulator.
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .unwrap_or_else(|e| panic!("spawn the client's python: {e}"))
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn the_official_python_client_scenario_passes_against_the_oss_v2_simulator() {
    let sim = SimProcess::oss_v2();
    let out = run_scenario(&sim);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(
        out.status.success(),
        "the influxdb-client scenario failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    assert!(
        stdout.contains("every check holds"),
        "stdout: {stdout}\nstderr: {stderr}"
    );
    // The scenario went through every call it is about (so a script that stopped early, or
    // skipped a part, cannot pass).
    let calls = sim.calls();
    // `*` is one path segment (an ID).
    let matches = |pattern: &str, path: &str| {
        let (p, q): (Vec<_>, Vec<_>) = (pattern.split('/').collect(), path.split('/').collect());
        p.len() == q.len() && p.iter().zip(&q).all(|(a, b)| *a == "*" || a == b)
    };
    for (method, pattern) in [
        ("POST", "/api/v2/orgs"),
        ("PATCH", "/api/v2/orgs/*"),
        ("DELETE", "/api/v2/orgs/*"),
        ("POST", "/api/v2/orgs/*/members"),
        ("DELETE", "/api/v2/orgs/*/members/*"),
        ("POST", "/api/v2/buckets"),
        ("PATCH", "/api/v2/buckets/*"),
        ("DELETE", "/api/v2/buckets/*"),
        ("POST", "/api/v2/users"),
        ("PATCH", "/api/v2/users/*"),
        ("POST", "/api/v2/users/*/password"),
        ("DELETE", "/api/v2/users/*"),
        ("POST", "/api/v2/authorizations"),
        ("PATCH", "/api/v2/authorizations/*"),
        ("DELETE", "/api/v2/authorizations/*"),
        ("POST", "/api/v2/tasks"),
        ("PATCH", "/api/v2/tasks/*"),
        ("DELETE", "/api/v2/tasks/*"),
        ("PATCH", "/api/v2/orgs/*/secrets"),
        ("DELETE", "/api/v2/orgs/*/secrets/*"),
        ("POST", "/api/v2/orgs/*/secrets/delete"),
        ("POST", "/api/v2/dbrps"),
        ("GET", "/api/v2/dbrps"),
        ("GET", "/api/v2/dbrps/*"),
        ("PATCH", "/api/v2/dbrps/*"),
        ("DELETE", "/api/v2/dbrps/*"),
    ] {
        assert!(
            calls
                .iter()
                .any(|(m, p)| m == method && matches(pattern, p)),
            "the scenario never sent {method} {pattern}: {calls:?}"
        );
    }
    assert!(
        calls.len() >= 50,
        "the scenario made only {} calls: {calls:?}",
        calls.len()
    );
    // The only authorization left is the one of the deleted user, which the server keeps.
    let left: Vec<_> = sim.v2_authorizations();
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(
        !stdout.contains(V2_TOKEN) && !stderr.contains(V2_TOKEN),
        "the token is never printed"
    );
}

/// The scenario really checks what it is told: against Cloud Serverless, which does not say it
/// is OSS, shows no shard-group duration and has no users, it reports the first mismatch and
/// exits non-zero.
#[test]
fn the_scenario_reports_a_mismatch_and_fails_against_another_server() {
    let sim = SimProcess::start(&["--product", "cloud-serverless"]);
    let out = run_scenario(&sim);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("MISMATCH: X-Influxdb-Build of /ping: got 'cloud', want 'oss'"),
        "{stderr}"
    );
}
