//! `influxdb_admin_token` end to end: the real Terraform, in its normal human output mode,
//! driving the provider against the simulator's InfluxDB 3 Core and Enterprise modes and the
//! REAL InfluxDB 3 Core server (`support/core_target.rs`), with an empty `provider "influxdb"
//! {}` block and only `INFLUXDB3_HOST_URL` and `INFLUXDB3_AUTH_TOKEN` set. Lifecycle and drift
//! run under Terraform 1.0.3 and 1.15.5; import by identity needs 1.12 and runs under 1.15.5.
//! Injected faults run on the simulator (and, for a lost create answer, through the fault proxy
//! in front of the real server).

#[path = "support/core_server.rs"]
mod core_server;
#[path = "support/core_target.rs"]
mod core_target;
#[path = "support/sim.rs"]
mod sim;
#[path = "support/terraform.rs"]
mod terraform;

use core_target::{on_sim_and_real_core, on_sim_and_real_core_latest, Target};
use serde_json::json;
use terraform::{flat, provider_block, Tf, Workspace};

on_sim_and_real_core!(
    lifecycle_on_core,
    a_lost_create_answer_leaves_no_token_and_the_next_apply_converges,
    a_503_on_a_read_is_retried,
    a_token_deleted_outside_is_created_again,
    refresh_of_many_tokens_is_one_query,
    no_token_in_the_trace_log,
    import_by_name_has_no_access_token,
);
on_sim_and_real_core_latest!(the_operator_token_cannot_be_managed_and_a_past_expiry_fails_at_plan);
terraform::every_terraform!(
    lifecycle_on_enterprise,
    a_token_that_already_exists_is_never_deleted
);

fn setup(sim: Target, tf: Tf) -> (Target, Workspace) {
    let ws = Workspace::with_env(tf, sim.provider_env());
    (sim, ws)
}

/// An admin token `NAME` with `body`, and a sensitive output of its string.
fn token_tf(name: &str, body: &str) -> String {
    format!(
        "resource \"influxdb_admin_token\" \"{name}\" {{\n{body}\n}}\n\noutput \"{name}_token\" {{\n  value     = influxdb_admin_token.{name}.access_token\n  sensitive = true\n}}\n"
    )
}

fn config(resources: &[String]) -> String {
    format!("{}\n{}", provider_block(""), resources.join("\n"))
}

fn lifecycle(sim: Target, tf: Tf) {
    let (sim, ws) = setup(sim, tf);
    ws.write(
        "main.tf",
        &config(&[token_tf(
            "ci",
            "  name       = \"ci\"\n  expires_at = \"2031-01-01T00:00:00Z\"",
        )]),
    );
    let out = ws.apply(&[]);
    assert!(out.stdout.contains("1 added"), "{}", out.stdout);
    let state = ws.state_attributes("influxdb_admin_token.ci");
    let secret = ws.output_raw("ci_token");
    assert_eq!(state["access_token"], secret.as_str());
    assert!(secret.starts_with("apiv3_"));
    // The string in state is the one the server issued for this token.
    assert!(sim.is_token_of(&secret, "ci"));
    let server = sim.token("ci").expect("on the server");
    assert_eq!(state["id"], server["token_id"].to_string());
    assert!(server["expiry"]
        .as_str()
        .unwrap()
        .starts_with("2031-01-01T00:00:0"));
    assert_eq!(state["expires_at"], "2031-01-01T00:00:00Z");
    assert!(state["created_at"].as_str().unwrap().ends_with('Z'));
    ws.plan_no_changes(&[]);

    // The same instant written another way is no change; another instant replaces.
    ws.write(
        "main.tf",
        &config(&[token_tf(
            "ci",
            "  name       = \"ci\"\n  expires_at = \"2031-01-01T01:00:00+01:00\"",
        )]),
    );
    ws.plan_no_changes(&[]);
    ws.write(
        "main.tf",
        &config(&[token_tf(
            "ci",
            "  name       = \"ci\"\n  expires_at = \"2032-01-01T00:00:00Z\"",
        )]),
    );
    let out = ws.apply(&[]);
    assert!(out.stdout.contains("must be replaced"), "{}", out.stdout);
    assert!(
        out.stdout.contains("1 added, 0 changed, 1 destroyed"),
        "{}",
        out.stdout
    );
    assert!(!sim.token_works(&secret), "the old token is deleted");
    let new_secret = ws.output_raw("ci_token");
    assert!(sim.is_token_of(&new_secret, "ci"));

    sim.clear_requests();
    ws.apply(&["-destroy"]);
    assert!(sim.token("ci").is_none());
    assert_eq!(sim.count_requests("DELETE", "/api/v3/configure/token"), 1);
    assert_eq!(sim.tokens().len(), 1, "only _admin is left");
}

fn lifecycle_on_core(target: Target, tf: Tf) {
    lifecycle(target, tf);
}

fn lifecycle_on_enterprise(tf: Tf) {
    lifecycle(Target::sim_enterprise(), tf);
}

fn a_token_deleted_outside_is_created_again(target: Target, tf: Tf) {
    let (sim, ws) = setup(target, tf);
    ws.write("main.tf", &config(&[token_tf("ci", "  name = \"ci\"")]));
    ws.apply(&[]);
    let before = ws.output_raw("ci_token");
    assert_eq!(
        sim.v3("DELETE", "/api/v3/configure/token?token_name=ci", None)
            .status,
        200
    );
    let out = ws.run(&["plan", "-detailed-exitcode"]);
    out.assert_code(2);
    assert!(
        out.combined()
            .contains("Admin token deleted outside Terraform"),
        "{}",
        out.combined()
    );
    ws.apply(&[]);
    let after = ws.output_raw("ci_token");
    assert_ne!(before, after);
    assert!(sim.is_token_of(&after, "ci"));
    ws.plan_no_changes(&[]);
}

/// The server makes the token but its answer (the only place its string is) is lost: the
/// provider deletes that token (nothing orphaned on the server) and fails; the next apply
/// converges. On the real server the answer is lost by the fault proxy in front of it.
fn a_lost_create_answer_leaves_no_token_and_the_next_apply_converges(target: Target, tf: Tf) {
    let (sim, ws) = setup(target, tf);
    ws.write("main.tf", &config(&[token_tf("ci", "  name = \"ci\"")]));
    sim.add_fault(
        json!({"method": "POST", "path_suffix": "/named_admin", "drop_after_handling": true}),
    );
    let out = ws.run(&["apply", "-auto-approve"]);
    out.assert_failure();
    let text = flat(&out.combined());
    assert!(text.contains("Creating the admin token failed"), "{text}");
    assert!(
        text.contains("it was deleted, because its string was lost"),
        "{text}"
    );
    assert!(sim.token("ci").is_none(), "no orphan token of that name");
    assert_eq!(sim.tokens().len(), 1, "only _admin on the server");
    ws.apply(&[]);
    let secret = ws.output_raw("ci_token");
    assert!(sim.is_token_of(&secret, "ci"));
    ws.plan_no_changes(&[]);
}

/// A 503 (the server is busy) on the read of a refresh is retried after its `Retry-After`:
/// the plan is empty. (A create is never repeated: that is the lost answer's case above.)
fn a_503_on_a_read_is_retried(target: Target, tf: Tf) {
    let (sim, ws) = setup(target, tf);
    ws.write("main.tf", &config(&[token_tf("ci", "  name = \"ci\"")]));
    ws.apply(&[]);
    sim.add_fault(json!({
        "path_suffix": "/api/v3/query_sql",
        "status": 503,
        "retry_after_secs": 1,
    }));
    sim.clear_requests();
    ws.plan_no_changes(&[]);
    let reads = sim.count_requests("GET", "/api/v3/query_sql");
    assert_eq!(reads, 2, "one 503, one retry: {:?}", sim.calls());
    assert!(sim.is_token_of(&ws.output_raw("ci_token"), "ci"));
}

fn a_token_that_already_exists_is_never_deleted(tf: Tf) {
    let (target, ws) = setup(Target::sim_enterprise(), tf);
    let sim = target.sim();
    let theirs = sim.v3_named_admin("ci");
    ws.write("main.tf", &config(&[token_tf("ci", "  name = \"ci\"")]));
    let out = ws.run(&["apply", "-auto-approve"]);
    out.assert_failure();
    let text = flat(&out.combined());
    assert!(
        text.contains("A token named \"ci\" already exists"),
        "{text}"
    );
    assert!(
        text.contains("terraform import influxdb_admin_token.NAME ci"),
        "{text}"
    );
    assert_eq!(sim.v3_authenticate(&theirs), Some(("ci".into(), true)));
    assert_eq!(sim.count_requests("DELETE", "/api/v3/configure/token"), 0);

    // Even with the create answer lost, the token that existed before stays.
    sim.add_fault(
        json!({"method": "POST", "path_suffix": "/named_admin", "drop_before_handling": true}),
    );
    ws.run(&["apply", "-auto-approve"]).assert_failure();
    assert_eq!(sim.v3_authenticate(&theirs), Some(("ci".into(), true)));
}

fn refresh_of_many_tokens_is_one_query(target: Target, tf: Tf) {
    let (sim, ws) = setup(target, tf);
    let n = 25;
    let resources: Vec<String> = (0..n)
        .map(|i| format!("resource \"influxdb_admin_token\" \"t{i}\" {{\n  name = \"t{i}\"\n}}\n"))
        .collect();
    ws.write("main.tf", &config(&resources));
    ws.apply(&[]);
    assert_eq!(sim.tokens().len(), n + 1);
    sim.clear_requests();
    ws.plan_no_changes(&[]);
    let calls = sim.calls();
    assert_eq!(
        calls.len(),
        1,
        "one system.tokens query for {n} tokens: {calls:?}"
    );
    assert!(calls[0].1.ends_with("/api/v3/query_sql"));
}

fn no_token_in_the_trace_log(target: Target, tf: Tf) {
    let (sim, ws) = setup(target, tf);
    let operator = sim.admin_token();
    ws.write("main.tf", &config(&[token_tf("ci", "  name = \"ci\"")]));
    let out = ws.run_traced(&["apply", "-auto-approve"]);
    out.assert_success();
    let secret = ws.output_raw("ci_token");
    assert!(secret.starts_with("apiv3_"));
    let log = ws.trace_log();
    assert!(
        log.contains("named_admin") || log.contains("influxdb_admin_token"),
        "a real trace"
    );
    for (what, text) in [("the trace log", &log), ("the output", &out.combined())] {
        assert!(
            !text.contains(&secret),
            "the access token leaked into {what}"
        );
        assert!(
            !text.contains(&operator),
            "the operator token leaked into {what}"
        );
        assert!(
            !text.contains("apiv3_"),
            "a token string leaked into {what}"
        );
    }
    let _ = sim;
}

fn import_by_name_has_no_access_token(target: Target, tf: Tf) {
    let (sim, ws) = setup(target, tf);
    sim.named_admin("legacy");
    ws.write(
        "main.tf",
        &config(&[token_tf("legacy", "  name = \"legacy\"")]),
    );
    ws.run(&["import", "influxdb_admin_token.legacy", "legacy"])
        .assert_success();
    let state = ws.state_attributes("influxdb_admin_token.legacy");
    assert!(state["access_token"].is_null());
    assert_eq!(state["name"], "legacy");
    ws.plan_no_changes(&[]);
    ws.write(
        "main.tf",
        &config(&[
            token_tf("legacy", "  name = \"legacy\""),
            token_tf("x", "  name = \"x\""),
        ]),
    );
    let out = ws.run(&["import", "influxdb_admin_token.x", "_admin"]);
    out.assert_failure();
    assert!(
        flat(&out.combined()).contains("operator token"),
        "{}",
        out.combined()
    );
}

#[test]
fn import_by_identity() {
    let (sim, ws) = setup(Target::sim_enterprise(), Tf::V1_15_5);
    sim.named_admin("legacy");
    ws.write(
        "main.tf",
        &format!(
            "{}\nimport {{\n  to       = influxdb_admin_token.legacy\n  identity = {{ name = \"legacy\" }}\n}}\n",
            config(&[token_tf("legacy", "  name = \"legacy\"")])
        ),
    );
    let out = ws.apply(&[]);
    assert!(out.stdout.contains("1 imported"), "{}", out.stdout);
    assert!(ws.state_attributes("influxdb_admin_token.legacy")["access_token"].is_null());
    ws.plan_no_changes(&[]);
    ws.apply(&["-destroy"]);
    assert!(sim.token("legacy").is_none());
}

fn the_operator_token_cannot_be_managed_and_a_past_expiry_fails_at_plan(target: Target, tf: Tf) {
    let (sim, ws) = setup(target, tf);
    ws.write("main.tf", &config(&[token_tf("op", "  name = \"_admin\"")]));
    let out = ws.run(&["plan"]);
    out.assert_failure();
    assert!(
        out.combined().contains("operator token"),
        "{}",
        out.combined()
    );
    ws.write(
        "main.tf",
        &config(&[token_tf(
            "x",
            "  name = \"x\"\n  expires_at = \"2001-01-01T00:00:00Z\"",
        )]),
    );
    let out = ws.run(&["plan"]);
    out.assert_failure();
    assert!(
        out.combined().contains("expires_at is in the past"),
        "{}",
        out.combined()
    );
    assert!(sim.calls().is_empty(), "nothing was asked of the server");
}
