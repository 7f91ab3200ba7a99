//! `influxdb_v1_authorization` end to end against the simulator's InfluxDB OSS v2 mode: a
//! bucket, its DBRP mapping and v1 credentials whose write-only password is in no plan, state
//! or trace log and logs in on `/query` (URL `u`/`p` and basic auth); rotation, status in
//! place, drift, import, replacement, a lost create answer, destroy. Write-only attributes need
//! Terraform 1.11, so the scenarios run under 1.15.5 (1.0.3 gets a clear refusal). On Cloud
//! Serverless, every type it lacks (users, members, v1 authorizations) fails at plan, naming
//! it.

#[path = "support/sim.rs"]
mod sim;
#[path = "support/terraform.rs"]
mod terraform;

use sim::{SimProcess, V2_ORG_ID};
use terraform::{provider_block, Tf, Workspace};

const PASSWORD: &str = "v1-Passw0rd-c41d9e";
const NEW_PASSWORD: &str = "v1-Passw0rd-rotated-77ab";

fn setup(tf: Tf) -> (SimProcess, Workspace) {
    let sim = SimProcess::oss_v2();
    let ws = Workspace::with_env(tf, sim.provider_env());
    (sim, ws)
}

/// A bucket, its mapping and Grafana's v1 credentials; the password comes from an ephemeral
/// variable (`TF_VAR_pw`).
fn grafana(token: &str, version: u32, extra: &str) -> String {
    format!(
        r#"{provider}
variable "pw" {{
  type      = string
  sensitive = true
  ephemeral = true
}}

resource "influxdb_bucket" "b" {{
  name = "telegraf"
}}

resource "influxdb_dbrp_mapping" "m" {{
  bucket_id = influxdb_bucket.b.id
  database  = "telegraf"
}}

resource "influxdb_v1_authorization" "grafana" {{
  token               = "{token}"
  description         = "grafana"
  permissions         = [{{ action = "read", resource = {{ type = "buckets", id = influxdb_bucket.b.id }} }}]
  password_wo         = var.pw
  password_wo_version = {version}
{extra}
}}
"#,
        provider = provider_block("")
    )
}

/// The status of `SELECT 1` on database `telegraf` with `u`/`p` in the URL.
fn query_status(sim: &SimProcess, user: &str, password: &str) -> u16 {
    let path = format!("/query?u={user}&p={password}&db=telegraf&q=SELECT%201");
    sim.request_as("GET", &path, None, None).status
}

/// The same with basic auth.
fn query_basic(sim: &SimProcess, user: &str, password: &str) -> u16 {
    use base64::Engine;
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    sim.request_as(
        "GET",
        "/query?db=telegraf&q=SELECT%201",
        None,
        Some(&format!("Basic {basic}")),
    )
    .status
}

fn legacy(sim: &SimProcess, method: &str, path: &str, body: Option<&str>) -> sim::Answer {
    sim.request_as(
        method,
        &format!("/private/legacy/authorizations{path}"),
        body,
        Some(&format!("Token {}", sim::V2_TOKEN)),
    )
}

fn writes(sim: &SimProcess) -> Vec<(String, String)> {
    sim.calls()
        .into_iter()
        .filter(|(m, _)| m != "GET")
        .collect()
}

fn assert_no_password(what: &str, text: &str) {
    for p in [PASSWORD, NEW_PASSWORD] {
        assert!(!text.contains(p), "the password leaked into {what}");
    }
}

fn id_of(ws: &Workspace) -> String {
    ws.state_attributes("influxdb_v1_authorization.grafana")["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

#[test]
fn grafanas_v1_password_logs_in_and_is_never_stored() {
    let (sim, mut ws) = setup(Tf::V1_15_5);
    ws.set_env("TF_VAR_pw", PASSWORD);
    ws.write("main.tf", &grafana("grafana", 1, ""));
    // The plan reads the password (Terraform hands write-only values to the provider at plan
    // too): traced as well.
    let plan = ws.run_traced(&["plan", "-out=tfplan"]);
    plan.assert_success();
    assert_no_password("the plan output", &plan.combined());
    assert_no_password("the plan's trace log", &ws.trace_log());
    assert_no_password("the saved plan file", &ws.plan_file_contents("tfplan"));
    let apply = ws.run_traced(&["apply", "-auto-approve", "tfplan"]);
    apply.assert_success();
    assert_no_password("the apply output", &apply.combined());
    let trace = ws.trace_log();
    assert_no_password("the trace log", &trace);
    // The trace log holds the provider's own lines about the calls that carried the password
    // (so a log that caught nothing cannot pass).
    assert!(
        trace.lines().any(|l| l.contains("API request")
            && l.contains("method=POST")
            && l.contains("/password ")),
        "the trace log has no line about the password call"
    );
    assert_no_password("the state", &ws.read("terraform.tfstate"));
    let s = ws.state_attributes("influxdb_v1_authorization.grafana");
    assert!(s["password_wo"].is_null(), "{s}");
    assert_eq!(
        (&s["org_id"], &s["status"], &s["user_id"]),
        (
            &serde_json::json!(V2_ORG_ID),
            &serde_json::json!("active"),
            &serde_json::json!(sim::V2_USER_ID)
        )
    );

    // The password logs in, by URL and basic auth; a wrong one does not.
    assert_eq!(query_status(&sim, "grafana", PASSWORD), 200);
    assert_eq!(query_basic(&sim, "grafana", PASSWORD), 200);
    assert_eq!(query_status(&sim, "grafana", "wrong-password"), 401);
    ws.plan_no_changes(&[]);

    // A new version sends the new password, and only it.
    ws.set_env("TF_VAR_pw", NEW_PASSWORD);
    ws.write("main.tf", &grafana("grafana", 2, ""));
    sim.clear_requests();
    let id = id_of(&ws);
    let out = ws.run_traced(&["apply", "-auto-approve"]);
    out.assert_success();
    assert_no_password("the apply output", &out.combined());
    assert_no_password("the rotation's trace log", &ws.trace_log());
    assert_eq!(
        writes(&sim),
        [(
            "POST".to_owned(),
            format!("/private/legacy/authorizations/{id}/password")
        )]
    );
    assert_eq!(query_status(&sim, "grafana", NEW_PASSWORD), 200);
    assert_eq!(query_status(&sim, "grafana", PASSWORD), 401);
    ws.plan_no_changes(&[]);

    // Status in place: one PATCH, logins refused; turned back on outside, shown and restored.
    ws.write("main.tf", &grafana("grafana", 2, "  status = \"inactive\""));
    sim.clear_requests();
    ws.apply(&[]);
    assert_eq!(
        writes(&sim),
        [(
            "PATCH".to_owned(),
            format!("/private/legacy/authorizations/{id}")
        )]
    );
    assert_eq!(query_status(&sim, "grafana", NEW_PASSWORD), 401);
    let a = legacy(
        &sim,
        "PATCH",
        &format!("/{id}"),
        Some(r#"{"status":"active"}"#),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    let out = ws.run(&["plan", "-no-color"]);
    assert!(
        out.stdout.contains("\"active\" -> \"inactive\"") && out.stdout.contains("1 to change"),
        "{}",
        out.stdout
    );
    ws.apply(&[]);
    assert_eq!(query_status(&sim, "grafana", NEW_PASSWORD), 401);
    ws.write("main.tf", &grafana("grafana", 2, ""));
    ws.apply(&[]);

    // Deleted outside: created again, with the password.
    assert_eq!(legacy(&sim, "DELETE", &format!("/{id}"), None).status, 204);
    let out = ws.apply(&[]);
    assert!(
        out.combined().contains("deleted outside Terraform"),
        "{}",
        out.combined()
    );
    assert_eq!(query_status(&sim, "grafana", NEW_PASSWORD), 200);
    let id = id_of(&ws);

    // Imported by ID: the password version is unknown to the import, so the next apply sends
    // the password once; then nothing changes.
    ws.run(&["state", "rm", "influxdb_v1_authorization.grafana"])
        .assert_success();
    ws.run(&["import", "influxdb_v1_authorization.grafana", &id])
        .assert_success();
    sim.clear_requests();
    ws.apply(&[]);
    assert_eq!(
        writes(&sim),
        [(
            "POST".to_owned(),
            format!("/private/legacy/authorizations/{id}/password")
        )]
    );
    ws.plan_no_changes(&[]);

    // A new user name replaces it: the old name stops working.
    ws.write("main.tf", &grafana("grafana2", 2, ""));
    ws.apply(&[]);
    assert_ne!(id_of(&ws), id);
    assert_eq!(query_status(&sim, "grafana2", NEW_PASSWORD), 200);
    assert_eq!(query_status(&sim, "grafana", NEW_PASSWORD), 401);

    // Destroy deletes the v1 authorization, the mapping and the bucket.
    ws.apply(&["-destroy"]);
    let state = sim.state();
    assert_eq!(state["legacy_authorizations"], serde_json::json!([]));
    assert_eq!(state["dbrps"], serde_json::json!([]));
    assert_no_password("the state", &ws.read("terraform.tfstate"));
}

#[test]
fn a_lost_create_answer_leaves_no_v1_authorization_and_bad_input_fails_at_plan() {
    let (sim, mut ws) = setup(Tf::V1_15_5);
    ws.set_env("TF_VAR_pw", PASSWORD);
    // Bad input: no API call at all.
    for (token, extra, summary) in [
        ("a:b", "", "Invalid token"),
        ("grafana", "  status = \"asleep\"", "Invalid status"),
    ] {
        ws.write("main.tf", &grafana(token, 1, extra));
        sim.clear_requests();
        let out = ws.run(&["plan"]);
        out.assert_failure();
        assert!(out.stderr.contains(summary), "{}", out.stderr);
        assert!(sim.requests().is_empty(), "{:?}", sim.requests());
    }
    let wrong_type = grafana("grafana", 1, "").replace(
        "type = \"buckets\", id = influxdb_bucket.b.id",
        "type = \"dashboards\"",
    );
    ws.write("main.tf", &wrong_type);
    let out = ws.run(&["plan"]);
    out.assert_failure();
    assert!(
        out.stderr.contains("Invalid permission resource type"),
        "{}",
        out.stderr
    );

    // The server creates it, then the connection drops before the answer: it is found by its
    // user name and deleted.
    ws.write("main.tf", &grafana("grafana", 1, ""));
    sim.add_fault(serde_json::json!({
        "method": "POST", "path_suffix": "/private/legacy/authorizations", "drop_after_handling": true
    }));
    let out = ws.run(&["apply", "-auto-approve"]);
    out.assert_failure();
    assert!(
        out.stderr
            .contains("it was deleted, so that nothing is left outside the state"),
        "{}",
        out.stderr
    );
    assert_eq!(sim.state()["legacy_authorizations"], serde_json::json!([]));
    assert_no_password("the output", &out.combined());
    // The next apply converges; a user name taken outside Terraform is an error naming the
    // import ID, and nothing is deleted.
    ws.apply(&[]);
    ws.plan_no_changes(&[]);
    let taken = legacy(
        &sim,
        "POST",
        "",
        Some(&serde_json::json!({"orgID": V2_ORG_ID, "token": "taken", "permissions": [{"action": "read", "resource": {"type": "buckets", "orgID": V2_ORG_ID}}]}).to_string()),
    );
    assert_eq!(taken.status, 201, "{}", taken.body);
    let taken_id = taken.json()["id"].as_str().unwrap().to_owned();
    ws.write("main.tf", &grafana("taken", 1, ""));
    let out = ws.run(&["apply", "-auto-approve"]);
    out.assert_failure();
    assert!(
        out.stderr.contains("already taken") && out.stderr.contains(&taken_id),
        "{}",
        out.stderr
    );
    assert_eq!(
        legacy(&sim, "GET", &format!("/{taken_id}"), None).status,
        200
    );
}

#[test]
fn terraform_1_0_3_is_refused_with_a_clear_message() {
    let (sim, mut ws) = setup(Tf::V1_0_3);
    ws.set_env("TF_VAR_pw", PASSWORD);
    ws.write("main.tf", &format!("{}\nresource \"influxdb_v1_authorization\" \"g\" {{\n  token = \"grafana\"\n  permissions = [{{ action = \"read\", resource = {{ type = \"buckets\" }} }}]\n}}\n", provider_block("")));
    let out = ws.run(&["plan"]);
    out.assert_failure();
    assert!(out.stderr.contains("1.11"), "{}", out.stderr);
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
}

/// Cloud Serverless lacks users, members and v1 authorizations: each fails at plan, naming the
/// product, after one look at `/ping`; nothing is written. It creates no organization either (a
/// create fails at plan; its own organization is imported and updated). DBRP mappings, tasks
/// and secrets are served there, and are applied.
#[test]
fn types_cloud_serverless_lacks_fail_at_plan_naming_it() {
    let sim = SimProcess::start(&["--product", "cloud-serverless"]);
    let mut ws = Workspace::new(Tf::V1_15_5);
    ws.set_envs(sim.provider_env());
    for (ty, body) in [
        ("influxdb_user", "  name = \"ann\""),
        (
            "influxdb_organization_member",
            &format!("  org_id = \"{V2_ORG_ID}\"\n  user_id = \"{}\"", sim::V2_USER_ID) as &str,
        ),
        (
            "influxdb_v1_authorization",
            "  token = \"grafana\"\n  permissions = [{ action = \"read\", resource = { type = \"buckets\" } }]",
        ),
    ] {
        ws.write(
            "main.tf",
            &format!("{}\nresource \"{ty}\" \"x\" {{\n{body}\n}}\n", provider_block("")),
        );
        sim.clear_requests();
        let out = ws.run(&["plan", "-no-color"]);
        out.assert_failure();
        let text = terraform::flat(&out.stderr);
        assert!(
            text.contains(&format!("{ty} is not available on InfluxDB Cloud Serverless")),
            "{ty}: {}",
            out.stderr
        );
        assert!(writes(&sim).is_empty(), "{ty}: {:?}", writes(&sim));
    }
    // Nor does it create organizations (one per account): a create fails at plan, naming the
    // product; the account's organization is imported and described in place.
    ws.write(
        "main.tf",
        &format!(
            "{}\nresource \"influxdb_organization\" \"o\" {{\n  name = \"{}\"\n  description = \"the account's\"\n}}\n",
            provider_block(""),
            sim::V2_ORG
        ),
    );
    sim.clear_requests();
    let out = ws.run(&["plan", "-no-color"]);
    out.assert_failure();
    assert!(
        terraform::flat(&out.stderr)
            .contains("Creating an organization is not available on InfluxDB Cloud Serverless"),
        "{}",
        out.stderr
    );
    assert!(writes(&sim).is_empty(), "{:?}", writes(&sim));
    ws.run(&["import", "influxdb_organization.o", V2_ORG_ID])
        .assert_success();
    sim.clear_requests();
    ws.apply(&[]);
    assert_eq!(
        writes(&sim),
        [("PATCH".to_owned(), format!("/api/v2/orgs/{V2_ORG_ID}"))]
    );
    ws.plan_no_changes(&[]);
    ws.run(&["state", "rm", "influxdb_organization.o"])
        .assert_success();

    // A DBRP mapping is served there.
    let bucket = sim.v2(
        "POST",
        "/buckets",
        Some(&serde_json::json!({"orgID": V2_ORG_ID, "name": "cloud-bucket", "retentionRules": [{"type": "expire", "everySeconds": 86400}]}).to_string()),
    );
    assert_eq!(bucket.status, 201, "{}", bucket.body);
    let bucket_id = bucket.json()["id"].as_str().unwrap().to_owned();
    ws.write(
        "main.tf",
        &format!("{}\nresource \"influxdb_dbrp_mapping\" \"m\" {{\n  bucket_id = \"{bucket_id}\"\n  database = \"cloud-db\"\n  retention_policy = \"week\"\n}}\n", provider_block("")),
    );
    ws.apply(&[]);
    ws.plan_no_changes(&[]);
    assert_eq!(sim.state()["dbrps"].as_array().map(Vec::len), Some(1));

    // So are tasks and secrets.
    ws.set_env("TF_VAR_v", "cloud-secret-value-91ce");
    ws.write(
        "main.tf",
        &format!(
            r#"{}
variable "v" {{
  type      = string
  sensitive = true
  ephemeral = true
}}

resource "influxdb_task" "t" {{
  flux = <<-EOT
    option task = {{name: "cloud-task", every: 1h}}

    from(bucket: "cloud-bucket")
      |> range(start: -task.every)
  EOT
}}

resource "influxdb_secret" "s" {{
  key              = "CLOUD_KEY"
  value_wo         = var.v
  value_wo_version = 1
}}
"#,
            provider_block("")
        ),
    );
    sim.clear_requests();
    let out = ws.apply(&[]);
    assert!(
        !terraform::flat(&out.combined()).contains("not available on InfluxDB Cloud Serverless"),
        "{}",
        out.combined()
    );
    let wrote: Vec<_> = writes(&sim);
    for (method, path) in [
        ("POST", "/api/v2/tasks".to_owned()),
        ("PATCH", format!("/api/v2/orgs/{V2_ORG_ID}/secrets")),
    ] {
        assert!(
            wrote.iter().any(|(m, p)| m == method && *p == path),
            "{method} {path}: {wrote:?}"
        );
    }
    ws.plan_no_changes(&[]);
}
