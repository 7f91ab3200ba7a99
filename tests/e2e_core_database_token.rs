//! `influxdb_database_token` on InfluxDB 3 Enterprise (and refused on Core), end to end: the
//! real Terraform in its normal output mode, an empty `provider "influxdb" {}` block with only
//! `INFLUXDB3_HOST_URL` and `INFLUXDB3_AUTH_TOKEN` set, against the simulator (Core's refusal
//! also against the REAL InfluxDB 3 Core server). The whole stack
//! of the issue is applied together: a database with retention, a table with tags and fields, a
//! named admin token and database tokens. The Management family's scenarios of the same type
//! live in `e2e_database_token.rs`.

#[path = "support/core_server.rs"]
mod core_server;
#[path = "support/core_target.rs"]
mod core_target;
#[path = "support/sim.rs"]
mod sim;
#[path = "support/terraform.rs"]
mod terraform;

use core_target::{on_sim_and_real_core, Target};
use serde_json::json;
use sim::{SimProcess, CORE_TOKEN};
use terraform::{flat, provider_block, repo_root, Tf, Workspace};

// Refused on Core: on the Core simulator and on the REAL InfluxDB 3 Core server.
on_sim_and_real_core!(on_core_it_fails_at_plan_naming_enterprise);

terraform::every_terraform!(
    the_whole_stack_on_enterprise,
    a_token_deleted_outside_is_created_again,
    a_lost_create_answer_leaves_no_token_and_the_next_apply_converges,
    a_token_that_already_exists_is_never_deleted,
    no_token_in_the_trace_log,
    import_by_name_or_id,
    the_module_database_with_tokens_works_unchanged,
    a_token_the_server_creates_expired_is_deleted_and_the_error_says_to_set_expires_at,
);

fn setup(sim: SimProcess, tf: Tf) -> (SimProcess, Workspace) {
    let ws = Workspace::with_env(tf, sim.provider_env());
    (sim, ws)
}

const DAY_NS: u64 = 86_400_000_000_000;

/// A database with retention, a table, an admin token, a reader, a writer and a monitor token,
/// and sensitive outputs of every token string. `reader_perms` is the reader's permissions.
fn stack(reader_perms: &str) -> String {
    format!(
        r#"{}
resource "influxdb_database" "sensors" {{
  name             = "sensors"
  retention_period = "30d"
}}

resource "influxdb_table" "cpu" {{
  database = influxdb_database.sensors.name
  name     = "cpu"
  tags     = ["host"]
  fields   = [{{ name = "usage", type = "float64" }}]
}}

resource "influxdb_admin_token" "ops" {{
  name = "ops"
}}

resource "influxdb_database_token" "reader" {{
  description = "grafana"
  permissions = {reader_perms}
}}

resource "influxdb_database_token" "writer" {{
  description = "telegraf"
  permissions = [
    {{ action = "read", resource = influxdb_database.sensors.name }},
    {{ action = "write", resource = influxdb_database.sensors.name }},
  ]
  expires_at = "2031-01-01T00:00:00Z"
}}

resource "influxdb_database_token" "monitor" {{
  description = "monitor"
  permissions = [{{ action = "read", resource = "system:health" }}, {{ action = "read", resource = "system:ping" }}]
}}

output "reader" {{
  value     = influxdb_database_token.reader.access_token
  sensitive = true
}}

output "writer" {{
  value     = influxdb_database_token.writer.access_token
  sensitive = true
}}

output "ops" {{
  value     = influxdb_admin_token.ops.access_token
  sensitive = true
}}

data "influxdb_database_token" "writer" {{
  id = influxdb_database_token.writer.id
}}

data "influxdb_databases" "all" {{
  depends_on = [influxdb_database.sensors]
}}

output "writer_permissions" {{
  value = join(",", sort([for p in data.influxdb_database_token.writer.permissions : "${{p.action}}:${{p.resource}}"]))
}}

output "databases" {{
  value = join(",", [for d in data.influxdb_databases.all.databases : "${{d.name}}=${{d.retention_period}}"])
}}
"#,
        provider_block("")
    )
}

const READ_SENSORS: &str = "[{ action = \"read\", resource = influxdb_database.sensors.name }]";

fn the_whole_stack_on_enterprise(tf: Tf) {
    let (sim, ws) = setup(SimProcess::enterprise(), tf);
    ws.write("main.tf", &stack(READ_SENSORS));
    let out = ws.apply(&[]);
    assert!(out.stdout.contains("6 added"), "{}", out.stdout);

    // Every access_token is what the server issued for that token.
    for (output, name) in [
        ("reader", "grafana"),
        ("writer", "telegraf"),
        ("ops", "ops"),
    ] {
        let secret = ws.output_raw(output);
        assert!(secret.starts_with("apiv3_"));
        assert_eq!(sim.v3_authenticate(&secret), Some((name.into(), true)));
    }
    let reader = ws.state_attributes("influxdb_database_token.reader");
    let server = sim.v3_token("grafana").expect("on the server");
    assert_eq!(reader["id"], server["id"].to_string());
    assert_eq!(reader["name"], "grafana");
    assert_eq!(
        server["permissions"],
        json!([{"resource_type": "db", "resource_names": ["sensors"], "actions": ["read"]}])
    );
    let monitor = sim.v3_token("monitor").unwrap();
    assert_eq!(monitor["permissions"][0]["resource_type"], "system");
    assert!(sim.v3_token("telegraf").unwrap()["expiry"]
        .as_str()
        .unwrap()
        .starts_with("2031-01-01T00:00:0"));
    let db = sim.state()["databases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "sensors")
        .cloned()
        .unwrap();
    assert_eq!(db["retention_period_ns"], 30 * DAY_NS);
    assert_eq!(db["tables"]["cpu"]["tags"], json!(["host"]));
    assert_eq!(
        ws.output_raw("writer_permissions"),
        "read:sensors,write:sensors"
    );
    assert_eq!(ws.output_raw("databases"), "sensors=30d");
    ws.plan_no_changes(&[]);

    // Refresh of every token is one system.tokens query, of the databases one more.
    sim.clear_requests();
    ws.plan_no_changes(&[]);
    let tokens_queries = sim
        .requests()
        .iter()
        .filter(|r| {
            r["path"]
                .as_str()
                .unwrap_or("")
                .ends_with("/api/v3/query_sql")
        })
        .count();
    assert!(
        tokens_queries <= 3,
        "tokens, databases and the table's columns: {:?}",
        sim.requests()
    );

    // A change of permissions replaces the token, and the plan says so.
    ws.write(
        "main.tf",
        &stack("[{ action = \"read\", resource = \"*\" }]"),
    );
    let old = ws.output_raw("reader");
    let out = ws.apply(&[]);
    assert!(out.stdout.contains("must be replaced"), "{}", out.stdout);
    assert!(
        out.stdout.contains("1 added, 0 changed, 1 destroyed"),
        "{}",
        out.stdout
    );
    assert_eq!(sim.v3_authenticate(&old), None, "the old token is deleted");
    let new = ws.output_raw("reader");
    assert_eq!(sim.v3_authenticate(&new), Some(("grafana".into(), true)));
    ws.plan_no_changes(&[]);

    // Destroy removes everything, tokens by name.
    sim.clear_requests();
    ws.apply(&["-destroy"]);
    assert_eq!(
        sim.v3_tokens().len(),
        1,
        "only _admin is left: {:?}",
        sim.v3_tokens()
    );
    assert_eq!(sim.count_requests("DELETE", "/api/v3/configure/token"), 4);
    assert!(sim.state()["databases"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["deleted"] == true));
}

fn on_core_it_fails_at_plan_naming_enterprise(sim: Target, tf: Tf) {
    let ws = Workspace::with_env(tf, sim.provider_env());
    ws.write(
        "main.tf",
        &format!(
            "{}\nresource \"influxdb_database_token\" \"t\" {{\n  description = \"grafana\"\n  permissions = [{{ action = \"read\", resource = \"*\" }}]\n}}\n",
            provider_block("")
        ),
    );
    let out = ws.run(&["plan"]);
    out.assert_failure();
    let text = flat(&out.combined());
    assert!(
        text.contains("influxdb_database_token needs InfluxDB 3 Enterprise"),
        "{text}"
    );
    assert!(text.contains("InfluxDB 3 Core"), "{text}");
    ws.run(&["apply", "-auto-approve"]).assert_failure();
    assert!(sim.only_reads(), "nothing written: {:?}", sim.calls());
    assert_eq!(sim.tokens().len(), 1);
}

fn one_token(description: &str) -> String {
    format!(
        "{}\nresource \"influxdb_database_token\" \"t\" {{\n  description = \"{description}\"\n  permissions = [{{ action = \"read\", resource = \"*\" }}]\n}}\n\noutput \"t\" {{\n  value     = influxdb_database_token.t.access_token\n  sensitive = true\n}}\n",
        provider_block("")
    )
}

fn a_token_deleted_outside_is_created_again(tf: Tf) {
    let (sim, ws) = setup(SimProcess::enterprise(), tf);
    ws.write("main.tf", &one_token("grafana"));
    ws.apply(&[]);
    let before = ws.output_raw("t");
    assert_eq!(
        sim.v3("DELETE", "/api/v3/configure/token?token_name=grafana", None)
            .status,
        200
    );
    let out = ws.run(&["plan", "-detailed-exitcode"]);
    out.assert_code(2);
    assert!(
        out.combined()
            .contains("Database token deleted outside Terraform"),
        "{}",
        out.combined()
    );
    ws.apply(&[]);
    let after = ws.output_raw("t");
    assert_ne!(before, after);
    assert_eq!(sim.v3_authenticate(&after), Some(("grafana".into(), true)));
    ws.plan_no_changes(&[]);
}

/// influxdata/influxdb#27620 (Enterprise 3.11.3), reproduced by the simulator's switch: a
/// resource token created without an expiry comes back already expired. The provider deletes
/// it and fails naming the issue and `expires_at`; with `expires_at` set the token works.
fn a_token_the_server_creates_expired_is_deleted_and_the_error_says_to_set_expires_at(tf: Tf) {
    let (sim, ws) = setup(SimProcess::enterprise(), tf);
    let a = sim.request("PUT", "/__sim/bugs", Some(r#"{"27620": true}"#), false);
    assert_eq!(a.status, 204, "{}", a.body);
    ws.write("main.tf", &one_token("grafana"));
    let out = ws.run(&["apply", "-auto-approve"]);
    out.assert_failure();
    let text = flat(&out.combined());
    assert!(
        text.contains("The server created an already expired token"),
        "{text}"
    );
    assert!(text.contains("influxdata/influxdb#27620"), "{text}");
    assert!(text.contains("Set expires_at to a future time"), "{text}");
    assert!(text.contains("was deleted again"), "{text}");
    assert!(
        sim.v3_token("grafana").is_none(),
        "the expired token is deleted"
    );
    assert_eq!(sim.count_requests("DELETE", "/api/v3/configure/token"), 1);
    if ws.path().join("terraform.tfstate").exists() {
        let state = ws.state_json();
        assert!(
            state["resources"].as_array().is_none_or(|r| r.is_empty()),
            "nothing stored: {state}"
        );
    }

    // With an expiry the server keeps it, and the token works.
    let with_expiry = one_token("grafana").replace(
        "  permissions = [",
        "  expires_at  = \"2099-01-01T00:00:00Z\"\n  permissions = [",
    );
    ws.write("main.tf", &with_expiry);
    ws.apply(&[]);
    let secret = ws.output_raw("t");
    assert_eq!(sim.v3_authenticate(&secret), Some(("grafana".into(), true)));
}

fn a_lost_create_answer_leaves_no_token_and_the_next_apply_converges(tf: Tf) {
    let (sim, ws) = setup(SimProcess::enterprise(), tf);
    ws.write("main.tf", &one_token("grafana"));
    sim.add_fault(json!({"method": "POST", "path_suffix": "/enterprise/configure/token", "drop_after_handling": true}));
    let out = ws.run(&["apply", "-auto-approve"]);
    out.assert_failure();
    let text = flat(&out.combined());
    assert!(
        text.contains("Creating the database token failed"),
        "{text}"
    );
    assert!(text.contains("because its string was lost"), "{text}");
    assert!(
        sim.v3_token("grafana").is_none(),
        "no orphan token of that name"
    );
    ws.apply(&[]);
    let secret = ws.output_raw("t");
    assert_eq!(sim.v3_authenticate(&secret), Some(("grafana".into(), true)));
    ws.plan_no_changes(&[]);
}

fn a_token_that_already_exists_is_never_deleted(tf: Tf) {
    let (sim, ws) = setup(SimProcess::enterprise(), tf);
    let body = json!({"token_name": "grafana", "permissions": [{"resource_type": "db", "resource_names": ["*"], "actions": ["read"]}]});
    let a = sim.v3(
        "POST",
        "/api/v3/enterprise/configure/token",
        Some(&body.to_string()),
    );
    assert_eq!(a.status, 201, "{}", a.body);
    let theirs = a.json()["token"].as_str().unwrap().to_owned();
    ws.write("main.tf", &one_token("grafana"));
    let out = ws.run(&["apply", "-auto-approve"]);
    out.assert_failure();
    let text = flat(&out.combined());
    assert!(
        text.contains("A token named \"grafana\" already exists"),
        "{text}"
    );
    assert_eq!(sim.v3_authenticate(&theirs), Some(("grafana".into(), true)));
    sim.add_fault(json!({"method": "POST", "path_suffix": "/enterprise/configure/token", "drop_before_handling": true}));
    ws.run(&["apply", "-auto-approve"]).assert_failure();
    assert_eq!(sim.v3_authenticate(&theirs), Some(("grafana".into(), true)));
    assert_eq!(sim.count_requests("DELETE", "/api/v3/configure/token"), 0);
}

fn no_token_in_the_trace_log(tf: Tf) {
    let (sim, ws) = setup(SimProcess::enterprise(), tf);
    ws.write("main.tf", &stack(READ_SENSORS));
    let out = ws.run_traced(&["apply", "-auto-approve"]);
    out.assert_success();
    let secrets: Vec<String> = ["reader", "writer", "ops"]
        .iter()
        .map(|o| ws.output_raw(o))
        .collect();
    let log = ws.trace_log();
    assert!(log.contains("influxdb_database_token"), "a real trace");
    for (what, text) in [("the trace log", &log), ("the output", &out.combined())] {
        for s in &secrets {
            assert!(
                !text.contains(s.as_str()),
                "an access token leaked into {what}"
            );
        }
        assert!(
            !text.contains(CORE_TOKEN),
            "the provider's token leaked into {what}"
        );
        assert!(
            !text.contains("apiv3_"),
            "a token string leaked into {what}"
        );
    }
    let _ = sim;
}

fn import_by_name_or_id(tf: Tf) {
    let (sim, ws) = setup(SimProcess::enterprise(), tf);
    let body = json!({"token_name": "legacy", "permissions": [{"resource_type": "db", "resource_names": ["*"], "actions": ["read"]}]});
    let a = sim.v3(
        "POST",
        "/api/v3/enterprise/configure/token",
        Some(&body.to_string()),
    );
    assert_eq!(a.status, 201, "{}", a.body);
    let id = a.json()["id"].to_string();
    ws.write("main.tf", &one_token("legacy"));
    ws.run(&["import", "influxdb_database_token.t", "legacy"])
        .assert_success();
    let state = ws.state_attributes("influxdb_database_token.t");
    assert!(state["access_token"].is_null());
    assert_eq!(state["id"], id);
    ws.plan_no_changes(&[]);
    ws.run(&["state", "rm", "influxdb_database_token.t"])
        .assert_success();
    ws.run(&["import", "influxdb_database_token.t", &id])
        .assert_success();
    assert_eq!(
        ws.state_attributes("influxdb_database_token.t")["description"],
        "legacy"
    );
    ws.plan_no_changes(&[]);
}

/// `examples/modules/database-with-tokens`, copied as it is, applied on Enterprise.
fn the_module_database_with_tokens_works_unchanged(tf: Tf) {
    let (sim, ws) = setup(SimProcess::enterprise(), tf);
    let src = repo_root().join("examples/modules/database-with-tokens");
    for f in ["main.tf", "variables.tf", "outputs.tf"] {
        let text = std::fs::read_to_string(src.join(f)).unwrap();
        ws.write(&format!("module/{f}"), &text);
    }
    ws.write(
        "main.tf",
        &format!(
            "{}\nmodule \"db\" {{\n  source           = \"./module\"\n  database_name    = \"sensors\"\n  retention_period = \"30d\"\n  readers          = [\"grafana\"]\n  writers          = [\"telegraf\"]\n}}\n\noutput \"tokens\" {{\n  value     = module.db.tokens\n  sensitive = true\n}}\n",
            provider_block("")
        ),
    );
    // A local module is installed by `terraform get` (the provider comes from the override).
    ws.run(&["get"]).assert_success();
    let out = ws.apply(&[]);
    assert!(out.stdout.contains("3 added"), "{}", out.stdout);
    let tokens: serde_json::Value =
        serde_json::from_str(&ws.run(&["output", "-json", "tokens"]).stdout).unwrap();
    let grafana = tokens["grafana"].as_str().unwrap();
    let (name, active) = sim.v3_authenticate(grafana).expect("issued by the server");
    assert!(active && name.starts_with("grafana"), "{name}");
    let telegraf = sim
        .v3_token("telegraf: read and write sensors")
        .expect("named by its description");
    assert_eq!(
        telegraf["permissions"][0]["actions"],
        json!(["read", "write"])
    );
    ws.plan_no_changes(&[]);
    ws.apply(&["-destroy"]);
    assert_eq!(sim.v3_tokens().len(), 1);
}

/// A plan over many database tokens asks `system.tokens` once (and `/ping` once, for the
/// Enterprise check): at most 2 API calls, whatever the number of tokens.
#[test]
fn refresh_of_many_tokens_is_at_most_two_calls() {
    let (sim, ws) = setup(SimProcess::enterprise(), Tf::V1_15_5);
    let n = 20;
    let tokens: String = (0..n)
        .map(|i| format!("resource \"influxdb_database_token\" \"t{i}\" {{\n  description = \"t{i}\"\n  permissions = [{{ action = \"read\", resource = \"*\" }}]\n}}\n"))
        .collect();
    ws.write("main.tf", &format!("{}\n{tokens}", provider_block("")));
    ws.apply(&[]);
    assert_eq!(sim.v3_tokens().len(), n + 1);
    sim.clear_requests();
    ws.plan_no_changes(&[]);
    let calls = sim.requests();
    assert!(calls.len() <= 2, "{n} tokens: {calls:?}");
    assert_eq!(
        calls
            .iter()
            .filter(|r| r["path"]
                .as_str()
                .unwrap_or("")
                .ends_with("/api/v3/query_sql"))
            .count(),
        1,
        "{calls:?}"
    );
}

#[test]
fn import_by_identity() {
    let (sim, ws) = setup(SimProcess::enterprise(), Tf::V1_15_5);
    let body = json!({"token_name": "legacy", "permissions": [{"resource_type": "db", "resource_names": ["*"], "actions": ["read"]}]});
    let a = sim.v3(
        "POST",
        "/api/v3/enterprise/configure/token",
        Some(&body.to_string()),
    );
    assert_eq!(a.status, 201, "{}", a.body);
    let id = a.json()["id"].to_string();
    ws.write(
        "main.tf",
        &format!(
            "{}\nimport {{\n  to       = influxdb_database_token.t\n  identity = {{ id = \"{id}\" }}\n}}\n",
            one_token("legacy")
        ),
    );
    let out = ws.apply(&[]);
    assert!(out.stdout.contains("1 imported"), "{}", out.stdout);
    let state = ws.state_attributes("influxdb_database_token.t");
    assert_eq!(state["name"], "legacy");
    assert!(state["access_token"].is_null());
    ws.plan_no_changes(&[]);
    ws.apply(&["-destroy"]);
    assert!(sim.v3_token("legacy").is_none());
}
