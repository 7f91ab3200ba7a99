//! Ephemeral `influxdb_authorization` end to end, under the real Terraform 1.15.5 (ephemeral
//! resources need Terraform 1.10 or later) in its human output mode, against the simulator's
//! InfluxDB OSS v2 mode.
//!
//! The simulator issues v2 tokens as URL-safe base64 of 64 random bytes (86 characters and
//! `==`); the tests search for anything of that shape, so they catch any token leaking, not only
//! one whose value they know ([`a_token_the_simulator_issues_is_what_the_leak_search_finds`]
//! shows the search finds a real one).

#[path = "support/secrets.rs"]
mod secrets;
#[path = "support/sim.rs"]
mod sim;
#[path = "support/terraform.rs"]
mod terraform;

use sim::SimProcess;
use terraform::{provider_block, Tf, TfOutput, Workspace};

const DESCRIPTION: &str = "terraform ephemeral: ci";

/// A v2 simulator holding one authorization (`probe`, whose ID is returned) besides the
/// operator's, and a workspace whose provider finds the simulator through the `influx` CLI's
/// environment variables.
fn setup() -> (SimProcess, Workspace, String) {
    let sim = SimProcess::oss_v2();
    let probe = create_probe(&sim).0;
    sim.clear_requests();
    let mut ws = Workspace::new(Tf::V1_15_5);
    ws.set_envs(sim.provider_env());
    (sim, ws, probe)
}

/// Creates the `probe` authorization with the operator token; returns its ID and token.
fn create_probe(sim: &SimProcess) -> (String, String) {
    let body = serde_json::json!({
        "orgID": sim::V2_ORG_ID,
        "description": "probe",
        "permissions": [{"action": "read", "resource": {"type": "buckets", "orgID": sim::V2_ORG_ID}}],
    })
    .to_string();
    let a = sim.v2("POST", "/authorizations", Some(&body));
    assert_eq!(a.status, 201, "{}", a.body);
    let j = a.json();
    (
        j["id"].as_str().unwrap_or_default().to_owned(),
        j["token"].as_str().unwrap_or_default().to_owned(),
    )
}

/// The ephemeral authorization may read exactly one authorization, `probe`. A second provider
/// configuration authenticates with its token and lists the authorizations it can see: with the
/// ephemeral token that is `probe` alone (the operator token would see every authorization), so
/// the `seen` output proves the token worked while it was open.
fn config(probe: &str) -> String {
    format!(
        r#"{}
ephemeral "influxdb_authorization" "ci" {{
  description = "{DESCRIPTION}"
  permissions = [{{ action = "read", resource = {{ type = "authorizations", id = "{probe}" }} }}]
}}

provider "influxdb" {{
  alias = "ci"
  token = ephemeral.influxdb_authorization.ci.token
}}

data "influxdb_authorizations" "seen" {{
  provider = influxdb.ci
}}

output "seen" {{
  value = [for a in data.influxdb_authorizations.seen.authorizations : a.description]
}}

# A failed assertion would show as a warning.
check "ci_token" {{
  assert {{
    condition     = length(ephemeral.influxdb_authorization.ci.token) == 88 && ephemeral.influxdb_authorization.ci.id != "{probe}"
    error_message = "The ephemeral authorization has no token string."
  }}
}}
"#,
        provider_block("")
    )
}

/// Whether `text` holds something shaped like a token the simulator issues: 86 URL-safe base64
/// characters followed by `==`.
fn has_token_like(text: &str) -> bool {
    let b = text.as_bytes();
    let mut run = 0;
    for (i, &c) in b.iter().enumerate() {
        if c.is_ascii_alphanumeric() || c == b'-' || c == b'_' {
            run += 1;
        } else {
            if c == b'=' && run >= 86 && b.get(i + 1) == Some(&b'=') {
                return true;
            }
            run = 0;
        }
    }
    false
}

/// Anything shaped like a v2 token, or the operator token the provider is configured with.
const LEAKS: secrets::LeakSearch = secrets::LeakSearch {
    token_like: has_token_like,
    credential: ("operator token", sim::V2_TOKEN),
};

fn assert_no_secret(what: &str, text: &str) {
    LEAKS.assert_clean(what, text);
}

/// Each phase created one authorization and deleted it (no other one deleted, nothing left but
/// `probe`); returns the IDs deleted.
fn assert_opened_and_closed(sim: &SimProcess, probe: &str, phases: usize) -> Vec<String> {
    let calls = sim.calls();
    let creates = calls
        .iter()
        .filter(|(m, p)| m == "POST" && p == "/api/v2/authorizations")
        .count();
    assert_eq!(creates, phases, "one create per phase: {calls:?}");
    let deleted: Vec<String> = calls
        .iter()
        .filter(|(m, _)| m == "DELETE")
        .filter_map(|(_, p)| p.strip_prefix("/api/v2/authorizations/"))
        .map(str::to_owned)
        .collect();
    assert_eq!(deleted.len(), phases, "one delete per phase: {calls:?}");
    assert!(!deleted.iter().any(|d| d == probe), "{deleted:?}");
    let left: Vec<_> = sim
        .v2_authorizations()
        .iter()
        .map(|a| a["id"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(left, vec![probe.to_owned()], "every ephemeral one deleted");
    deleted
}

fn assert_shows_open_and_close(out: &TfOutput) {
    out.assert_ephemeral_opened_and_closed("ephemeral.influxdb_authorization.ci");
}

#[test]
fn a_token_the_simulator_issues_is_what_the_leak_search_finds() {
    let sim = SimProcess::oss_v2();
    let (_, token) = create_probe(&sim);
    assert!(has_token_like(&token), "{token}");
    assert!(has_token_like(&format!("log line token={token:?} end")));
    assert!(!has_token_like(sim::V2_TOKEN));
    assert!(!has_token_like(&token[..80]));
}

/// Plan: the authorization is created when the plan starts, its token configures a second
/// provider that reads a data source with it, and it is deleted by the end of the plan; the
/// token reaches neither the saved plan, the output, nor the trace log.
#[test]
fn an_ephemeral_authorization_configures_a_provider_for_one_plan_and_is_deleted_by_its_end() {
    let (sim, ws, probe) = setup();
    ws.write("main.tf", &config(&probe));
    let plan = ws.run_traced(&["plan", "-out=tfplan"]);
    plan.assert_success();
    assert_shows_open_and_close(&plan);
    // Listed with the ephemeral token: only what it may read.
    assert!(
        plan.stdout
            .contains("+ seen = [\n      + \"probe\",\n    ]"),
        "{}",
        plan.stdout
    );
    assert_opened_and_closed(&sim, &probe, 1);
    // The order: created, used by the second provider, then deleted.
    let calls = sim.calls();
    let at = |m: &str, pred: &dyn Fn(&str) -> bool| {
        calls
            .iter()
            .position(|(cm, p)| cm == m && pred(p))
            .unwrap_or_else(|| panic!("no {m} in {calls:?}"))
    };
    let created = at("POST", &|p| p == "/api/v2/authorizations");
    let listed = at("GET", &|p| p == "/api/v2/authorizations");
    let deleted = at("DELETE", &|p| p.starts_with("/api/v2/authorizations/"));
    assert!(created < listed && listed < deleted, "{calls:?}");

    assert_no_secret("the plan output", &plan.combined());
    let trace = ws.trace_log();
    assert!(
        trace.contains("OpenEphemeralResource") && trace.contains("CloseEphemeralResource"),
        "the log covers the open and the close"
    );
    assert_no_secret("the trace log", &trace);
    LEAKS.assert_saved_plan_clean(&ws, "tfplan", "probe");
}

/// Apply: one authorization is created and deleted in each phase of `terraform apply`, the data
/// source read with its token lands in the outputs, and the token is in neither the state nor
/// the trace log.
#[test]
fn an_ephemeral_authorization_is_created_and_deleted_in_each_phase_of_an_apply() {
    let (sim, ws, probe) = setup();
    ws.write("main.tf", &config(&probe));
    let apply = ws.run_traced(&["apply", "-auto-approve"]);
    apply.assert_success();
    assert_shows_open_and_close(&apply);
    let deleted = assert_opened_and_closed(&sim, &probe, 2);
    assert_ne!(deleted[0], deleted[1], "a new authorization per phase");

    let seen = ws.terraform(&["output", "-no-color", "-json", "seen"]);
    seen.assert_success();
    let seen: serde_json::Value = serde_json::from_str(&seen.stdout).expect("output JSON");
    assert_eq!(seen, serde_json::json!(["probe"]));

    let state = ws.read("terraform.tfstate");
    assert!(state.contains("probe"), "the data source is in state");
    assert!(
        !state.contains("ephemeral.") && !state.contains(DESCRIPTION),
        "no ephemeral resource in state: {state}"
    );
    assert_no_secret("terraform.tfstate", &state);
    assert_no_secret("the apply output", &apply.combined());
    assert_no_secret("the trace log", &ws.trace_log());
}

fn ephemeral_only(body: &str) -> String {
    format!(
        "{}\nephemeral \"influxdb_authorization\" \"ci\" {{\n{body}\n}}\n",
        provider_block("")
    )
}

/// Bad input fails at plan, naming the attribute, with no API call at all.
#[test]
fn invalid_configuration_fails_at_plan_naming_the_attribute_with_no_api_call() {
    let (sim, mut ws, _) = setup();
    let perms = "  permissions = [{ action = \"read\", resource = { type = \"buckets\" } }]";
    let cases = [
        (
            "  description = \"x\"\n  permissions = [{ action = \"read\", resource = { type = \"bucketz\" } }]".to_owned(),
            "Invalid permission resource type",
            "type = \"bucketz\"",
        ),
        (
            format!("  description = \"x\"\n  all_access  = true\n{perms}"),
            "all_access conflicts with permissions",
            "all_access  = true",
        ),
        (
            "  description = \"x\"".to_owned(),
            "Missing permissions",
            "permissions",
        ),
        (
            format!("  description = \"\"\n{perms}"),
            "Invalid description",
            "description = \"\"",
        ),
        (
            format!("  description = \"x\"\n  org_id      = \"ABC\"\n{perms}"),
            "Invalid org_id",
            "org_id      = \"ABC\"",
        ),
    ];
    for (body, title, names) in cases {
        ws.write("main.tf", &ephemeral_only(&body));
        let out = ws.terraform(&["plan", "-no-color"]);
        out.assert_failure();
        let err = out.combined();
        assert!(err.contains(title), "{title}: {err}");
        assert!(err.contains(names), "names the attribute ({names}): {err}");
    }
    // No organization anywhere: the error names org_id, still before any API call.
    ws.set_env("INFLUX_ORG", "");
    ws.write(
        "main.tf",
        &ephemeral_only(&format!("  description = \"x\"\n{perms}")),
    );
    let out = ws.terraform(&["plan", "-no-color"]);
    out.assert_failure();
    let err = out.combined();
    assert!(
        err.contains("Missing organization") && err.contains("org_id is not set"),
        "{err}"
    );
    assert!(sim.calls().is_empty(), "no API call: {:?}", sim.calls());
}

/// Under an InfluxDB 3 provider block the ephemeral authorization fails at plan with the
/// product mismatch explained, before any API call.
#[test]
fn under_an_influxdb_3_provider_block_it_fails_with_the_product_mismatch() {
    let sim = SimProcess::dedicated();
    let mut ws = Workspace::new(Tf::V1_15_5);
    ws.set_envs(sim.provider_env());
    ws.write(
        "main.tf",
        &ephemeral_only(&format!(
            "  description = \"{DESCRIPTION}\"\n  org_id      = \"{}\"\n  all_access  = true",
            sim::V2_ORG_ID
        )),
    );
    let out = ws.terraform(&["plan", "-no-color"]);
    out.assert_failure();
    let err = out.combined();
    assert!(
        err.contains("Resource and provider are for different InfluxDB products"),
        "{err}"
    );
    assert!(
        err.contains("influxdb_authorization belongs to InfluxDB OSS v2 and Cloud Serverless"),
        "{err}"
    );
    assert!(err.contains("alias"), "says how to use both: {err}");
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
}

/// An authorization already gone when Terraform closes it (deleted by an administrator, 404)
/// is no error, and the delete is not retried.
#[test]
fn closing_an_authorization_that_is_already_gone_succeeds() {
    let (sim, ws, _) = setup();
    ws.write(
        "main.tf",
        &ephemeral_only(&format!(
            "  description = \"{DESCRIPTION}\"\n  operator    = true"
        )),
    );
    sim.add_fault(serde_json::json!({
        "method": "DELETE", "count": 1, "status": 404
    }));
    let out = ws.terraform(&["plan", "-no-color"]);
    out.assert_success();
    assert!(!out.combined().contains("Error"), "{}", out.combined());
    assert_eq!(
        sim.calls().iter().filter(|(m, _)| m == "DELETE").count(),
        1,
        "one delete, answered 404, not retried"
    );
}

/// A create whose answer is lost leaves no active authorization behind: the provider finds the
/// one the server made and deletes it, and the plan fails saying so.
#[test]
fn an_ambiguous_create_leaves_no_orphan() {
    let (sim, ws, probe) = setup();
    ws.write("main.tf", &config(&probe));
    sim.add_fault(serde_json::json!({
        "method": "POST", "path_suffix": "/authorizations", "drop_after_handling": true
    }));
    let out = ws.terraform(&["plan", "-no-color"]);
    out.assert_failure();
    let err = out.combined();
    assert!(
        err.contains("Creating the ephemeral authorization failed")
            && err.contains("it was deleted, because its token was lost"),
        "{err}"
    );
    assert_eq!(
        sim.count_requests("POST", "/authorizations"),
        1,
        "a create is never sent twice"
    );
    let left: Vec<_> = sim
        .v2_authorizations()
        .iter()
        .map(|a| a["id"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(left, vec![probe], "no orphan is left");
    assert_no_secret("the output", &err);
}
