//! Ephemeral `influxdb_database_token` end to end, under the real Terraform 1.15.5 (ephemeral
//! resources need Terraform 1.10 or later) in its human output mode, against the simulator.
//!
//! Every token string the simulator issues starts with `apiv1_`; the tests search for that
//! prefix, so they catch any token leaking, not only one whose value they know.

#[path = "support/secrets.rs"]
mod secrets;
#[path = "support/sim.rs"]
mod sim;
#[path = "support/terraform.rs"]
mod terraform;

use sim::SimProcess;
use terraform::{provider_block, Tf, TfOutput, Workspace};

const SECRET_PREFIX: &str = "apiv1_";

fn setup(tf: Tf) -> (SimProcess, Workspace) {
    let sim = SimProcess::dedicated();
    let mut ws = Workspace::new(tf);
    ws.set_envs(sim.provider_env());
    (sim, ws)
}

fn ephemeral_block(ttl: &str) -> String {
    format!(
        r#"
ephemeral "influxdb_database_token" "ci" {{
  description = "ci run"
  permissions = [{{ action = "read", resource = "*" }}]
  ttl         = "{ttl}"
}}
"#
    )
}

/// The ephemeral token's string proves it is real where Terraform checks it; a failed
/// assertion would show as a warning. (`api[v]1_` so that the configuration, which a saved plan
/// contains, does not itself hold the prefix searched for.)
const CHECK_BLOCK: &str = r#"
check "ci_token" {
  assert {
    condition     = can(regex("^api[v]1_[0-9a-f]{64}$", ephemeral.influxdb_database_token.ci.access_token))
    error_message = "The ephemeral token has no token string."
  }
}
"#;

/// Every token the run created was revoked by the end of it, and the log holds exactly one
/// create and one revoke (of that token) per Terraform phase.
fn assert_opened_and_closed(sim: &SimProcess, phases: usize) {
    let all = sim.tokens();
    assert_eq!(all.len(), phases, "one token per phase: {all:?}");
    for t in &all {
        assert_eq!(t["description"], "ci run");
        assert!(
            !t["revokedAt"].is_null(),
            "revoked by the end of the run: {t}"
        );
        assert!(
            !t["expiresAt"].is_null(),
            "the safety net: it expires anyway"
        );
        let id = t["id"].as_str().unwrap();
        let revokes = sim
            .calls()
            .iter()
            .filter(|(m, p)| m == "DELETE" && p.ends_with(&format!("/tokens/{id}")))
            .count();
        assert_eq!(revokes, 1, "token {id} revoked once");
    }
    let creates = sim
        .calls()
        .iter()
        .filter(|(m, p)| m == "POST" && p.ends_with("/tokens"))
        .count();
    assert_eq!(creates, phases);
}

/// A token string, whatever its value, or the management token the provider is configured with.
const LEAKS: secrets::LeakSearch = secrets::LeakSearch {
    token_like: |text| text.contains(SECRET_PREFIX),
    credential: ("management token", sim::MANAGEMENT_TOKEN),
};

fn assert_no_secret(what: &str, text: &str) {
    LEAKS.assert_clean(what, text);
}

fn assert_shows_open_and_close(out: &TfOutput) {
    out.assert_ephemeral_opened_and_closed("ephemeral.influxdb_database_token.ci");
}

/// Plan: the token is opened and closed within `terraform plan`, feeds a second provider
/// configuration (which plans a database with it), and reaches neither the saved plan, the
/// output, nor the trace log.
#[test]
fn an_ephemeral_token_configures_a_provider_for_one_plan_and_is_revoked_by_its_end() {
    let (sim, ws) = setup(Tf::V1_15_5);
    ws.write(
        "main.tf",
        &format!(
            r#"{}{}{CHECK_BLOCK}
# A second provider configuration that authenticates with the short-lived token.
provider "influxdb" {{
  alias            = "ci"
  management_token = ephemeral.influxdb_database_token.ci.access_token
}}

resource "influxdb_database" "probe" {{
  provider = influxdb.ci
  name     = "probe"
}}
"#,
            provider_block(""),
            ephemeral_block("30m")
        ),
    );
    let plan = ws.run_traced(&["plan", "-out=tfplan"]);
    plan.assert_success();
    assert_shows_open_and_close(&plan);
    assert!(plan
        .stdout
        .contains("influxdb_database.probe will be created"));
    assert_opened_and_closed(&sim, 1);

    assert_no_secret("the plan output", &plan.combined());
    let trace = ws.trace_log();
    assert!(
        trace.contains("OpenEphemeralResource"),
        "the log covers the open"
    );
    assert_no_secret("the trace log", &trace);
    LEAKS.assert_saved_plan_clean(&ws, "tfplan", "probe");
}

/// Apply: the token is opened and closed in both phases of `terraform apply` while a real
/// database is created, and is in neither the state nor the trace log.
#[test]
fn an_ephemeral_token_is_opened_and_revoked_in_each_phase_of_an_apply() {
    let (sim, ws) = setup(Tf::V1_15_5);
    ws.write(
        "main.tf",
        &format!(
            "{}{}{CHECK_BLOCK}\nresource \"influxdb_database\" \"d\" {{\n  name = \"ephemeral-apply\"\n}}\n",
            provider_block(""),
            ephemeral_block("15m")
        ),
    );
    let apply = ws.run_traced(&["apply", "-auto-approve"]);
    apply.assert_success();
    assert_shows_open_and_close(&apply);
    // One open/close for the plan phase, one for the apply phase.
    assert_opened_and_closed(&sim, 2);
    let state = ws.read("terraform.tfstate");
    assert!(
        state.contains("ephemeral-apply"),
        "the database is in state"
    );
    assert!(
        !state.contains("ephemeral."),
        "no ephemeral resource in state"
    );
    assert_no_secret("terraform.tfstate", &state);
    assert_no_secret("the apply output", &apply.combined());
    assert_no_secret("the trace log", &ws.trace_log());

    // expires_at is ttl after the open (the safety net if Close never comes).
    for t in sim.tokens() {
        let created = time::OffsetDateTime::parse(
            t["createdAt"].as_str().unwrap(),
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap();
        let expires = time::OffsetDateTime::parse(
            t["expiresAt"].as_str().unwrap(),
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap();
        let lifetime = (expires - created).whole_seconds();
        assert!((895..=905).contains(&lifetime), "ttl 15m, got {lifetime}s");
    }
}

/// A bad ttl or permission fails at plan, naming the attribute, before any API call.
#[test]
fn invalid_ephemeral_configuration_fails_at_plan_naming_the_attribute() {
    let (sim, ws) = setup(Tf::V1_15_5);
    ws.write(
        "main.tf",
        &format!(
            "{}{}{CHECK_BLOCK}",
            provider_block(""),
            ephemeral_block("1 hour")
        ),
    );
    let out = ws.terraform(&["plan", "-no-color"]);
    out.assert_failure();
    let err = out.combined();
    assert!(err.contains("Invalid ttl"), "{err}");
    assert!(err.contains("ttl = \"1 hour\""), "{err}");
    assert!(err.contains("ttl "), "names the attribute: {err}");

    ws.write(
        "main.tf",
        &format!(
            "{}{}{CHECK_BLOCK}",
            provider_block(""),
            ephemeral_block("0s")
        ),
    );
    let out = ws.terraform(&["plan", "-no-color"]);
    out.assert_failure();
    assert!(out.combined().contains("is zero"), "{}", out.combined());

    ws.write(
        "main.tf",
        &format!(
            "{}{}{CHECK_BLOCK}",
            provider_block(""),
            ephemeral_block("30m").replace("\"read\"", "\"admin\"")
        ),
    );
    let out = ws.terraform(&["plan", "-no-color"]);
    out.assert_failure();
    assert!(
        out.combined().contains("Invalid permission action"),
        "{}",
        out.combined()
    );
    assert!(sim.calls().is_empty(), "no API call: {:?}", sim.calls());
}

/// A token already gone when Terraform closes it (revoked by an administrator, 404) is no error.
#[test]
fn closing_a_token_that_is_already_gone_succeeds() {
    let (sim, ws) = setup(Tf::V1_15_5);
    ws.write(
        "main.tf",
        &format!(
            "{}{}{CHECK_BLOCK}",
            provider_block(""),
            ephemeral_block("10m")
        ),
    );
    sim.add_fault(serde_json::json!({
        "method": "DELETE", "path_suffix": "", "count": 1, "status": 404
    }));
    let out = ws.terraform(&["plan", "-no-color"]);
    out.assert_success();
    assert!(!out.combined().contains("Error"), "{}", out.combined());
    assert_eq!(
        sim.calls().iter().filter(|(m, _)| m == "DELETE").count(),
        1,
        "one revoke, answered 404, not retried"
    );
}

/// Terraform 1.0.3 has no ephemeral resources: it rejects the block itself (the docs say which
/// version is needed).
#[test]
fn terraform_1_0_3_rejects_ephemeral_blocks() {
    let (sim, ws) = setup(Tf::V1_0_3);
    ws.write(
        "main.tf",
        &format!("{}{}", provider_block(""), ephemeral_block("10m")),
    );
    let out = ws.terraform(&["validate", "-no-color"]);
    out.assert_failure();
    assert!(out.combined().contains("ephemeral"), "{}", out.combined());
    assert!(sim.calls().is_empty());
}

/// A token whose configuration depends on a database created in the same run is not known at
/// plan time: it is not opened then (no token made for nothing), and is opened once, during the
/// apply, after the database exists.
#[test]
fn a_token_for_a_database_created_in_the_same_run_is_opened_only_during_the_apply() {
    let (sim, ws) = setup(Tf::V1_15_5);
    ws.write(
        "main.tf",
        &format!(
            r#"{}
resource "influxdb_database" "d" {{
  name = "created-in-this-run"
}}

ephemeral "influxdb_database_token" "ci" {{
  # account_id is known only after the database is created.
  description = "ci run"
  permissions = [{{ action = "read", resource = "${{influxdb_database.d.name}}${{substr(influxdb_database.d.account_id, 0, 0)}}" }}]
  ttl         = "10m"
}}
{CHECK_BLOCK}"#,
            provider_block("")
        ),
    );
    let plan = ws.terraform(&["plan", "-no-color"]);
    plan.assert_success();
    assert!(sim.tokens().is_empty(), "nothing opened while unknown");

    let apply = ws.terraform(&["apply", "-auto-approve", "-no-color"]);
    apply.assert_success();
    assert_shows_open_and_close(&apply);
    assert_opened_and_closed(&sim, 1);
    let t = &sim.tokens()[0];
    assert_eq!(
        t["permissions"][0]["resource"], "created-in-this-run",
        "opened with the final configuration"
    );
}
