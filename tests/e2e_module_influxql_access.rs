//! `terraform test` on the example module `examples/modules/influxql-access` (a bucket, its
//! DBRP mapping and Grafana's v1 credentials), run by the real Terraform 1.15.5 against the
//! simulator's InfluxDB OSS v2 mode, offline, as a user would test their own module: its test
//! file passes and cleans up, fails when the module is broken, and the module applied as a root
//! module gives credentials that log in on `/query` with the database it outputs, the password
//! stored nowhere.

#[path = "support/sim.rs"]
mod sim;
#[path = "support/terraform.rs"]
mod terraform;

use sim::{SimProcess, V2_ORG_ID};
use terraform::{repo_root, Tf, Workspace};

const MODULE: &str = "examples/modules/influxql-access";
const TEST_FILE: &str = "tests/influxql_access.tftest.hcl";
const PASSWORD: &str = "grafana-Passw0rd-5e21";

fn setup() -> (SimProcess, Workspace) {
    let sim = SimProcess::oss_v2();
    let mut ws = Workspace::new(Tf::V1_15_5);
    ws.set_envs(sim.provider_env());
    let src = repo_root().join(MODULE);
    for f in ["main.tf", "variables.tf", "outputs.tf", TEST_FILE] {
        let text = std::fs::read_to_string(src.join(f)).unwrap();
        ws.write(f, &text);
    }
    (sim, ws)
}

#[test]
fn the_modules_terraform_test_passes_against_the_simulator_and_cleans_up() {
    let (sim, ws) = setup();
    let out = ws.terraform(&["test", "-no-color"]);
    out.assert_success();
    assert!(
        out.stdout.contains("Success! 2 passed, 0 failed."),
        "{}",
        out.stdout
    );
    assert!(
        !out.combined().contains("tftest-Passw0rd"),
        "no password shown"
    );
    // Created once; the second run sent one new password and changed the retention policy in
    // place; the teardown deleted everything.
    assert_eq!(
        sim.count_requests("POST", "/private/legacy/authorizations"),
        1
    );
    let passwords = sim
        .calls()
        .iter()
        .filter(|(m, p)| m == "POST" && p.ends_with("/password"))
        .count();
    assert_eq!(passwords, 2, "the first password and the new one");
    assert_eq!(sim.count_requests("POST", "/api/v2/dbrps"), 1);
    let state = sim.state();
    assert_eq!(state["dbrps"], serde_json::json!([]), "{state}");
    assert_eq!(state["legacy_authorizations"], serde_json::json!([]));
    let buckets = sim
        .v2("GET", &format!("/buckets?orgID={V2_ORG_ID}"), None)
        .json();
    assert_eq!(
        buckets["buckets"].as_array().map(Vec::len),
        Some(2),
        "{buckets}"
    );
}

/// The test file really checks the module: credentials that may write fail it.
#[test]
fn the_modules_terraform_test_catches_a_broken_module() {
    let (_sim, ws) = setup();
    let main = ws.read("main.tf");
    let broken = main.replacen(
        "{ action = \"read\", resource = { type = \"buckets\"",
        "{ action = \"write\", resource = { type = \"buckets\"",
        1,
    );
    assert_ne!(broken, main, "the module was changed");
    ws.write("main.tf", &broken);
    let out = ws.terraform(&["test", "-no-color"]);
    out.assert_failure();
    assert!(
        out.combined()
            .contains("Grafana can read the bucket and do nothing else."),
        "{}",
        out.combined()
    );
}

/// Applied as a root module: the next plan is empty, and Grafana's user name and password log
/// in on `/query` with the database the module outputs, with and without `rp`.
#[test]
fn the_module_applied_gives_grafana_a_working_login() {
    let (sim, mut ws) = setup();
    ws.set_env("TF_VAR_grafana_password", PASSWORD);
    let vars = ["-var", "bucket_name=telegraf"];
    let out = ws.apply(&vars);
    assert!(!out.combined().contains(PASSWORD));
    ws.plan_no_changes(&vars);
    assert!(!ws.read("terraform.tfstate").contains(PASSWORD));
    let user = ws.output_raw("grafana_user");
    let db = ws.output_raw("database");
    assert_eq!((user.as_str(), db.as_str()), ("grafana", "telegraf"));
    for rp in ["", "&rp=autogen"] {
        let path = format!("/query?u={user}&p={PASSWORD}&db={db}{rp}&q=SELECT%201");
        let a = sim.request_as("GET", &path, None, None);
        assert_eq!(a.status, 200, "{rp}: {}", a.body);
        assert!(!a.body.contains("error"), "{rp}: {}", a.body);
    }
    let wrong = format!("/query?u={user}&p=wrong-password&db={db}&q=SELECT%201");
    assert_eq!(sim.request_as("GET", &wrong, None, None).status, 401);
    let mut destroy = vec!["destroy", "-auto-approve"];
    destroy.extend_from_slice(&vars);
    ws.run(&destroy).assert_success();
    assert_eq!(sim.state()["legacy_authorizations"], serde_json::json!([]));
}
