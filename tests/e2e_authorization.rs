//! `influxdb_authorization` and the v2 data sources end to end: the real Terraform, in its
//! normal human output mode, driving the provider against the simulator's InfluxDB OSS v2 mode.
//! The resource needs Terraform 1.3.0 or later (nested attributes), so its scenarios run under
//! Terraform 1.15.5; under 1.0.3 the test is that the refusal is clear. The data sources use
//! plain typed attributes and run under both.

#[path = "support/sim.rs"]
mod sim;
#[path = "support/terraform.rs"]
mod terraform;

use serde_json::Value as J;
use sim::SimProcess;
use terraform::{provider_block, Tf, Workspace};

terraform::every_terraform!(data_sources_read_and_list_authorizations_without_tokens);

struct Setup {
    sim: SimProcess,
    ws: Workspace,
}

/// A v2 simulator, and a workspace whose provider finds it through the `influx` CLI's
/// environment variables.
fn setup(tf: Tf) -> Setup {
    let sim = SimProcess::oss_v2();
    let mut ws = Workspace::new(tf);
    ws.set_envs(sim.provider_env());
    Setup { sim, ws }
}

impl Setup {
    fn assert_plan_empty(&self) {
        let out = self.ws.plan_no_changes(&[]);
        assert!(
            out.stdout.contains("No changes"),
            "an empty plan:\n{}",
            out.stdout
        );
    }

    /// The attributes of `influxdb_authorization.NAME` in the state file.
    fn state(&self, name: &str) -> J {
        self.ws
            .state_attributes(&format!("influxdb_authorization.{name}"))
    }

    fn output(&self, name: &str) -> String {
        self.ws.output_raw(name)
    }

    fn sim_auth(&self, id: &str) -> J {
        let a = self.sim.v2("GET", &format!("/authorizations/{id}"), None);
        assert_eq!(a.status, 200, "{}", a.body);
        a.json()
    }
}

/// One authorization `NAME` with the given body, and a sensitive output of its token.
fn auth_tf(name: &str, body: &str) -> String {
    format!(
        "resource \"influxdb_authorization\" \"{name}\" {{\n{body}\n}}\n\noutput \"{name}_token\" {{\n  value     = influxdb_authorization.{name}.token\n  sensitive = true\n}}\n"
    )
}

fn config(resources: &[String]) -> String {
    format!("{}\n{}", provider_block(""), resources.join("\n"))
}

fn telegraf(bucket_id: &str, status: Option<&str>, read: &str) -> String {
    let status = status
        .map(|s| format!("  status      = \"{s}\"\n"))
        .unwrap_or_default();
    auth_tf(
        "telegraf",
        &format!(
            "  description = \"telegraf\"\n{status}  permissions = [\n    {{ action = \"write\", resource = {{ type = \"buckets\", id = \"{bucket_id}\" }} }},\n    {{ action = \"read\",  resource = {{ type = \"{read}\" }} }},\n  ]"
        ),
    )
}

#[test]
fn three_kinds_of_token_apply_the_next_plan_is_empty_and_outputs_are_the_issued_tokens() {
    let s = setup(Tf::V1_15_5);
    let bucket = s.sim.v2_bucket("telemetry");
    let user = s.sim.v2_user("iot");
    s.ws.write(
        "main.tf",
        &config(&[
            telegraf(&bucket, None, "dashboards"),
            auth_tf("admin", "  description = \"all access\"\n  all_access  = true"),
            auth_tf(
                "iot",
                &format!("  description = \"iot user\"\n  user_id     = \"{user}\"\n  permissions = [{{ action = \"read\", resource = {{ type = \"buckets\" }} }}]"),
            ),
        ]),
    );
    let apply = s.ws.apply(&[]);
    assert!(apply.stdout.contains("3 added"), "{}", apply.stdout);
    s.assert_plan_empty();

    for name in ["telegraf", "admin", "iot"] {
        let st = s.state(name);
        let id = st["id"].as_str().expect("id").to_owned();
        let token = s.output(&format!("{name}_token"));
        assert_eq!(
            s.sim.v2_authenticate(&token),
            Some((id.clone(), true)),
            "{name}: the output is the token the simulator issued for this authorization"
        );
        assert_eq!(st["org_id"], sim::V2_ORG_ID);
        assert_eq!(st["org"], sim::V2_ORG);
        assert_eq!(st["status"], "active");
    }

    // What the server holds: the bucket write scoped by ID in the org, the dashboards read on
    // the whole org.
    let t = s.sim_auth(s.state("telegraf")["id"].as_str().unwrap());
    let perms = t["permissions"].as_array().unwrap();
    assert_eq!(perms.len(), 2);
    assert!(perms.iter().any(|p| p["action"] == "write"
        && p["resource"]["id"] == bucket.as_str()
        && p["resource"]["name"] == "telemetry"));
    assert!(perms
        .iter()
        .all(|p| p["resource"]["orgID"] == sim::V2_ORG_ID));
    assert_eq!(
        t["userID"],
        sim::V2_USER_ID,
        "unset user_id: the provider token's user"
    );

    // All access: read and write on every org type the server lists (instance excepted).
    let a = s.sim_auth(s.state("admin")["id"].as_str().unwrap());
    let perms = a["permissions"].as_array().unwrap();
    assert_eq!(perms.len(), 2 * 22, "{perms:?}");
    assert!(perms
        .iter()
        .all(|p| p["resource"]["orgID"] == sim::V2_ORG_ID
            && p["resource"]["id"].is_null()
            && p["resource"]["type"] != "instance"));
    assert_eq!(
        s.state("admin")["permissions"].as_array().map(Vec::len),
        Some(44),
        "the expanded permissions are in state"
    );

    let i = s.sim_auth(s.state("iot")["id"].as_str().unwrap());
    assert_eq!(i["userID"], user.as_str());
    assert_eq!(s.state("iot")["user"], "iot");
}

#[test]
fn a_status_flip_is_in_place_and_a_permission_change_replaces_the_token() {
    let s = setup(Tf::V1_15_5);
    let bucket = s.sim.v2_bucket("b");
    s.ws.write("main.tf", &config(&[telegraf(&bucket, None, "dashboards")]));
    s.ws.apply(&[]);
    let id = s.state("telegraf")["id"].as_str().unwrap().to_owned();
    let token = s.output("telegraf_token");

    s.ws.write(
        "main.tf",
        &config(&[telegraf(&bucket, Some("inactive"), "dashboards")]),
    );
    let plan = s.ws.run(&["plan"]);
    plan.assert_success();
    assert!(
        plan.stdout.contains("1 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout.contains("\"active\" -> \"inactive\""),
        "{}",
        plan.stdout
    );
    s.ws.apply(&[]);
    assert_eq!(s.state("telegraf")["id"], id.as_str(), "same authorization");
    assert_eq!(s.sim_auth(&id)["status"], "inactive");
    assert_eq!(s.sim.v2_authenticate(&token), Some((id.clone(), false)));
    assert_eq!(s.output("telegraf_token"), token, "the token is kept");
    s.assert_plan_empty();

    // Another permission: a new authorization with a new token; the old one is deleted.
    s.ws.write(
        "main.tf",
        &config(&[telegraf(&bucket, Some("inactive"), "tasks")]),
    );
    let plan = s.ws.run(&["plan"]);
    assert!(plan.stdout.contains("must be replaced"), "{}", plan.stdout);
    assert!(
        plan.stdout.contains("1 to add, 0 to change, 1 to destroy"),
        "{}",
        plan.stdout
    );
    s.ws.apply(&[]);
    let new_id = s.state("telegraf")["id"].as_str().unwrap().to_owned();
    let new_token = s.output("telegraf_token");
    assert_ne!(new_id, id);
    assert_ne!(new_token, token);
    assert_eq!(
        s.sim.v2_authenticate(&token),
        None,
        "the old authorization is deleted"
    );
    assert_eq!(s.sim.v2_authenticate(&new_token), Some((new_id, false)));
    assert_eq!(s.sim.v2_authorizations().len(), 1);
    s.assert_plan_empty();
}

#[test]
fn drift_an_authorization_deleted_outside_is_recreated_and_a_status_flipped_outside_is_restored() {
    let s = setup(Tf::V1_15_5);
    s.ws.write(
        "main.tf",
        &config(&[auth_tf(
            "admin",
            "  description = \"all access\"\n  all_access  = true",
        )]),
    );
    s.ws.apply(&[]);
    let id = s.state("admin")["id"].as_str().unwrap().to_owned();

    assert_eq!(
        s.sim
            .v2("DELETE", &format!("/authorizations/{id}"), None)
            .status,
        204
    );
    let plan = s.ws.run(&["plan"]);
    plan.assert_success();
    assert!(
        plan.stderr
            .contains("Authorization deleted outside Terraform")
            || plan
                .stdout
                .contains("Authorization deleted outside Terraform"),
        "{}",
        plan.combined()
    );
    assert!(plan.stdout.contains("1 to add"), "{}", plan.stdout);
    s.ws.apply(&[]);
    let id2 = s.state("admin")["id"].as_str().unwrap().to_owned();
    assert_ne!(id2, id);
    let token = s.output("admin_token");
    assert_eq!(s.sim.v2_authenticate(&token), Some((id2.clone(), true)));

    let a = s.sim.v2(
        "PATCH",
        &format!("/authorizations/{id2}"),
        Some(r#"{"status":"inactive"}"#),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    let plan = s.ws.run(&["plan"]);
    assert!(
        plan.stdout.contains("\"inactive\" -> \"active\""),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout.contains("1 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    s.ws.apply(&[]);
    assert_eq!(s.sim_auth(&id2)["status"], "active");
    assert_eq!(s.sim.v2_authenticate(&token), Some((id2, true)));
    s.assert_plan_empty();
}

#[test]
fn bad_input_fails_at_plan_naming_the_attribute_without_api_calls() {
    let s = setup(Tf::V1_15_5);
    // (what, resource body, the error's summary, the attribute named)
    let cases = [
        (
            "unknown resource type",
            "  permissions = [{ action = \"read\", resource = { type = \"buckts\" } }]",
            "Invalid permission resource type",
            "permissions",
        ),
        (
            "all_access with permissions",
            "  all_access  = true\n  permissions = [{ action = \"read\", resource = { type = \"buckets\" } }]",
            "all_access conflicts with permissions",
            "all_access",
        ),
        (
            "bad action",
            "  permissions = [{ action = \"admin\", resource = { type = \"buckets\" } }]",
            "Invalid permission action",
            "permissions",
        ),
        (
            "no permissions at all",
            "  description = \"x\"",
            "Missing permissions",
            "permissions",
        ),
        (
            "bad bucket id",
            "  permissions = [{ action = \"read\", resource = { type = \"buckets\", id = \"xyz\" } }]",
            "Invalid permission resource id",
            "permissions",
        ),
    ];
    for (what, body, summary, attribute) in cases {
        s.ws.write("main.tf", &config(&[auth_tf("t", body)]));
        s.sim.clear_requests();
        let out = s.ws.run(&["plan"]);
        out.assert_failure();
        assert!(out.stderr.contains(summary), "{what}: {}", out.stderr);
        assert!(out.stderr.contains(attribute), "{what}: {}", out.stderr);
        assert!(
            s.sim.requests().is_empty(),
            "{what}: no API call: {:?}",
            s.sim.requests()
        );
    }

    // No organization anywhere.
    let sim2 = SimProcess::oss_v2();
    let mut ws = Workspace::new(Tf::V1_15_5);
    ws.set_env("INFLUX_HOST", sim2.url.clone())
        .set_env("INFLUX_TOKEN", sim::V2_TOKEN);
    ws.write("main.tf", &config(&[auth_tf("t", "  all_access = true")]));
    let out = ws.terraform(&["plan", "-no-color"]);
    out.assert_failure();
    assert!(
        out.stderr.contains("Missing organization"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("org_id"), "{}", out.stderr);
    assert!(sim2.requests().is_empty(), "{:?}", sim2.requests());
}

#[test]
fn a_v3_resource_under_a_v2_provider_block_and_mixed_settings_fail_at_plan_with_the_explanation() {
    let s = setup(Tf::V1_15_5);
    s.ws.write(
        "main.tf",
        &format!(
            "{}\nresource \"influxdb_database_token\" \"t\" {{\n  description = \"x\"\n  permissions = [{{ action = \"read\", resource = \"db\" }}]\n}}\n",
            provider_block("")
        ),
    );
    let out = s.ws.run(&["plan"]);
    out.assert_failure();
    for words in [
        "Resource and provider are for different InfluxDB products",
        "influxdb_database_token is available on InfluxDB 3",
        "management_token",
        "host, token and org",
        "alias",
    ] {
        assert!(out.stderr.contains(words), "{words}: {}", out.stderr);
    }
    assert!(s.sim.requests().is_empty(), "{:?}", s.sim.requests());

    // One block with settings of both products.
    s.ws.write(
        "main.tf",
        &format!(
            "{}\n{}",
            provider_block("  account_id = \"11111111-1111-4111-8111-111111111111\"\n  cluster_id = \"22222222-2222-4222-8222-222222222222\"\n  org        = \"sim-org\""),
            auth_tf("t", "  all_access = true")
        ),
    );
    let out = s.ws.run(&["plan"]);
    out.assert_failure();
    assert!(
        out.stderr
            .contains("Provider settings of two InfluxDB products"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("account_id, cluster_id configure InfluxDB 3"),
        "{}",
        out.stderr
    );
    assert!(s.sim.requests().is_empty(), "{:?}", s.sim.requests());
}

#[test]
fn an_ambiguous_create_leaves_no_active_orphan_and_the_next_apply_creates_one() {
    let s = setup(Tf::V1_15_5);
    s.ws.write(
        "main.tf",
        &config(&[auth_tf(
            "t",
            "  description = \"flaky\"\n  permissions = [{ action = \"read\", resource = { type = \"buckets\" } }]",
        )]),
    );
    // The server creates the authorization, then the connection drops before the answer.
    s.sim.add_fault(serde_json::json!({
        "method": "POST", "path_suffix": "/authorizations", "drop_after_handling": true
    }));
    let out = s.ws.run(&["apply", "-auto-approve"]);
    out.assert_failure();
    assert!(
        out.stderr
            .contains("it was deleted, because its token was lost"),
        "{}",
        out.stderr
    );
    assert_eq!(
        s.sim.count_requests("POST", "/authorizations"),
        1,
        "a create is never sent twice"
    );
    assert!(s.sim.v2_authorizations().is_empty(), "no orphan is left");

    s.ws.apply(&[]);
    assert_eq!(s.sim.v2_authorizations().len(), 1);
    let token = s.output("t_token");
    assert_eq!(
        s.sim.v2_authenticate(&token).map(|(_, active)| active),
        Some(true)
    );
}

#[test]
fn a_trace_log_of_apply_plan_and_destroy_leaks_no_token() {
    let s = setup(Tf::V1_15_5);
    s.ws.write("main.tf", &config(&[auth_tf("t", "  all_access = true")]));
    let log = s.ws.path().join("trace.log");
    let log_s = log.to_string_lossy().to_string();
    let env = [("TF_LOG", "trace"), ("TF_LOG_PATH", log_s.as_str())];
    let apply =
        s.ws.terraform_with_env(&["apply", "-auto-approve", "-no-color"], &env);
    apply.assert_success();
    let token = s.output("t_token");
    let plan = s.ws.terraform_with_env(&["plan", "-no-color"], &env);
    plan.assert_success();
    let destroy =
        s.ws.terraform_with_env(&["destroy", "-auto-approve", "-no-color"], &env);
    destroy.assert_success();
    assert!(s.sim.v2_authorizations().is_empty(), "destroy deletes it");

    let text = std::fs::read_to_string(&log).expect("trace log");
    assert!(
        text.contains("ApplyResourceChange"),
        "the log has the provider's lines"
    );
    for secret in [token.as_str(), sim::V2_TOKEN] {
        assert!(!text.contains(secret), "a token reached the trace log");
        for out in [&apply, &plan, &destroy] {
            assert!(
                !out.combined().contains(secret),
                "a token reached the output"
            );
        }
    }
    assert!(
        apply.stdout.contains("(sensitive value)"),
        "{}",
        apply.stdout
    );
}

#[test]
fn import_by_id_keeps_the_token_unknown_and_the_next_plan_is_empty() {
    let s = setup(Tf::V1_15_5);
    let bucket = s.sim.v2_bucket("b");
    let body = serde_json::json!({
        "orgID": sim::V2_ORG_ID,
        "description": "telegraf",
        "permissions": [
            {"action": "write", "resource": {"type": "buckets", "id": bucket, "orgID": sim::V2_ORG_ID}},
            {"action": "read", "resource": {"type": "dashboards", "orgID": sim::V2_ORG_ID}}
        ]
    })
    .to_string();
    let a = s.sim.v2("POST", "/authorizations", Some(&body));
    assert_eq!(a.status, 201, "{}", a.body);
    let id = a.json()["id"].as_str().unwrap().to_owned();
    s.ws.write("main.tf", &config(&[telegraf(&bucket, None, "dashboards")]));
    s.ws.run(&["import", "influxdb_authorization.telegraf", &id])
        .assert_success();
    assert_eq!(
        s.state("telegraf")["token"],
        J::Null,
        "the token is not recoverable"
    );
    s.assert_plan_empty();
    s.ws.run(&["destroy", "-auto-approve"]).assert_success();
    assert!(s.sim.v2_authorizations().is_empty());
}

#[test]
fn an_import_block_by_identity_brings_an_authorization_under_management() {
    let s = setup(Tf::V1_15_5);
    let bucket = s.sim.v2_bucket("b");
    let body = serde_json::json!({
        "orgID": sim::V2_ORG_ID,
        "description": "telegraf",
        "permissions": [
            {"action": "write", "resource": {"type": "buckets", "id": bucket, "orgID": sim::V2_ORG_ID}},
            {"action": "read", "resource": {"type": "dashboards", "orgID": sim::V2_ORG_ID}}
        ]
    })
    .to_string();
    let a = s.sim.v2("POST", "/authorizations", Some(&body));
    assert_eq!(a.status, 201, "{}", a.body);
    let id = a.json()["id"].as_str().unwrap().to_owned();
    let import = format!(
        "import {{\n  to       = influxdb_authorization.telegraf\n  identity = {{ id = \"{id}\" }}\n}}\n"
    );
    s.ws.write(
        "main.tf",
        &format!(
            "{}\n{import}",
            config(&[telegraf(&bucket, None, "dashboards")])
        ),
    );
    let plan = s.ws.run(&["plan"]);
    plan.assert_success();
    assert!(
        plan.stdout
            .contains("1 to import, 0 to add, 0 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    s.ws.apply(&[]);
    assert_eq!(s.state("telegraf")["id"], J::String(id.clone()));
    let state: J = serde_json::from_str(&s.ws.read("terraform.tfstate")).unwrap();
    let instance = &state["resources"][0]["instances"][0];
    assert_eq!(instance["identity"]["id"], J::String(id), "{instance}");
    s.assert_plan_empty();
}

#[test]
fn terraform_1_0_3_is_refused_with_a_clear_message_instead_of_crashing() {
    let s = setup(Tf::V1_0_3);
    s.ws.write("main.tf", &config(&[auth_tf("t", "  all_access = true")]));
    let out = s.ws.run(&["plan"]);
    out.assert_failure();
    assert!(
        out.stderr
            .contains("influxdb_authorization needs a newer Terraform"),
        "{}",
        out.combined()
    );
    // Terraform wraps the detail; compare with single spaces.
    let detail = out.stderr.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        detail.contains("needs Terraform 1.3.0 or later; this is Terraform 1.0.3"),
        "{}",
        out.stderr
    );
    assert!(!out.combined().contains("panic"), "{}", out.combined());
    assert!(s.sim.requests().is_empty(), "{:?}", s.sim.requests());
}

fn data_sources_read_and_list_authorizations_without_tokens(tf: Tf) {
    let s = setup(tf);
    let user = s.sim.v2_user("reader");
    let body = serde_json::json!({
        "orgID": sim::V2_ORG_ID,
        "userID": user,
        "description": "reader token",
        "permissions": [{"action": "read", "resource": {"type": "buckets", "orgID": sim::V2_ORG_ID}}]
    })
    .to_string();
    let a = s.sim.v2("POST", "/authorizations", Some(&body));
    assert_eq!(a.status, 201, "{}", a.body);
    let id = a.json()["id"].as_str().unwrap().to_owned();
    s.ws.write(
        "main.tf",
        &format!(
            "{}\ndata \"influxdb_authorization\" \"one\" {{\n  id = \"{id}\"\n}}\n\ndata \"influxdb_authorizations\" \"of_user\" {{\n  user_id = \"{user}\"\n}}\n\noutput \"description\" {{\n  value = data.influxdb_authorization.one.description\n}}\n\noutput \"ids\" {{\n  value = join(\",\", data.influxdb_authorizations.of_user.authorizations[*].id)\n}}\n\noutput \"perm\" {{\n  value = one(data.influxdb_authorization.one.permissions).resource.type\n}}\n",
            provider_block("")
        ),
    );
    s.ws.apply(&[]);
    assert_eq!(s.output("description"), "reader token");
    assert_eq!(s.output("ids"), id, "only the user's authorization");
    assert_eq!(s.output("perm"), "buckets");
    let state = s.ws.read("terraform.tfstate");
    assert!(
        !state.contains("\"token\""),
        "no token attribute in data sources"
    );
}

#[test]
fn one_configuration_manages_influxdb_3_and_influxdb_v2_through_a_provider_alias() {
    let v3 = SimProcess::dedicated();
    let v2 = SimProcess::oss_v2();
    let ws = Workspace::new(Tf::V1_15_5);
    let blocks = format!(
        "  url              = \"{}\"\n  account_id       = \"{}\"\n  cluster_id       = \"{}\"\n  management_token = \"{}\"\n}}\n\nprovider \"influxdb\" {{\n  alias = \"oss\"\n  host  = \"{}\"\n  token = \"{}\"\n  org   = \"{}\"",
        v3.url,
        sim::ACCOUNT_ID,
        sim::CLUSTER_ID,
        sim::MANAGEMENT_TOKEN,
        v2.url,
        sim::V2_TOKEN,
        sim::V2_ORG
    );
    ws.write(
        "main.tf",
        &format!(
            "{}\nresource \"influxdb_database_token\" \"ingest\" {{\n  description = \"ingest\"\n  permissions = [{{ action = \"write\", resource = \"sensors\" }}]\n}}\n\nresource \"influxdb_authorization\" \"telegraf\" {{\n  provider    = influxdb.oss\n  description = \"telegraf\"\n  permissions = [{{ action = \"write\", resource = {{ type = \"buckets\" }} }}]\n}}\n",
            provider_block(&blocks)
        ),
    );
    ws.terraform(&["apply", "-auto-approve", "-no-color"])
        .assert_success();
    let plan = ws.terraform(&["plan", "-detailed-exitcode", "-no-color"]);
    plan.assert_code(0);
    assert_eq!(
        v2.v2_authorizations().len(),
        1,
        "the authorization went to v2"
    );
    let tokens = v3.api("GET", "/tokens", None).json();
    assert_eq!(
        tokens.as_array().map(Vec::len),
        Some(1),
        "the token went to v3"
    );
    ws.terraform(&["destroy", "-auto-approve", "-no-color"])
        .assert_success();
    assert!(v2.v2_authorizations().is_empty());
}
