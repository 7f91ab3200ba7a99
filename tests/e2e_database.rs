//! End-to-end tests of `influxdb_database`, the database and token data sources and the
//! `examples/modules/database-with-tokens` module, with the real Terraform (1.0.3 and 1.15.5) (human output)
//! against the simulator. They fail, never skip, when Terraform cannot be installed.

#[path = "support/sim.rs"]
mod sim;
#[path = "support/terraform.rs"]
mod terraform;

use serde_json::{json, Value};
use sim::SimProcess;
use terraform::{provider_block, repo_root, Tf, TfOutput, Workspace};

terraform::every_terraform!(
    module_lifecycle_apply_update_rename_destroy,
    deletion_protection_refuses_destroy_and_replacement_until_turned_off,
    resource_with_template_and_limits_then_import_and_drift,
    bad_inputs_fail_at_plan_with_the_attribute_named_and_no_api_call,
    data_sources_return_what_the_simulator_holds,
    create_with_lost_answer_adopts_the_database,
    clustered_database_has_null_account_and_cluster_and_updates_cleanly,
);

const DAY_NS: i64 = 86_400_000_000_000;

/// A workspace whose terraform commands talk to `sim`.
fn workspace(sim: &SimProcess, tf: Tf) -> Workspace {
    let mut ws = Workspace::new(tf);
    ws.set_envs(sim.provider_env());
    ws
}

/// `plan -detailed-exitcode` must report no changes.
#[track_caller]
fn assert_no_changes(ws: &Workspace, vars: &[&str]) {
    let out = ws.plan_no_changes(vars);
    assert!(out.stdout.contains("No changes."), "{}", out.stdout);
}

/// `terraform output -json NAME`.
fn output(ws: &Workspace, name: &str) -> Value {
    let out = ws.terraform(&["output", "-json", name]);
    out.assert_success();
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("output {name}: {e}: {}", out.stdout))
}

fn copy_module(ws: &Workspace) {
    let src = repo_root().join("examples/modules/database-with-tokens");
    for f in ["main.tf", "variables.tf", "outputs.tf"] {
        let text = std::fs::read_to_string(src.join(f)).unwrap();
        ws.write(&format!("modules/database-with-tokens/{f}"), &text);
    }
}

fn module_lifecycle_apply_update_rename_destroy(tf: Tf) {
    let sim = SimProcess::dedicated();
    let ws = workspace(&sim, tf);
    copy_module(&ws);
    ws.write(
        "main.tf",
        &format!(
            r#"{}
variable "db" {{
  type    = string
  default = "metrics"
}}

variable "retention" {{
  type    = string
  default = "30d"
}}

module "db" {{
  source           = "./modules/database-with-tokens"
  database_name    = var.db
  retention_period = var.retention
  readers          = ["grafana", "analyst"]
  writers          = ["telegraf"]
  tables = {{
    cpu = [{{ type = "tag", value = "host" }}, {{ type = "time", value = "%Y-%m-%d" }}]
    mem = null
  }}
}}

output "tokens" {{
  value     = module.db.tokens
  sensitive = true
}}

output "token_ids" {{
  value = module.db.token_ids
}}

output "database_name" {{
  value = module.db.database_name
}}
"#,
            provider_block("")
        ),
    );
    ws.get();

    // Create.
    let out = ws.apply(&[]);
    assert!(
        out.stdout.contains("6 added, 0 changed, 0 destroyed"),
        "{}",
        out.stdout
    );
    let db = sim.database("metrics").expect("database created");
    assert_eq!(db["retentionPeriod"], json!(30 * DAY_NS));
    assert_eq!(db["maxTables"], json!(500), "server default taken");
    assert_eq!(
        db["tables"],
        json!([{"id": db["tables"][0]["id"], "name": "cpu",
                "partitionTemplate": [{"type": "tag", "value": "host"}, {"type": "time", "value": "%Y-%m-%d"}]},
               {"id": db["tables"][1]["id"], "name": "mem"}])
    );
    let active = sim.active_tokens();
    assert_eq!(active.len(), 3, "{active:?}");
    let mut descriptions: Vec<&str> = active
        .iter()
        .map(|t| t["description"].as_str().unwrap())
        .collect();
    descriptions.sort();
    assert_eq!(
        descriptions,
        vec![
            "analyst: read metrics",
            "grafana: read metrics",
            "telegraf: read and write metrics"
        ]
    );
    let telegraf = active
        .iter()
        .find(|t| t["description"].as_str().unwrap().starts_with("telegraf"))
        .unwrap();
    assert_eq!(
        telegraf["permissions"],
        json!([{"action": "read", "resource": "metrics"}, {"action": "write", "resource": "metrics"}])
    );

    let secrets = output(&ws, "tokens");
    let secrets = secrets.as_object().unwrap();
    assert_eq!(secrets.len(), 3);
    assert!(
        secrets
            .values()
            .all(|s| s.as_str().unwrap().starts_with("apiv1_")),
        "{secrets:?}"
    );
    assert_eq!(output(&ws, "database_name"), json!("metrics"));
    let ids_before = output(&ws, "token_ids");

    // Nothing to do; the same retention written in hours is no change either.
    assert_no_changes(&ws, &[]);
    assert_no_changes(&ws, &["-var", "retention=720h"]);

    // A new retention updates the database in place with one PATCH.
    sim.clear_requests();
    let out = ws.apply(&["-var", "retention=7d"]);
    assert!(
        out.stdout.contains("0 added, 1 changed, 0 destroyed"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("updated in-place"), "{}", out.stdout);
    assert_eq!(
        sim.database("metrics").unwrap()["retentionPeriod"],
        json!(7 * DAY_NS)
    );
    assert_eq!(sim.count_requests("PATCH", "/databases/metrics"), 1);
    assert_eq!(sim.count_requests("POST", "/databases"), 0);
    assert_eq!(sim.count_requests("DELETE", "/databases/metrics"), 0);
    assert_no_changes(&ws, &["-var", "retention=7d"]);
    assert_no_changes(&ws, &["-var", "retention=168h"]);

    // Renaming renames the database in place, with its data; the tokens are updated in place
    // to the new name and the tables go with their database.
    let a = sim.request(
        "PUT",
        "/__sim/databases/metrics/data",
        Some(r#"{"marker": "precious"}"#),
        false,
    );
    assert_eq!(a.status, 204, "{}", a.body);
    let secrets_before = output(&ws, "tokens");
    let vars = ["-var", "retention=7d", "-var", "db=metrics-v2"];
    let plan = ws.run(&["plan"].into_iter().chain(vars).collect::<Vec<_>>());
    plan.assert_success();
    assert!(!plan.stdout.contains("must be replaced"), "{}", plan.stdout);
    assert!(
        !plan.stdout.contains("forces replacement"),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout
            .contains("module.db.influxdb_database.this will be updated in-place"),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout
            .contains(r#"~ name                  = "metrics" -> "metrics-v2""#),
        "{}",
        plan.stdout
    );
    for token in [
        "reader[\"analyst\"]",
        "reader[\"grafana\"]",
        "writer[\"telegraf\"]",
    ] {
        assert!(
            plan.stdout.contains(&format!(
                "module.db.influxdb_database_token.{token} will be updated in-place"
            )),
            "{token}: {}",
            plan.stdout
        );
    }
    assert!(
        plan.stdout.contains("0 to add, 6 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    sim.clear_requests();
    let out = ws.apply(&vars);
    assert!(
        out.stdout.contains("0 added, 6 changed, 0 destroyed"),
        "{}",
        out.stdout
    );
    assert_eq!(sim.count_requests("PUT", "/databases/metrics/rename"), 1);
    assert_eq!(sim.count_requests("DELETE", "/databases/metrics"), 0);
    assert_eq!(sim.count_requests("POST", "/databases"), 0);
    assert_eq!(sim.count_requests("POST", "/tables"), 0);
    assert!(sim.database("metrics").is_none(), "the old name is free");
    let db = sim.database("metrics-v2").expect("renamed database");
    assert_eq!(db["dataMarker"], "precious", "the data survived the rename");
    assert_eq!(db["retentionPeriod"], json!(7 * DAY_NS));
    assert_eq!(db["tables"].as_array().unwrap().len(), 2, "{db}");
    let active = sim.active_tokens();
    assert_eq!(active.len(), 3, "no token revoked or created: {active:?}");
    for t in &active {
        for p in t["permissions"].as_array().unwrap() {
            assert_eq!(p["resource"], "metrics-v2", "{t}");
        }
        assert!(
            t["description"].as_str().unwrap().ends_with("metrics-v2"),
            "{t}"
        );
    }
    assert_eq!(
        output(&ws, "token_ids"),
        ids_before,
        "tokens kept their IDs"
    );
    assert_eq!(
        output(&ws, "tokens"),
        secrets_before,
        "tokens kept their access tokens"
    );
    assert_eq!(output(&ws, "database_name"), json!("metrics-v2"));
    assert_no_changes(&ws, &vars);

    // Destroy removes everything.
    let out = ws.run(&["destroy", "-auto-approve", "-var", "db=metrics-v2"]);
    out.assert_success();
    assert!(
        out.stdout.contains("Resources: 6 destroyed"),
        "{}",
        out.stdout
    );
    assert!(sim.databases().is_empty(), "{:?}", sim.databases());
    let all = sim.tokens();
    assert_eq!(all.len(), 3);
    assert!(
        all.iter().all(|t| t["revokedAt"].is_string()),
        "all revoked: {all:?}"
    );
}

fn resource_with_template_and_limits_then_import_and_drift(tf: Tf) {
    let sim = SimProcess::dedicated();
    let ws = workspace(&sim, tf);
    let config = |max_tables: u32| {
        format!(
            r#"{}
resource "influxdb_database" "events" {{
  name                  = "team/events"
  retention_period      = "1h30m"
  max_tables            = {max_tables}
  max_columns_per_table = 300
  partition_template = [
    {{ type = "tag", value = "region" }},
    {{ type = "bucket", value = "customer_id,100" }},
    {{ type = "time", value = "%Y-%m-%d" }},
  ]
}}

resource "influxdb_database" "plain" {{
  name = "plain"
}}

output "plain" {{
  value = influxdb_database.plain
}}
"#,
            provider_block("")
        )
    };
    ws.write("main.tf", &config(1000));
    let out = ws.apply(&[]);
    assert!(out.stdout.contains("2 added"), "{}", out.stdout);
    let db = sim.database("team/events").unwrap();
    assert_eq!(db["maxTables"], json!(1000));
    assert_eq!(db["maxColumnsPerTable"], json!(300));
    assert_eq!(db["retentionPeriod"], json!(5_400_000_000_000i64));
    assert_eq!(
        db["partitionTemplate"],
        json!([{"type": "tag", "value": "region"},
               {"type": "bucket", "value": {"tagName": "customer_id", "numberOfBuckets": 100}},
               {"type": "time", "value": "%Y-%m-%d"}])
    );
    // The unconfigured database shows the server's values, retention in canonical form.
    let plain = output(&ws, "plain");
    assert_eq!(plain["retention_period"], "0s");
    assert_eq!(plain["max_tables"], 500);
    assert_eq!(plain["max_columns_per_table"], 250);
    assert_eq!(plain["partition_template"], Value::Null);
    assert_eq!(plain["account_id"], sim::ACCOUNT_ID);
    assert_eq!(plain["cluster_id"], sim::CLUSTER_ID);
    assert_no_changes(&ws, &[]);

    // Changing a limit patches only that limit.
    sim.clear_requests();
    ws.write("main.tf", &config(2000));
    let out = ws.apply(&[]);
    assert!(
        out.stdout.contains("0 added, 1 changed, 0 destroyed"),
        "{}",
        out.stdout
    );
    assert_eq!(
        sim.count_requests("PATCH", "/databases/team%2Fevents"),
        1,
        "{:?}",
        sim.requests()
    );
    assert_eq!(
        sim.database("team/events").unwrap()["maxTables"],
        json!(2000)
    );

    // Changed outside Terraform: the plan shows the drift and the apply puts it back in place.
    let a = sim.api(
        "PATCH",
        "/databases/team%2Fevents",
        Some(r#"{"retentionPeriod": 3600000000000}"#),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    let plan = ws.run(&["plan", "-detailed-exitcode"]);
    plan.assert_code(2);
    // Terraform 1.0 prints a drift note of its own; later versions report drift only where it
    // affects other objects, and show it here in the diff itself.
    if tf == Tf::V1_0_3 {
        assert!(
            plan.stdout.contains("changed outside of Terraform"),
            "{}",
            plan.stdout
        );
    }
    assert!(
        plan.stdout
            .contains(r#"~ retention_period      = "1h" -> "1h30m""#),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout.contains("0 to add, 1 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    ws.apply(&[]);
    assert_eq!(
        sim.database("team/events").unwrap()["retentionPeriod"],
        json!(5_400_000_000_000i64)
    );
    assert_no_changes(&ws, &[]);

    // Deleted outside Terraform: a warning, then planned for creation.
    let a = sim.api("DELETE", "/databases/plain", None);
    assert_eq!(a.status, 204);
    let plan = ws.run(&["plan", "-detailed-exitcode"]);
    plan.assert_code(2);
    assert!(
        plan.combined()
            .contains("Database deleted outside Terraform"),
        "{}",
        plan.combined()
    );
    assert!(
        plan.stdout.contains("1 to add, 0 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );

    // Import by name into a fresh workspace whose configuration spells the values differently.
    let ws2 = workspace(&sim, tf);
    ws2.write(
        "main.tf",
        &format!(
            r#"{}
resource "influxdb_database" "events" {{
  name                  = "team/events"
  retention_period      = "90m"
  max_tables            = 2000
  max_columns_per_table = 300
  partition_template = [
    {{ type = "tag", value = "region" }},
    {{ type = "bucket", value = "customer_id,0100" }},
    {{ type = "time", value = "%Y-%m-%d" }},
  ]
}}
"#,
            provider_block("")
        ),
    );
    let out = ws2.run(&["import", "influxdb_database.events", "team/events"]);
    out.assert_success();
    assert!(out.stdout.contains("Import successful"), "{}", out.stdout);
    assert_no_changes(&ws2, &[]);
    let bad = ws2.run(&["import", "influxdb_database.events", "nope"]);
    bad.assert_failure();
    // A numeric database ID is looked up where the server's list reports IDs; the specs' list
    // (and so the simulator's) has none, and the error says to import by name.
    let by_id = ws2.run(&["import", "influxdb_database.events", "424242"]);
    by_id.assert_failure();
    let text = by_id
        .combined()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("reports no database IDs"), "{text}");
    assert!(text.contains("import the database by its name"), "{text}");
}

fn bad_inputs_fail_at_plan_with_the_attribute_named_and_no_api_call(tf: Tf) {
    let sim = SimProcess::dedicated();
    let ws = workspace(&sim, tf);
    let cases: &[(&str, &str, &str)] = &[
        (
            r#"retention_period = "30 days""#,
            "retention_period",
            "whitespace",
        ),
        (
            r#"retention_period = "-1h""#,
            "retention_period",
            "negative",
        ),
        (
            r#"retention_period = "1mo""#,
            "retention_period",
            "unknown unit \"mo\"",
        ),
        (
            r#"partition_template = [{ type = "tag", value = "a" }]"#,
            "partition_template",
            "exactly one time part",
        ),
        (
            r#"partition_template = [{ type = "time", value = "%Y" }, { type = "month", value = "x" }]"#,
            "partition_template",
            "\"month\"",
        ),
        (
            r#"partition_template = [{ type = "time", value = "%Y" }, { type = "bucket", value = "a" }]"#,
            "partition_template",
            "\"TAG,N\"",
        ),
        (r#"max_tables = 0"#, "max_tables", "from 1 to"),
    ];
    for (attr_line, attr, why) in cases {
        ws.write(
            "main.tf",
            &format!(
                "{}\nresource \"influxdb_database\" \"db\" {{\n  name = \"db\"\n  {attr_line}\n}}\n",
                provider_block("")
            ),
        );
        let out = ws.run(&["plan"]);
        out.assert_failure();
        let text = out.combined();
        assert!(
            text.contains(&format!("Invalid {attr}")),
            "{attr_line}:\n{text}"
        );
        assert!(text.contains(why), "{attr_line}: expected {why:?}:\n{text}");
        // Terraform points at the attribute's line.
        assert!(
            text.contains(attr_line.split(" =").next().unwrap()),
            "{text}"
        );
    }
    // A bad name too.
    ws.write(
        "main.tf",
        &format!(
            "{}\nresource \"influxdb_database\" \"db\" {{\n  name = \"_internal\"\n}}\n",
            provider_block("")
        ),
    );
    let out = ws.run(&["plan"]);
    out.assert_failure();
    assert!(
        out.combined().contains("Invalid database name"),
        "{}",
        out.combined()
    );
    assert!(
        sim.requests().is_empty(),
        "no API call: {:?}",
        sim.requests()
    );
}

fn data_sources_return_what_the_simulator_holds(tf: Tf) {
    let sim = SimProcess::dedicated();
    let created = |body: Value| {
        let a = sim.api("POST", "/databases", Some(&body.to_string()));
        assert_eq!(a.status, 200, "{}", a.body);
    };
    created(json!({"name": "alpha", "retentionPeriod": 30 * DAY_NS}));
    created(
        json!({"name": "beta", "maxTables": 10, "maxColumnsPerTable": 20,
                   "partitionTemplate": [{"type": "time", "value": "%Y-%m"},
                                          {"type": "bucket", "value": {"tagName": "host", "numberOfBuckets": 7}}]}),
    );
    let token = |body: Value| {
        let a = sim.api("POST", "/tokens", Some(&body.to_string()));
        assert_eq!(a.status, 200, "{}", a.body);
        a.json()
    };
    let t1 = token(
        json!({"description": "reader", "permissions": [{"action": "read", "resource": "alpha"}]}),
    );
    let t2 = token(
        json!({"description": "writer", "permissions": [{"action": "write", "resource": "beta"},
                                                                   {"action": "read", "resource": "*"}],
                          "expiresAt": "2031-01-01T00:00:00.000Z"}),
    );
    let t3 = token(json!({"description": "old", "permissions": []}));
    assert_eq!(
        sim.api(
            "DELETE",
            &format!("/tokens/{}", t3["id"].as_str().unwrap()),
            None
        )
        .status,
        204
    );

    let ws = workspace(&sim, tf);
    ws.write(
        "main.tf",
        &format!(
            r#"{}
data "influxdb_databases" "all" {{}}

data "influxdb_database" "beta" {{
  name = "beta"
}}

data "influxdb_database_token" "writer" {{
  id = "{}"
}}

data "influxdb_database_token" "old" {{
  id = "{}"
}}

data "influxdb_database_tokens" "active" {{}}

data "influxdb_database_tokens" "all" {{
  include_revoked = true
}}

output "databases" {{
  value = data.influxdb_databases.all.databases
}}

output "beta" {{
  value = data.influxdb_database.beta
}}

output "writer" {{
  value = data.influxdb_database_token.writer
}}

output "old" {{
  value = data.influxdb_database_token.old
}}

output "active" {{
  value = data.influxdb_database_tokens.active
}}

output "all" {{
  value = data.influxdb_database_tokens.all
}}
"#,
            provider_block(""),
            t2["id"].as_str().unwrap(),
            t3["id"].as_str().unwrap(),
        ),
    );
    ws.apply(&[]);

    let acc = sim::ACCOUNT_ID;
    let clu = sim::CLUSTER_ID;
    assert_eq!(
        output(&ws, "databases"),
        json!([
            {"name": "alpha", "max_tables": 500, "max_columns_per_table": 250, "retention_period": "30d",
             "partition_template": null, "account_id": acc, "cluster_id": clu},
            {"name": "beta", "max_tables": 10, "max_columns_per_table": 20, "retention_period": "0s",
             "partition_template": [{"type": "time", "value": "%Y-%m"}, {"type": "bucket", "value": "host,7"}],
             "account_id": acc, "cluster_id": clu},
        ])
    );
    // The one database's data source also has the attributes only InfluxDB 1.x fills.
    let mut beta = output(&ws, "beta");
    assert_eq!(
        beta.as_object_mut()
            .and_then(|o| o.remove("retention_policies")),
        Some(Value::Null)
    );
    assert_eq!(beta, output(&ws, "databases")[1]);

    let view = |t: &Value, perms: Value| {
        json!({"id": t["id"], "description": t["description"], "permissions": perms,
               "expires_at": t.get("expiresAt").cloned().unwrap_or(Value::Null),
               "created_at": t["createdAt"], "revoked_at": null,
               "account_id": acc, "cluster_id": clu})
    };
    let w = view(
        &t2,
        json!([{"action": "read", "resource": "*"}, {"action": "write", "resource": "beta"}]),
    );
    assert_eq!(output(&ws, "writer"), w);
    assert!(w.get("access_token").is_none());
    let old = output(&ws, "old");
    assert!(old["revoked_at"].is_string(), "{old}");
    assert_eq!(old["description"], "old");

    // Oldest first, by created_at then id (two tokens may share a millisecond).
    let order = |list: &mut Vec<Value>, created: &str| {
        list.sort_by_key(|t| {
            (
                t[created].as_str().unwrap().to_owned(),
                t["id"].as_str().unwrap().to_owned(),
            )
        })
    };
    let r = view(&t1, json!([{"action": "read", "resource": "alpha"}]));
    let mut expected = vec![r, w];
    order(&mut expected, "created_at");
    assert_eq!(
        output(&ws, "active"),
        json!({"include_revoked": false, "tokens": expected})
    );
    let all = output(&ws, "all");
    assert_eq!(all["include_revoked"], true);
    let ids: Vec<&str> = all["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    let mut sim_tokens = sim.tokens();
    order(&mut sim_tokens, "createdAt");
    let sim_ids: Vec<&str> = sim_tokens
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, sim_ids);
    assert_eq!(ids.len(), 3);

    // No token string anywhere in the state.
    let state = ws.read("terraform.tfstate");
    assert!(
        !state.contains("apiv1_"),
        "a token string leaked into the state"
    );
    assert!(
        !state.contains("access_token"),
        "data sources have no access_token attribute"
    );

    // A missing database or token is an error naming it.
    ws.write(
        "main.tf",
        &format!(
            "{}\ndata \"influxdb_database\" \"x\" {{\n  name = \"missing\"\n}}\n",
            provider_block("")
        ),
    );
    let out = ws.run(&["plan"]);
    out.assert_failure();
    assert!(
        out.combined().contains("No database named \"missing\""),
        "{}",
        out.combined()
    );
}

fn create_with_lost_answer_adopts_the_database(tf: Tf) {
    let sim = SimProcess::dedicated();
    let ws = workspace(&sim, tf);
    ws.write(
        "main.tf",
        &format!(
            "{}\nresource \"influxdb_database\" \"db\" {{\n  name = \"lost\"\n  retention_period = \"2d\"\n}}\n",
            provider_block("")
        ),
    );
    sim.add_fault(
        json!({"method": "POST", "path_suffix": "/databases", "drop_after_handling": true}),
    );
    let out = ws.run(&["apply", "-auto-approve"]);
    out.assert_success();
    assert!(
        out.combined()
            .contains("Database created despite a failed request"),
        "{}",
        out.combined()
    );
    assert_eq!(
        sim.count_requests("POST", "/databases"),
        1,
        "a create is never retried"
    );
    assert_no_changes(&ws, &[]);

    // A create refused because the name exists says how to import it.
    let ws2 = workspace(&sim, tf);
    ws2.write("main.tf", &ws.read("main.tf"));
    let out = ws2.run(&["apply", "-auto-approve"]);
    out.assert_failure();
    assert!(
        out.combined().contains("terraform import ADDRESS lost"),
        "{}",
        out.combined()
    );
}

fn clustered_database_has_null_account_and_cluster_and_updates_cleanly(tf: Tf) {
    let sim = SimProcess::clustered();
    let ws = workspace(&sim, tf);
    let config = |retention: &str| {
        format!(
            "{}\nresource \"influxdb_database\" \"db\" {{\n  name = \"c1\"\n  retention_period = \"{retention}\"\n}}\n\noutput \"db\" {{\n  value = influxdb_database.db\n}}\n",
            provider_block("")
        )
    };
    ws.write("main.tf", &config("1w"));
    ws.apply(&[]);
    let db = output(&ws, "db");
    assert_eq!(db["account_id"], Value::Null);
    assert_eq!(db["cluster_id"], Value::Null);
    assert_eq!(
        db["retention_period"], "1w",
        "the configured spelling is kept"
    );
    assert_eq!(
        sim.database("c1").unwrap()["retentionPeriod"],
        json!(7 * DAY_NS)
    );
    assert_no_changes(&ws, &[]);

    // An update keeps the null IDs and the unset template as they are: in place, no
    // "(known after apply)" forcing a replacement.
    ws.write("main.tf", &config("14d"));
    let plan = ws.run(&["plan"]);
    plan.assert_success();
    assert!(
        plan.stdout.contains("0 to add, 1 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    assert!(
        !plan.stdout.contains("known after apply"),
        "{}",
        plan.stdout
    );
    ws.apply(&[]);
    assert_eq!(
        sim.database("c1").unwrap()["retentionPeriod"],
        json!(14 * DAY_NS)
    );
    assert_no_changes(&ws, &[]);
    ws.run(&["destroy", "-auto-approve"]).assert_success();
    assert!(sim.databases().is_empty());
}

/// Requests that change something (anything but GET) the simulator received.
fn writes(sim: &SimProcess) -> Vec<Value> {
    sim.requests()
        .into_iter()
        .filter(|r| r["method"] != "GET")
        .collect()
}

fn deletion_protection_refuses_destroy_and_replacement_until_turned_off(tf: Tf) {
    let sim = SimProcess::dedicated();
    let ws = workspace(&sim, tf);
    let config = |extra: &str| {
        format!(
            "{}\nresource \"influxdb_database\" \"db\" {{\n  name = \"keep\"\n  {extra}\n}}\n",
            provider_block("")
        )
    };
    ws.write("main.tf", &config("deletion_protection = true"));
    ws.apply(&[]);
    assert!(sim.database("keep").is_some());
    let refused = |out: &TfOutput| {
        out.assert_failure();
        let text = out.combined();
        assert!(
            text.contains("Database is protected against deletion"),
            "{text}"
        );
        assert!(
            text.contains("\"keep\" has deletion_protection = true"),
            "{text}"
        );
        assert!(text.contains("set deletion_protection = false"), "{text}");
        assert!(writes(&sim).is_empty(), "no API write: {:?}", writes(&sim));
        assert!(sim.database("keep").is_some(), "still there");
    };

    // A replacement (a new partition template) is refused at plan time, by every Terraform.
    sim.clear_requests();
    ws.write(
        "main.tf",
        &config(
            "deletion_protection = true\n  partition_template = [{ type = \"time\", value = \"%Y\" }]",
        ),
    );
    let out = ws.run(&["plan"]);
    refused(&out);
    let out = ws.run(&["apply", "-auto-approve"]);
    refused(&out);

    // Destroy: refused at plan time where Terraform plans destroys through the provider
    // (>= 1.3); Terraform 1.0 never does, so there the apply refuses before any API call.
    ws.write("main.tf", &config("deletion_protection = true"));
    let out = ws.run(&["destroy", "-auto-approve"]);
    refused(&out);
    assert_eq!(
        out.stdout.contains("Destroying..."),
        !tf.plans_destroy(),
        "{}",
        out.stdout
    );
    // Removing the block does not help: the flag is in the state.
    ws.write("main.tf", &provider_block(""));
    let out = ws.run(&["apply", "-auto-approve"]);
    refused(&out);

    // A rename deletes nothing, so it goes ahead while protected.
    ws.write(
        "main.tf",
        &config("deletion_protection = true").replace("\"keep\"", "\"kept\""),
    );
    let out = ws.apply(&[]);
    assert!(
        out.stdout.contains("0 added, 1 changed, 0 destroyed"),
        "{}",
        out.stdout
    );
    assert_eq!(sim.count_requests("PUT", "/databases/keep/rename"), 1);
    assert!(sim.database("kept").is_some());
    sim.clear_requests();

    // Turned off (a change of the state only), the destroy proceeds.
    ws.write(
        "main.tf",
        &config("deletion_protection = false").replace("\"keep\"", "\"kept\""),
    );
    let out = ws.apply(&[]);
    assert!(
        out.stdout.contains("0 added, 1 changed, 0 destroyed"),
        "{}",
        out.stdout
    );
    assert!(writes(&sim).is_empty(), "{:?}", writes(&sim));
    let out = ws.run(&["destroy", "-auto-approve"]);
    out.assert_success();
    assert!(sim.database("kept").is_none());
    assert_eq!(sim.count_requests("DELETE", "/databases/kept"), 1);
}
