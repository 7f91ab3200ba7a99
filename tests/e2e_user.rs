//! `influxdb_user` end to end, and the whole setup of a token in one configuration: an
//! organization, a bucket with 30 d retention, a user with a write-only password, its
//! membership, a bucket-scoped read token and a user-scoped token. Write-only attributes need
//! Terraform 1.11, so the scenarios run under 1.15.5; under 1.0.3 the refusal is clear.

#[path = "support/secrets.rs"]
mod secrets;
#[path = "support/sim.rs"]
mod sim;
#[path = "support/terraform.rs"]
mod terraform;

use sim::SimProcess;
use terraform::{provider_block, Tf, Workspace};

const PASSWORD: &str = "wo-Passw0rd-4b1e7c";
const NEW_PASSWORD: &str = "wo-Passw0rd-rotated-93fd";

fn setup(tf: Tf) -> (SimProcess, Workspace) {
    let sim = SimProcess::oss_v2();
    let ws = Workspace::with_env(tf, sim.provider_env());
    (sim, ws)
}

/// The configuration; the password comes from an ephemeral variable (`TF_VAR_pw`), so that
/// neither the configuration nor a saved plan holds it.
fn everything(version: u32) -> String {
    format!(
        r#"{provider}
variable "pw" {{
  type      = string
  sensitive = true
  ephemeral = true
}}

resource "influxdb_organization" "o" {{
  name = "team"
}}

resource "influxdb_bucket" "b" {{
  org_id           = influxdb_organization.o.id
  name             = "telemetry"
  retention_period = "30d"
}}

resource "influxdb_user" "u" {{
  name                = "ann"
  password_wo         = var.pw
  password_wo_version = {version}
}}

resource "influxdb_organization_member" "m" {{
  org_id  = influxdb_organization.o.id
  user_id = influxdb_user.u.id
}}

resource "influxdb_authorization" "reader" {{
  org_id      = influxdb_organization.o.id
  description = "reader"
  permissions = [{{ action = "read", resource = {{ type = "buckets", id = influxdb_bucket.b.id }} }}]
}}

resource "influxdb_authorization" "ann" {{
  org_id      = influxdb_organization.o.id
  user_id     = influxdb_user.u.id
  description = "ann"
  permissions = [{{ action = "write", resource = {{ type = "buckets", id = influxdb_bucket.b.id }} }}]
  depends_on  = [influxdb_organization_member.m]
}}
"#,
        provider = provider_block("")
    )
}

/// Whether the simulator signs `name` in with `password` (`POST /api/v2/signin`, Basic auth).
fn signs_in(sim: &SimProcess, name: &str, password: &str) -> bool {
    use base64::Engine;
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{name}:{password}"));
    let r = sim.request_as(
        "POST",
        "/api/v2/signin",
        None,
        Some(&format!("Basic {basic}")),
    );
    r.status == 204
}

fn assert_no_password(what: &str, text: &str) {
    for p in [PASSWORD, NEW_PASSWORD] {
        assert!(!text.contains(p), "the password leaked into {what}");
    }
}

#[test]
fn one_configuration_sets_up_a_users_token_and_no_password_is_ever_stored() {
    let (sim, mut ws) = setup(Tf::V1_15_5);
    ws.set_env("TF_VAR_pw", PASSWORD);
    ws.write("main.tf", &everything(1));
    let plan = ws.run(&["plan", "-out=tfplan"]);
    plan.assert_success();
    assert_no_password("the plan output", &plan.combined());
    let saved = ws.plan_file_contents("tfplan");
    assert!(saved.contains("telemetry"), "the unzipped plan is readable");
    assert_no_password("the saved plan file", &saved);
    let apply = ws.run_traced(&["apply", "-auto-approve", "tfplan"]);
    apply.assert_success();
    assert_no_password("the apply output", &apply.combined());
    assert_no_password("the trace log", &ws.trace_log());
    assert_no_password("the state", &ws.read("terraform.tfstate"));
    let user = ws.state_attributes("influxdb_user.u");
    assert!(user["password_wo"].is_null(), "{user}");
    assert_eq!(user["password_wo_version"], 1);

    // What the server holds.
    assert!(signs_in(&sim, "ann", PASSWORD));
    let state = sim.state();
    let org_id = ws.state_attributes("influxdb_organization.o")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let bucket = ws.state_attributes("influxdb_bucket.b");
    let b = sim
        .v2(
            "GET",
            &format!("/buckets/{}", bucket["id"].as_str().unwrap()),
            None,
        )
        .json();
    assert_eq!(b["retentionRules"][0]["everySeconds"], 2_592_000);
    assert_eq!(b["orgID"], org_id.as_str());
    assert_eq!(
        bucket["shard_group_duration"], "1d",
        "the server's choice, read back"
    );
    let user_id = user["id"].as_str().unwrap();
    assert!(state["members"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["userID"] == user_id
            && m["resourceID"] == org_id.as_str()
            && m["role"] == "member"));
    let ann = ws.state_attributes("influxdb_authorization.ann");
    assert_eq!(ann["user_id"], user_id);
    let reader = ws.state_attributes("influxdb_authorization.reader");
    let perm = sim
        .v2(
            "GET",
            &format!("/authorizations/{}", reader["id"].as_str().unwrap()),
            None,
        )
        .json();
    assert_eq!(perm["permissions"][0]["resource"]["id"], bucket["id"]);

    // The next plan is empty (in spite of the write-only value in the configuration).
    let out = ws.plan_no_changes(&[]);
    assert!(out.stdout.contains("No changes"), "{}", out.stdout);

    // A new version sends the new password: one POST, nothing else written.
    ws.set_env("TF_VAR_pw", NEW_PASSWORD);
    ws.write("main.tf", &everything(2));
    sim.clear_requests();
    let out = ws.apply(&[]);
    assert_no_password("the apply output", &out.combined());
    let writes: Vec<_> = sim
        .calls()
        .into_iter()
        .filter(|(m, _)| m != "GET")
        .collect();
    assert_eq!(
        writes,
        [(
            "POST".to_owned(),
            format!("/api/v2/users/{user_id}/password")
        )]
    );
    assert!(signs_in(&sim, "ann", NEW_PASSWORD));
    assert!(!signs_in(&sim, "ann", PASSWORD));
    assert_no_password("the state", &ws.read("terraform.tfstate"));
    ws.plan_no_changes(&[]);

    // Destroy removes everything it made; the default org is untouched.
    ws.apply(&["-destroy"]);
    assert!(sim.v2("GET", "/users?name=ann", None).status == 404);
    assert_eq!(sim.v2("GET", "/orgs?org=team", None).status, 404);
}

#[test]
fn a_short_password_and_a_version_without_password_fail_at_plan_with_no_api_call() {
    let (sim, ws) = setup(Tf::V1_15_5);
    for (body, summary) in [
        ("  password_wo = \"short\"", "Invalid password_wo"),
        ("  password_wo_version = 1", "Missing password_wo"),
        ("  status = \"asleep\"", "Invalid status"),
    ] {
        ws.write(
            "main.tf",
            &format!(
                "{}\nresource \"influxdb_user\" \"u\" {{\n  name = \"ann\"\n{body}\n}}\n",
                provider_block("")
            ),
        );
        sim.clear_requests();
        let out = ws.run(&["plan"]);
        out.assert_failure();
        assert!(out.stderr.contains(summary), "{}", out.stderr);
        assert!(sim.requests().is_empty(), "{:?}", sim.requests());
    }
}

#[test]
fn a_user_is_imported_by_name_and_a_user_deleted_outside_is_recreated() {
    let (sim, ws) = setup(Tf::V1_15_5);
    let id = sim.v2_user("bob");
    ws.write(
        "main.tf",
        &format!(
            "{}\nresource \"influxdb_user\" \"u\" {{\n  name = \"bob\"\n}}\n",
            provider_block("")
        ),
    );
    ws.run(&["import", "influxdb_user.u", "bob"])
        .assert_success();
    assert_eq!(ws.state_attributes("influxdb_user.u")["id"], id.as_str());
    ws.plan_no_changes(&[]);
    assert_eq!(sim.v2("DELETE", &format!("/users/{id}"), None).status, 204);
    let out = ws.apply(&[]);
    assert!(
        out.combined().contains("deleted outside Terraform"),
        "{}",
        out.combined()
    );
    assert!(sim.v2("GET", "/users?name=bob", None).status == 200);
}

#[test]
fn terraform_1_0_3_is_refused_with_a_clear_message() {
    let (sim, mut ws) = setup(Tf::V1_0_3);
    ws.set_env("TF_VAR_pw", PASSWORD);
    ws.write("main.tf", &format!("{}\nvariable \"pw\" {{\n  type      = string\n  sensitive = true\n}}\n\nresource \"influxdb_user\" \"u\" {{\n  name = \"ann\"\n  password_wo = var.pw\n}}\n", provider_block("")));
    let out = ws.run(&["plan"]);
    out.assert_failure();
    assert!(out.stderr.contains("1.11"), "{}", out.stderr);
    assert_no_password("the output", &out.combined());
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
}
