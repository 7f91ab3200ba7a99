//! `terraform test` on the example modules (their `tests/*.tftest.hcl`):
//! `examples/modules/database-with-tokens` (InfluxDB 3) and `examples/modules/bucket-with-tokens`
//! (InfluxDB OSS v2), run by the real Terraform 1.15.5 against the simulator, offline, as a user
//! would test their own module. `terraform test` needs Terraform 1.6 or later. Each module's test
//! file must pass, and must fail when the module is broken.

#[path = "support/sim.rs"]
mod sim;
#[path = "support/terraform.rs"]
mod terraform;

use sim::{SimProcess, V2_ORG_ID};
use terraform::{repo_root, Tf, Workspace};

const MODULE: &str = "examples/modules/database-with-tokens";
const TEST_FILE: &str = "tests/database_with_tokens.tftest.hcl";
const V2_MODULE: &str = "examples/modules/bucket-with-tokens";
const V2_TEST_FILE: &str = "tests/bucket_with_tokens.tftest.hcl";

/// The module and its test file, copied into a fresh workspace with the provider pointed at a
/// fresh simulator.
fn setup() -> (SimProcess, Workspace) {
    let sim = SimProcess::dedicated();
    let ws = module_workspace(&sim, MODULE, TEST_FILE);
    (sim, ws)
}

/// The same for `bucket-with-tokens`, against an OSS v2 simulator.
fn setup_v2() -> (SimProcess, Workspace) {
    let sim = SimProcess::oss_v2();
    let ws = module_workspace(&sim, V2_MODULE, V2_TEST_FILE);
    (sim, ws)
}

fn module_workspace(sim: &SimProcess, module: &str, test_file: &str) -> Workspace {
    let mut ws = Workspace::new(Tf::V1_15_5);
    ws.set_envs(sim.provider_env());
    let src = repo_root().join(module);
    for f in ["main.tf", "variables.tf", "outputs.tf", test_file] {
        let text = std::fs::read_to_string(src.join(f)).unwrap();
        ws.write(f, &text);
    }
    ws
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
    assert!(!out.combined().contains("apiv1_"), "no token string shown");
    // The first run created the database, the second renamed it in place (data kept); the
    // test's teardown destroyed everything.
    assert_eq!(
        sim.count_requests("POST", "/databases"),
        1,
        "one database created"
    );
    assert_eq!(
        sim.count_requests("PUT", "/rename"),
        1,
        "the rename is in place"
    );
    let state = sim.state();
    assert_eq!(state["databases"].as_array().unwrap().len(), 0, "{state}");
    let tokens = state["tokens"].as_array().unwrap();
    assert_eq!(tokens.len(), 3, "{state}");
    assert!(tokens.iter().all(|t| !t["revokedAt"].is_null()), "{state}");
}

/// The test file really checks the module: a module that gives writers too little fails it.
#[test]
fn the_modules_terraform_test_catches_a_broken_module() {
    let (_sim, ws) = setup();
    let broken = ws.read("main.tf").replace(
        "    { action = \"write\", resource = influxdb_database.this.name },\n",
        "",
    );
    assert_ne!(broken, ws.read("main.tf"), "the module was changed");
    ws.write("main.tf", &broken);
    let out = ws.terraform(&["test", "-no-color"]);
    out.assert_failure();
    assert!(
        out.combined()
            .contains("Writers can read and write the database."),
        "{}",
        out.combined()
    );
}

#[test]
fn the_bucket_modules_terraform_test_passes_against_the_simulator_and_cleans_up() {
    let (sim, ws) = setup_v2();
    let out = ws.terraform(&["test", "-no-color"]);
    out.assert_success();
    assert!(
        out.stdout.contains("Success! 2 passed, 0 failed."),
        "{}",
        out.stdout
    );
    // The first run created the bucket, the second renamed it and changed its retention in
    // place; the test's teardown deleted the tokens and the bucket.
    assert_eq!(
        sim.count_requests("POST", "/api/v2/buckets"),
        1,
        "one bucket created"
    );
    assert_eq!(
        sim.count_requests("POST", "/api/v2/authorizations"),
        2,
        "two tokens created, none replaced"
    );
    let patches = sim
        .calls()
        .iter()
        .filter(|(m, p)| m == "PATCH" && p.starts_with("/api/v2/buckets/"))
        .count();
    assert_eq!(patches, 1, "the rename and the retention are one PATCH");
    assert!(sim.v2_authorizations().is_empty(), "{}", sim.state());
    let buckets = sim
        .v2("GET", &format!("/buckets?orgID={V2_ORG_ID}"), None)
        .json();
    let names: Vec<_> = buckets["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(names, ["_monitoring", "_tasks"], "{buckets}");
}

/// The test file really checks the module: a writer that can only read fails it.
#[test]
fn the_bucket_modules_terraform_test_catches_a_broken_module() {
    let (_sim, ws) = setup_v2();
    let main = ws.read("main.tf");
    let broken = main.replacen(
        "{ action = \"write\", resource = { type = \"buckets\"",
        "{ action = \"read\", resource = { type = \"buckets\"",
        1,
    );
    assert_ne!(broken, main, "the module was changed");
    ws.write("main.tf", &broken);
    let out = ws.terraform(&["test", "-no-color"]);
    out.assert_failure();
    assert!(
        out.combined()
            .contains("The writer can write to the bucket and do nothing else."),
        "{}",
        out.combined()
    );
}

/// Applied as a root module: the next plan is empty, and the two sensitive outputs are the
/// working tokens of the two authorizations, hidden from the apply's output.
#[test]
fn the_bucket_module_applies_with_an_empty_next_plan_and_working_tokens() {
    let (sim, ws) = setup_v2();
    let vars = ["-var", "name=telemetry", "-var", "retention_period=30d"];
    let out = ws.apply(&vars);
    ws.plan_no_changes(&vars);
    let ids = ws.run(&["output", "-json", "token_ids"]);
    ids.assert_success();
    let ids: serde_json::Value = serde_json::from_str(&ids.stdout).expect("token_ids JSON");
    for role in ["writer", "reader"] {
        let token = ws.output_raw(&format!("{role}_token"));
        assert!(
            !out.combined().contains(&token),
            "the {role} token is not shown"
        );
        let (id, works) = sim
            .v2_authenticate(&token)
            .unwrap_or_else(|| panic!("the {role} token is unknown to the server"));
        assert_eq!(id, ids[role].as_str().unwrap_or_default(), "{role}");
        assert!(works, "the {role} token works");
    }
    let mut destroy = vec!["destroy", "-auto-approve"];
    destroy.extend_from_slice(&vars);
    ws.run(&destroy).assert_success();
    assert!(sim.v2_authorizations().is_empty(), "{}", sim.state());
}
