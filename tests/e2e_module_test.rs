//! `terraform test` on `examples/modules/database-with-tokens` (its `tests/*.tftest.hcl`), run by
//! the real Terraform 1.15.5 against the simulator, offline, as a user would test their own
//! module. `terraform test` needs Terraform 1.6 or later.

#[path = "support/sim.rs"]
mod sim;
#[path = "support/terraform.rs"]
mod terraform;

use sim::SimProcess;
use terraform::{repo_root, Tf, Workspace};

const MODULE: &str = "examples/modules/database-with-tokens";
const TEST_FILE: &str = "tests/database_with_tokens.tftest.hcl";

/// The module and its test file, copied into a fresh workspace with the provider pointed at a
/// fresh simulator.
fn setup() -> (SimProcess, Workspace) {
    let sim = SimProcess::dedicated();
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
