//! `influxdb_database_token` end to end: the real Terraform (1.0.3 and 1.15.5), in its normal human output
//! mode, driving the provider against the Management API simulator. One scenario per test.

#[path = "support/sim.rs"]
mod sim;
#[path = "support/terraform.rs"]
mod terraform;

use serde_json::Value as J;
use sim::SimProcess;
use terraform::{provider_block, Tf, Workspace};

terraform::every_terraform!(
    apply_keeps_the_written_expiry_and_the_next_plan_is_empty,
    changing_the_description_updates_in_place,
    changing_permissions_updates_in_place_and_order_never_matters,
    changing_expires_at_replaces_the_token,
    a_token_revoked_behind_terraforms_back_is_created_again,
    a_token_deleted_behind_terraforms_back_is_created_again,
    permissions_changed_outside_terraform_show_as_drift_and_are_restored,
    import_by_id_then_destroy_revokes_every_token_and_a_second_destroy_is_a_no_op,
    an_import_of_an_unknown_id_is_a_clear_error,
    an_ambiguous_create_leaves_no_active_orphan_token,
    invalid_configuration_fails_at_plan_naming_the_attribute_without_api_calls,
    secrets_never_reach_the_trace_log_and_schema_marks_access_token_sensitive,
    tokens_work_against_clustered,
    an_expired_token_must_be_replaced_and_the_plan_says_why,
);

/// A simulator and a workspace whose provider points at it through the environment.
struct Setup {
    sim: SimProcess,
    ws: Workspace,
}

fn setup_with(tf: Tf, sim: SimProcess) -> Setup {
    let mut ws = Workspace::new(tf);
    ws.set_envs(sim.provider_env());
    Setup { sim, ws }
}

fn setup(tf: Tf) -> Setup {
    setup_with(tf, SimProcess::dedicated())
}

/// A configuration with one token `t`, and an output of its access token.
fn token_tf(description: &str, permissions: &[(&str, &str)], expires_at: Option<&str>) -> String {
    let perms: Vec<String> = permissions
        .iter()
        .map(|(a, r)| format!("{{ action = \"{a}\", resource = \"{r}\" }}"))
        .collect();
    let expires = expires_at
        .map(|e| format!("  expires_at  = \"{e}\"\n"))
        .unwrap_or_default();
    format!(
        "{}\nresource \"influxdb_database_token\" \"t\" {{\n  description = \"{description}\"\n  permissions = [{}]\n{expires}}}\n\noutput \"access_token\" {{\n  value     = influxdb_database_token.t.access_token\n  sensitive = true\n}}\n",
        provider_block(""),
        perms.join(", ")
    )
}

impl Setup {
    /// `terraform plan -detailed-exitcode` must report no changes.
    fn assert_plan_empty(&self) {
        let out = self.ws.plan_no_changes(&[]);
        assert!(
            !out.stdout.contains("known after apply"),
            "an empty plan shows nothing unknown:\n{}",
            out.stdout
        );
    }

    /// The attributes of `influxdb_database_token.t` in the state file.
    fn state(&self) -> J {
        self.ws.state_attributes("influxdb_database_token.t")
    }

    fn output_token(&self) -> String {
        self.ws.output_raw("access_token")
    }

    fn sim_token(&self, id: &str) -> J {
        let a = self.sim.api("GET", &format!("/tokens/{id}"), None);
        assert_eq!(a.status, 200, "{}", a.body);
        a.json()
    }
}

fn sorted_permissions(v: &J) -> Vec<(String, String)> {
    let mut p: Vec<(String, String)> = v
        .as_array()
        .expect("permissions array")
        .iter()
        .map(|p| {
            (
                p["action"].as_str().unwrap().to_owned(),
                p["resource"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    p.sort();
    p
}

fn apply_keeps_the_written_expiry_and_the_next_plan_is_empty(tf: Tf) {
    let s = setup(tf);
    s.ws.write(
        "main.tf",
        &token_tf(
            "ingest for mydb",
            &[("write", "mydb"), ("read", "mydb")],
            Some("2030-01-01T02:00:00+02:00"),
        ),
    );
    let out = s.ws.apply(&[]);
    assert!(
        out.stdout.contains("access_token = (sensitive value)"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("1 added"), "{}", out.stdout);
    s.assert_plan_empty();

    let st = s.state();
    let id = st["id"].as_str().expect("id").to_owned();
    assert_eq!(
        st["expires_at"], "2030-01-01T02:00:00+02:00",
        "state keeps what the user wrote"
    );
    let api = s.sim_token(&id);
    assert_eq!(
        api["expiresAt"], "2030-01-01T00:00:00.000Z",
        "the API holds the same instant in UTC"
    );

    // The token Terraform hands out is the one the simulator issued for this id.
    let token = s.output_token();
    assert!(token.starts_with("apiv1_") && token.len() == 70, "{token}");
    assert_eq!(st["access_token"], token.as_str());
    assert_eq!(s.sim.authenticate(&token), Some((id, true)));
}

fn changing_the_description_updates_in_place(tf: Tf) {
    let s = setup(tf);
    s.ws.write("main.tf", &token_tf("before", &[("read", "a")], None));
    s.ws.apply(&[]);
    let (id, token) = (s.state()["id"].clone(), s.output_token());

    s.ws.write("main.tf", &token_tf("after", &[("read", "a")], None));
    let plan = s.ws.run(&["plan"]);
    plan.assert_success();
    assert!(
        plan.stdout.contains("1 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    assert!(
        !plan.stdout.contains("known after apply"),
        "no noise in an update:\n{}",
        plan.stdout
    );
    s.ws.apply(&[]);
    assert_eq!(s.state()["id"], id);
    assert_eq!(s.output_token(), token);
    assert_eq!(s.sim_token(id.as_str().unwrap())["description"], "after");
    s.assert_plan_empty();
}

fn changing_permissions_updates_in_place_and_order_never_matters(tf: Tf) {
    let s = setup(tf);
    s.ws.write(
        "main.tf",
        &token_tf("t", &[("read", "a"), ("write", "b")], None),
    );
    s.ws.apply(&[]);
    let (id, token) = (s.state()["id"].clone(), s.output_token());

    // The same set in another order is no change.
    s.ws.write(
        "main.tf",
        &token_tf("t", &[("write", "b"), ("read", "a")], None),
    );
    s.assert_plan_empty();

    s.ws.write(
        "main.tf",
        &token_tf("t", &[("read", "a"), ("read", "*")], None),
    );
    let plan = s.ws.run(&["plan"]);
    assert!(plan.stdout.contains("updated in-place"), "{}", plan.stdout);
    s.ws.apply(&[]);
    assert_eq!(s.state()["id"], id);
    assert_eq!(s.output_token(), token);
    let api = s.sim_token(id.as_str().unwrap());
    assert_eq!(
        sorted_permissions(&api["permissions"]),
        vec![("read".into(), "*".into()), ("read".into(), "a".into())]
    );
    s.assert_plan_empty();

    // An empty set is a token with no access.
    s.ws.write("main.tf", &token_tf("t", &[], None));
    s.ws.apply(&[]);
    assert_eq!(
        s.sim_token(id.as_str().unwrap())["permissions"],
        J::Array(vec![])
    );
    s.assert_plan_empty();
}

fn changing_expires_at_replaces_the_token(tf: Tf) {
    let s = setup(tf);
    s.ws.write(
        "main.tf",
        &token_tf("t", &[("read", "a")], Some("2030-01-01T00:00:00Z")),
    );
    s.ws.apply(&[]);
    let (old_id, old_token) = (
        s.state()["id"].as_str().unwrap().to_owned(),
        s.output_token(),
    );

    // The same instant written differently is not a change.
    s.ws.write(
        "main.tf",
        &token_tf("t", &[("read", "a")], Some("2030-01-01T01:00:00.000+01:00")),
    );
    s.assert_plan_empty();

    s.ws.write(
        "main.tf",
        &token_tf("t", &[("read", "a")], Some("2031-06-01T00:00:00Z")),
    );
    let plan = s.ws.run(&["plan"]);
    assert!(plan.stdout.contains("must be replaced"), "{}", plan.stdout);
    assert!(
        plan.stdout.contains("forces replacement"),
        "{}",
        plan.stdout
    );
    s.ws.apply(&[]);
    let new_id = s.state()["id"].as_str().unwrap().to_owned();
    let new_token = s.output_token();
    assert_ne!(new_id, old_id);
    assert_ne!(new_token, old_token);
    assert_eq!(
        s.sim.authenticate(&old_token),
        Some((old_id, false)),
        "the old token is revoked"
    );
    assert_eq!(s.sim.authenticate(&new_token), Some((new_id, true)));
    s.assert_plan_empty();
}

fn a_token_revoked_behind_terraforms_back_is_created_again(tf: Tf) {
    let s = setup(tf);
    s.ws.write("main.tf", &token_tf("t", &[("read", "a")], None));
    s.ws.apply(&[]);
    let old_id = s.state()["id"].as_str().unwrap().to_owned();
    assert_eq!(
        s.sim
            .api("DELETE", &format!("/tokens/{old_id}"), None)
            .status,
        204
    );

    let plan = s.ws.run(&["plan", "-detailed-exitcode"]);
    plan.assert_code(2);
    assert!(
        plan.stdout.contains("1 to add, 0 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    assert!(
        plan.combined().contains("revoked outside Terraform"),
        "{}",
        plan.combined()
    );

    s.ws.apply(&[]);
    let new_id = s.state()["id"].as_str().unwrap().to_owned();
    assert_ne!(new_id, old_id);
    assert_eq!(s.sim.authenticate(&s.output_token()), Some((new_id, true)));
    s.assert_plan_empty();
}

fn a_token_deleted_behind_terraforms_back_is_created_again(tf: Tf) {
    let s = setup(tf);
    s.ws.write("main.tf", &token_tf("t", &[("read", "a")], None));
    s.ws.apply(&[]);
    // Wipe the simulator: the token's id now answers 404.
    assert_eq!(
        s.sim.request("DELETE", "/__sim/state", None, false).status,
        204
    );

    let plan = s.ws.run(&["plan", "-detailed-exitcode"]);
    plan.assert_code(2);
    assert!(plan.stdout.contains("1 to add"), "{}", plan.stdout);
    assert!(
        plan.combined().contains("deleted outside Terraform"),
        "{}",
        plan.combined()
    );
    s.ws.apply(&[]);
    assert_eq!(s.sim.active_tokens().len(), 1);
    s.assert_plan_empty();
}

fn permissions_changed_outside_terraform_show_as_drift_and_are_restored(tf: Tf) {
    let s = setup(tf);
    s.ws.write(
        "main.tf",
        &token_tf("t", &[("read", "a"), ("write", "a")], None),
    );
    s.ws.apply(&[]);
    let id = s.state()["id"].as_str().unwrap().to_owned();
    let patch = r#"{"permissions":[{"action":"read","resource":"*"}]}"#;
    assert_eq!(
        s.sim
            .api("PATCH", &format!("/tokens/{id}"), Some(patch))
            .status,
        200
    );

    let plan = s.ws.run(&["plan", "-detailed-exitcode"]);
    plan.assert_code(2);
    // Terraform 1.0 prints a drift note of its own; later versions report drift only where it
    // affects other objects, and show it here in the diff itself (the remote value struck out).
    if tf == Tf::V1_0_3 {
        assert!(
            plan.stdout.contains("changed outside of Terraform"),
            "{}",
            plan.stdout
        );
    }
    assert!(
        plan.stdout.contains("- resource = \"*\""),
        "the drifted permission is shown as removed:\n{}",
        plan.stdout
    );
    assert!(plan.stdout.contains("updated in-place"), "{}", plan.stdout);
    s.ws.apply(&[]);
    assert_eq!(
        sorted_permissions(&s.sim_token(&id)["permissions"]),
        vec![("read".into(), "a".into()), ("write".into(), "a".into())]
    );
    s.assert_plan_empty();
}

fn import_by_id_then_destroy_revokes_every_token_and_a_second_destroy_is_a_no_op(tf: Tf) {
    let s = setup(tf);
    let created = s.sim.api(
        "POST",
        "/tokens",
        Some(
            r#"{"description":"made by hand","permissions":[{"action":"read","resource":"db1"}]}"#,
        ),
    );
    assert_eq!(created.status, 200, "{}", created.body);
    let id = created.json()["id"].as_str().unwrap().to_owned();

    let mut cfg = token_tf("made by hand", &[("read", "db1")], None);
    cfg.push_str(
        "\nresource \"influxdb_database_token\" \"other\" {\n  description = \"second\"\n  permissions = [{ action = \"write\", resource = \"*\" }]\n}\n",
    );
    s.ws.write("main.tf", &cfg);
    s.ws.run(&["import", "influxdb_database_token.t", &id])
        .assert_success();
    let st = s.state();
    assert_eq!(st["id"], id.as_str());
    assert!(
        st["access_token"].is_null(),
        "the API never returns the token string again"
    );
    assert_eq!(st["description"], "made by hand");

    let plan = s.ws.run(&["plan"]);
    assert!(
        plan.stdout.contains("1 to add, 0 to change, 0 to destroy"),
        "only `other` is new:\n{}",
        plan.stdout
    );
    s.ws.apply(&[]);
    assert_eq!(s.sim.active_tokens().len(), 2);

    s.ws.run(&["destroy", "-auto-approve"]).assert_success();
    assert!(
        s.sim.active_tokens().is_empty(),
        "destroy revokes every token: {:?}",
        s.sim.active_tokens()
    );
    s.sim.clear_requests();
    let again = s.ws.run(&["destroy", "-auto-approve"]);
    again.assert_success();
    assert!(
        again.stdout.contains("0 destroyed") || again.stdout.contains("No changes"),
        "{}",
        again.stdout
    );
    assert_eq!(
        s.sim.count_requests("DELETE", ""),
        0,
        "a second destroy calls nothing"
    );
}

fn an_import_of_an_unknown_id_is_a_clear_error(tf: Tf) {
    let s = setup(tf);
    s.ws.write("main.tf", &token_tf("t", &[("read", "a")], None));
    let out = s.ws.run(&[
        "import",
        "influxdb_database_token.t",
        "00000000-0000-4000-8000-000000000000",
    ]);
    out.assert_failure();
    assert!(
        out.stderr.contains("non-existent") || out.stderr.contains("No influxdb_database_token"),
        "{}",
        out.stderr
    );
    let out =
        s.ws.run(&["import", "influxdb_database_token.t", "not-a-uuid"]);
    out.assert_failure();
    assert!(out.stderr.contains("not a UUID"), "{}", out.stderr);
}

fn an_ambiguous_create_leaves_no_active_orphan_token(tf: Tf) {
    let s = setup(tf);
    s.ws.write("main.tf", &token_tf("t", &[("read", "a")], None));
    // The server creates the token, then the connection drops before the answer.
    s.sim.add_fault(serde_json::json!({
        "method": "POST", "path_suffix": "/tokens", "count": 1, "drop_after_handling": true
    }));
    let out = s.ws.run(&["apply", "-auto-approve"]);
    out.assert_failure();
    assert!(
        out.stderr.contains("revoked"),
        "the error explains the cleanup:\n{}",
        out.stderr
    );
    assert_eq!(
        s.sim.count_requests("POST", "/tokens"),
        1,
        "a create is never retried blindly"
    );
    let all = s.sim.state()["tokens"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(all.len(), 1, "the server did create one token");
    assert!(
        s.sim.active_tokens().is_empty(),
        "and it is revoked: {all:?}"
    );

    // A second apply converges with exactly one active token, in state.
    s.ws.apply(&[]);
    let active = s.sim.active_tokens();
    assert_eq!(active.len(), 1);
    assert_eq!(active[0]["id"], s.state()["id"]);
    s.assert_plan_empty();
}

fn invalid_configuration_fails_at_plan_naming_the_attribute_without_api_calls(tf: Tf) {
    // (what, permissions, expires_at, the error's summary, the attribute Terraform quotes)
    type Case<'a> = (
        &'a str,
        &'a [(&'a str, &'a str)],
        Option<&'a str>,
        &'a str,
        &'a str,
    );
    let cases: [Case; 5] = [
        (
            "bad action",
            &[("admin", "db")],
            None,
            "Invalid permission action",
            "permissions",
        ),
        (
            "bad database",
            &[("read", "_internal")],
            None,
            "Invalid permission resource",
            "permissions",
        ),
        (
            "bad database",
            &[("read", "my db")],
            None,
            "Invalid permission resource",
            "permissions",
        ),
        (
            "bad time",
            &[("read", "db")],
            Some("next tuesday"),
            "Invalid expires_at",
            "expires_at",
        ),
        (
            "past time",
            &[("read", "db")],
            Some("2001-01-01T00:00:00Z"),
            "expires_at is in the past",
            "expires_at",
        ),
    ];
    let s = setup(tf);
    for (what, perms, expires, summary, attribute) in cases {
        s.ws.write("main.tf", &token_tf(what, perms, expires));
        s.sim.clear_requests();
        let out = s.ws.run(&["plan"]);
        out.assert_failure();
        assert!(out.stderr.contains(summary), "{what}: {}", out.stderr);
        // Terraform quotes the offending line of the configuration.
        assert!(
            out.stderr.contains(&format!("{attribute} ")),
            "{what}: {}",
            out.stderr
        );
        assert!(
            s.sim.requests().is_empty(),
            "{what}: no API call: {:?}",
            s.sim.requests()
        );
    }
    let empty = token_tf("", &[("read", "db")], None);
    s.ws.write("main.tf", &empty);
    let out = s.ws.run(&["plan"]);
    out.assert_failure();
    assert!(out.stderr.contains("Invalid description"), "{}", out.stderr);
}

fn secrets_never_reach_the_trace_log_and_schema_marks_access_token_sensitive(tf: Tf) {
    let s = setup(tf);
    s.ws.write("main.tf", &token_tf("t", &[("read", "a")], None));
    let log = s.ws.path().join("trace.log");
    let log_s = log.to_string_lossy().to_string();
    let env = [("TF_LOG", "trace"), ("TF_LOG_PATH", log_s.as_str())];
    let apply =
        s.ws.terraform_with_env(&["apply", "-auto-approve", "-no-color"], &env);
    apply.assert_success();
    let token = s.output_token();
    s.ws.terraform_with_env(&["plan", "-no-color"], &env)
        .assert_success();
    let destroy =
        s.ws.terraform_with_env(&["destroy", "-auto-approve", "-no-color"], &env);
    destroy.assert_success();

    let text = std::fs::read_to_string(&log).expect("trace log");
    assert!(
        text.contains("provider.terraform-provider-influxdb"),
        "the provider logged"
    );
    assert!(
        text.contains("ApplyResourceChange"),
        "our own lines are in the log"
    );
    assert!(
        !text.contains(sim::MANAGEMENT_TOKEN),
        "management token leaked into the log"
    );
    assert!(!text.contains(&token), "access token leaked into the log");
    for out in [&apply, &destroy] {
        assert!(
            !out.combined().contains(&token) && !out.combined().contains(sim::MANAGEMENT_TOKEN)
        );
    }

    let schema = s.ws.run(&["providers", "schema", "-json"]);
    schema.assert_success();
    let j: J = serde_json::from_str(&schema.stdout).expect("schema JSON");
    let attrs = &j["provider_schemas"]["example.com/influxdata/influxdb"]["resource_schemas"]
        ["influxdb_database_token"]["block"]["attributes"];
    assert_eq!(attrs["access_token"]["sensitive"], true, "{attrs}");
    assert_eq!(attrs["access_token"]["computed"], true);
}

fn tokens_work_against_clustered(tf: Tf) {
    let s = setup_with(tf, SimProcess::clustered());
    s.ws.write(
        "main.tf",
        &token_tf("clustered", &[("read", "a")], Some("2030-01-01T00:00:00Z")),
    );
    s.ws.apply(&[]);
    let st = s.state();
    assert!(
        st["account_id"].is_null() && st["cluster_id"].is_null(),
        "{st}"
    );
    let id = st["id"].as_str().unwrap().to_owned();
    assert_eq!(s.sim.authenticate(&s.output_token()), Some((id, true)));
    s.assert_plan_empty();
    s.ws.run(&["destroy", "-auto-approve"]).assert_success();
    assert!(s.sim.active_tokens().is_empty());
}

fn an_expired_token_must_be_replaced_and_the_plan_says_why(tf: Tf) {
    let s = setup(tf);
    let soon = time::OffsetDateTime::now_utc() + time::Duration::seconds(4);
    let soon = soon
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    s.ws.write(
        "main.tf",
        &token_tf("short-lived", &[("read", "a")], Some(&soon)),
    );
    s.ws.apply(&[]);
    let (old_id, old_token) = (
        s.state()["id"].as_str().unwrap().to_owned(),
        s.output_token(),
    );
    std::thread::sleep(std::time::Duration::from_secs(5));

    // Still configured with the past time: the token cannot be replaced by an equally expired
    // one, and the plan says so, on the attribute.
    let plan = s.ws.run(&["plan"]);
    plan.assert_failure();
    assert!(
        plan.stderr.contains("Database token expired"),
        "{}",
        plan.stderr
    );
    assert!(plan.stderr.contains(&old_id), "{}", plan.stderr);
    assert!(plan.stderr.contains("expires_at"), "{}", plan.stderr);

    // A future time replaces it; the expired token is revoked.
    s.ws.write(
        "main.tf",
        &token_tf(
            "short-lived",
            &[("read", "a")],
            Some("2031-01-01T00:00:00Z"),
        ),
    );
    let plan = s.ws.run(&["plan"]);
    assert!(plan.stdout.contains("must be replaced"), "{}", plan.stdout);
    s.ws.apply(&[]);
    assert_ne!(s.state()["id"].as_str().unwrap(), old_id);
    assert_eq!(s.sim.authenticate(&old_token), Some((old_id, false)));
    s.assert_plan_empty();
}
