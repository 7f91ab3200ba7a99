//! `influxdb_secret` end to end: the real Terraform, in human output mode, against the
//! simulator's InfluxDB OSS v2 mode, which keeps a hash of each value and tells whether a
//! candidate is the value (`POST /__sim/secret`), so the tests prove what arrived without the
//! value ever being readable. Write-only attributes need Terraform 1.11, so the scenarios run
//! under 1.15.5; under 1.0.3 the refusal is clear.

#[path = "support/sim.rs"]
mod sim;
#[path = "support/terraform.rs"]
mod terraform;

use serde_json::json;
use sim::{SimProcess, V2_ORG_ID};
use terraform::{provider_block, Tf, Workspace};

const VALUE: &str = "wo-secret-value-5c9e1f";
const NEW_VALUE: &str = "wo-secret-rotated-7ab204";
const HAND_MADE: &str = "wo-secret-by-hand-31d7";

fn setup(tf: Tf) -> (SimProcess, Workspace) {
    let sim = SimProcess::oss_v2();
    let ws = Workspace::with_env(tf, sim.provider_env());
    (sim, ws)
}

/// The configuration; the value comes from an ephemeral variable (`TF_VAR_v`), so that
/// neither the configuration nor a saved plan holds it.
fn secret(key: &str, version: Option<u32>) -> String {
    let version = version
        .map(|v| format!("  value_wo_version = {v}\n"))
        .unwrap_or_default();
    format!(
        "{}\nvariable \"v\" {{\n  type      = string\n  sensitive = true\n  ephemeral = true\n}}\n\nresource \"influxdb_secret\" \"s\" {{\n  key      = \"{key}\"\n  value_wo = var.v\n{version}}}\n",
        provider_block("")
    )
}

/// Whether the org keeps `value` under `key` (`None`: no such key).
fn holds(sim: &SimProcess, key: &str, value: &str) -> Option<bool> {
    let body = json!({"org_id": V2_ORG_ID, "key": key, "value": value}).to_string();
    let a = sim.request("POST", "/__sim/secret", Some(&body), false);
    match a.status {
        200 => a.json()["matches"].as_bool(),
        404 => None,
        s => panic!("/__sim/secret: {s} {}", a.body),
    }
}

fn keys(sim: &SimProcess) -> Vec<String> {
    let a = sim.v2("GET", &format!("/orgs/{V2_ORG_ID}/secrets"), None);
    assert_eq!(a.status, 200, "{}", a.body);
    serde_json::from_value(a.json()["secrets"].clone()).unwrap()
}

fn writes(sim: &SimProcess) -> Vec<(String, String)> {
    sim.calls()
        .into_iter()
        .filter(|(m, _)| m != "GET")
        .collect()
}

fn assert_no_value(what: &str, text: &str) {
    for v in [VALUE, NEW_VALUE] {
        assert!(!text.contains(v), "the secret's value leaked into {what}");
    }
}

#[test]
fn a_secret_is_set_rotated_and_recreated_and_its_value_is_never_stored() {
    let (sim, mut ws) = setup(Tf::V1_15_5);
    ws.set_env("TF_VAR_v", VALUE);
    ws.write("main.tf", &secret("SLACK_WEBHOOK", Some(1)));
    // Terraform hands write-only values to the provider at plan too: the plan is traced.
    let plan = ws.run_traced(&["plan", "-out=tfplan"]);
    plan.assert_success();
    assert_no_value("the plan output", &plan.combined());
    assert_no_value("the plan's trace log", &ws.trace_log());
    let saved = ws.plan_file_contents("tfplan");
    assert!(
        saved.contains("SLACK_WEBHOOK"),
        "the unzipped plan is readable"
    );
    assert_no_value("the saved plan file", &saved);
    let apply = ws.run_traced(&["apply", "-auto-approve", "tfplan"]);
    apply.assert_success();
    assert_no_value("the apply output", &apply.combined());
    let trace = ws.trace_log();
    assert_no_value("the trace log", &trace);
    // The provider's own line about the call that carried the value is in it (so a log that
    // caught nothing cannot pass).
    let path = format!("path=/orgs/{V2_ORG_ID}/secrets");
    assert!(
        trace
            .lines()
            .any(|l| l.contains("API request") && l.contains("method=PATCH") && l.contains(&path)),
        "the trace log has no line about the PATCH of the secrets"
    );
    assert_no_value("the state", &ws.read("terraform.tfstate"));
    let state = ws.state_attributes("influxdb_secret.s");
    assert!(state["value_wo"].is_null(), "{state}");
    assert_eq!(state["value_wo_version"], 1);
    assert_eq!(state["id"], format!("{V2_ORG_ID}/SLACK_WEBHOOK").as_str());
    assert_eq!(holds(&sim, "SLACK_WEBHOOK", VALUE), Some(true));
    ws.plan_no_changes(&[]);

    // A new version sends the new value: one PATCH, nothing else written.
    ws.set_env("TF_VAR_v", NEW_VALUE);
    ws.write("main.tf", &secret("SLACK_WEBHOOK", Some(2)));
    sim.clear_requests();
    let out = ws.run_traced(&["apply", "-auto-approve"]);
    out.assert_success();
    assert_no_value("the apply output", &out.combined());
    assert_no_value("the trace log", &ws.trace_log());
    assert_eq!(
        writes(&sim),
        [(
            "PATCH".to_owned(),
            format!("/api/v2/orgs/{V2_ORG_ID}/secrets")
        )]
    );
    assert_eq!(holds(&sim, "SLACK_WEBHOOK", NEW_VALUE), Some(true));
    assert_no_value("the state", &ws.read("terraform.tfstate"));
    ws.plan_no_changes(&[]);

    // Deleted outside: the next apply says so and sets it again.
    let d = sim.v2(
        "DELETE",
        &format!("/orgs/{V2_ORG_ID}/secrets/SLACK_WEBHOOK"),
        None,
    );
    assert_eq!(d.status, 204, "{}", d.body);
    let out = ws.apply(&[]);
    assert!(
        out.combined().contains("deleted outside Terraform"),
        "{}",
        out.combined()
    );
    assert_eq!(holds(&sim, "SLACK_WEBHOOK", NEW_VALUE), Some(true));

    // Another key replaces it: the new key is set, the old one deleted, a key made by hand
    // is untouched.
    let r = sim.v2(
        "PATCH",
        &format!("/orgs/{V2_ORG_ID}/secrets"),
        Some(&json!({ "BY_HAND": HAND_MADE }).to_string()),
    );
    assert_eq!(r.status, 204, "{}", r.body);
    ws.write("main.tf", &secret("PAGERDUTY_KEY", Some(2)));
    let plan = ws.run(&["plan"]);
    assert!(plan.stdout.contains("must be replaced"), "{}", plan.stdout);
    ws.apply(&[]);
    assert_eq!(keys(&sim), ["BY_HAND", "PAGERDUTY_KEY"]);
    assert_eq!(holds(&sim, "PAGERDUTY_KEY", NEW_VALUE), Some(true));

    // Destroy deletes that key only.
    ws.apply(&["-destroy"]);
    assert_eq!(keys(&sim), ["BY_HAND"]);
    assert_eq!(holds(&sim, "BY_HAND", HAND_MADE), Some(true));
}

#[test]
fn an_existing_key_is_never_overwritten_and_is_imported_as_org_slash_key() {
    let (sim, mut ws) = setup(Tf::V1_15_5);
    let r = sim.v2(
        "PATCH",
        &format!("/orgs/{V2_ORG_ID}/secrets"),
        Some(&json!({ "TOKEN": HAND_MADE }).to_string()),
    );
    assert_eq!(r.status, 204, "{}", r.body);
    ws.set_env("TF_VAR_v", VALUE);
    ws.write("main.tf", &secret("TOKEN", Some(1)));
    let out = ws.run(&["apply", "-auto-approve"]);
    out.assert_failure();
    let text = terraform::flat(&out.stderr);
    assert!(
        text.contains("Secret already exists") && text.contains(&format!("{V2_ORG_ID}/TOKEN")),
        "{text}"
    );
    assert_eq!(holds(&sim, "TOKEN", HAND_MADE), Some(true), "unchanged");

    // Imported, it takes the configured value with the next apply (its version is unknown).
    ws.run(&["import", "influxdb_secret.s", &format!("{V2_ORG_ID}/TOKEN")])
        .assert_success();
    let state = ws.state_attributes("influxdb_secret.s");
    assert!(state["value_wo_version"].is_null(), "{state}");
    let plan = ws.run(&["plan", "-detailed-exitcode"]);
    plan.assert_code(2);
    assert!(plan.stdout.contains("updated in-place"), "{}", plan.stdout);
    ws.apply(&[]);
    assert_eq!(holds(&sim, "TOKEN", VALUE), Some(true));
    ws.plan_no_changes(&[]);

    // A bad import ID says what an ID is.
    ws.run(&["state", "rm", "influxdb_secret.s"])
        .assert_success();
    let out = ws.run(&["import", "influxdb_secret.s", "TOKEN"]);
    out.assert_failure();
    assert!(
        terraform::flat(&out.stderr).contains("ORG_ID/KEY"),
        "{}",
        out.stderr
    );
}

#[test]
fn terraform_1_0_3_is_refused_with_a_clear_message() {
    let (sim, mut ws) = setup(Tf::V1_0_3);
    ws.set_env("TF_VAR_v", VALUE);
    ws.write("main.tf", &format!("{}\nvariable \"v\" {{\n  type      = string\n  sensitive = true\n}}\n\nresource \"influxdb_secret\" \"s\" {{\n  key      = \"K\"\n  value_wo = var.v\n}}\n", provider_block("")));
    let out = ws.run(&["plan"]);
    out.assert_failure();
    assert!(out.stderr.contains("1.11"), "{}", out.stderr);
    assert_no_value("the output", &out.combined());
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
}
