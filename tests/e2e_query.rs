//! `terraform query` with `list "influxdb_database_token"` and `list "influxdb_database"`, end to
//! end under the real Terraform 1.15.5 (list resources need Terraform 1.14 or later), in human
//! output mode, against a simulator holding tokens and databases made by hand through its HTTP
//! API, as `curl` or influxctl would; the Core scenarios also against the REAL InfluxDB 3 Core
//! server (`support/core_target.rs`).

#[path = "support/core_server.rs"]
mod core_server;
#[path = "support/core_target.rs"]
mod core_target;
#[path = "support/sim.rs"]
mod sim;
#[path = "support/terraform.rs"]
mod terraform;

use core_target::{on_sim_and_real_core_latest, Target};

// The Core scenarios run on the Core simulator and on the REAL InfluxDB 3 Core server.
on_sim_and_real_core_latest!(
    admin_tokens_made_by_hand_are_listed_on_core,
    databases_made_by_hand_on_core_are_brought_under_management,
    the_token_list_on_core_fails_naming_enterprise,
);

use serde_json::{json, Value as J};
use sim::SimProcess;
use terraform::{provider_block, Tf, Workspace};

fn setup(sim: SimProcess) -> (SimProcess, Workspace) {
    let ws = Workspace::with_env(Tf::V1_15_5, sim.provider_env());
    (sim, ws)
}

/// Makes a database by hand; returns nothing (databases are named).
fn make_database(sim: &SimProcess, body: J) {
    let a = sim.api("POST", "/databases", Some(&body.to_string()));
    assert_eq!(a.status, 200, "{}", a.body);
}

/// Makes a token by hand; returns its id.
fn make_token(sim: &SimProcess, description: &str, permissions: J) -> String {
    let body = json!({ "description": description, "permissions": permissions });
    let a = sim.api("POST", "/tokens", Some(&body.to_string()));
    assert_eq!(a.status, 200, "{}", a.body);
    a.json()["id"].as_str().unwrap().to_owned()
}

const QUERY: &str = r#"
list "influxdb_database_token" "all" {
  provider         = influxdb
  include_resource = true
}

list "influxdb_database" "all" {
  provider         = influxdb
  include_resource = true
}
"#;

/// The resource instances in the state: (type, attributes, identity).
fn state_resources(ws: &Workspace) -> Vec<(String, J, J)> {
    let state: J = serde_json::from_str(&ws.read("terraform.tfstate")).unwrap();
    state["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["type"].as_str().unwrap().to_owned(),
                r["instances"][0]["attributes"].clone(),
                r["instances"][0]["identity"].clone(),
            )
        })
        .collect()
}

fn brings_everything_made_by_hand_under_management(sim: SimProcess) {
    let (sim, ws) = setup(sim);
    make_database(&sim, json!({ "name": "metrics" }));
    make_database(
        &sim,
        json!({
            "name": "events",
            "retentionPeriod": 30u64 * 24 * 3600 * 1_000_000_000,
            "maxTables": 100,
            "partitionTemplate": [
                { "type": "tag", "value": "region" },
                { "type": "time", "value": "%Y-%m" },
                { "type": "bucket", "value": { "tagName": "host", "numberOfBuckets": 10 } }
            ]
        }),
    );
    let grafana = make_token(
        &sim,
        "grafana",
        json!([{ "action": "read", "resource": "metrics" }]),
    );
    let telegraf = make_token(
        &sim,
        "telegraf",
        json!([
            { "action": "write", "resource": "metrics" },
            { "action": "read", "resource": "*" }
        ]),
    );
    let revoked = make_token(&sim, "old", json!([]));
    assert_eq!(
        sim.api("DELETE", &format!("/tokens/{revoked}"), None)
            .status,
        204
    );

    ws.write("main.tf", &provider_block(""));
    ws.write("all.tfquery.hcl", QUERY);
    let out = ws.run(&["query"]);
    out.assert_success();
    for expected in [
        "list.influxdb_database.all",
        "metrics",
        "events",
        "list.influxdb_database_token.all",
        &grafana,
        &telegraf,
        "grafana (",
        "telegraf (",
    ] {
        assert!(out.stdout.contains(expected), "{expected}:\n{}", out.stdout);
    }
    assert!(
        !out.stdout.contains(&revoked),
        "revoked tokens are not listed by default:\n{}",
        out.stdout
    );
    assert!(!out.combined().contains("apiv1_"), "no token string shown");

    let out = ws.run(&["query", "-generate-config-out=generated.tf"]);
    out.assert_success();
    let generated = ws.read("generated.tf");
    assert_eq!(generated.matches("import {").count(), 4, "{generated}");
    assert_eq!(generated.matches("identity = {").count(), 4, "{generated}");
    assert!(
        generated.contains(&format!("id         = \"{grafana}\""))
            || generated.contains(&format!("id = \"{grafana}\"")),
        "{generated}"
    );
    assert!(!generated.contains("access_token"), "{generated}");

    let apply = ws.run(&["apply", "-auto-approve"]);
    apply.assert_success();
    assert!(
        apply
            .stdout
            .contains("Apply complete! Resources: 4 imported, 0 added, 0 changed, 0 destroyed."),
        "{}",
        apply.stdout
    );
    let plan = ws.run(&["plan", "-detailed-exitcode"]);
    plan.assert_code(0);
    assert!(plan.stdout.contains("No changes."), "{}", plan.stdout);

    let resources = state_resources(&ws);
    assert_eq!(resources.len(), 4);
    for (ty, attrs, identity) in &resources {
        assert!(!identity.is_null(), "{ty} has an identity in state");
        if ty == "influxdb_database_token" {
            assert!(
                attrs["access_token"].is_null(),
                "imported tokens have no token string"
            );
            assert_eq!(identity["id"], attrs["id"]);
        } else {
            assert_eq!(identity["name"], attrs["name"]);
        }
    }
    let events = resources
        .iter()
        .find(|(_, a, _)| a["name"] == "events")
        .expect("events imported");
    assert_eq!(events.1["retention_period"], "30d");
    assert_eq!(events.1["partition_template"].as_array().unwrap().len(), 3);

    // Managed now: a change in the configuration is applied to the hand-made token.
    let text = ws
        .read("generated.tf")
        .replace("\"grafana\"", "\"grafana dashboards\"");
    ws.write("generated.tf", &text);
    let plan = ws.run(&["plan", "-detailed-exitcode"]);
    plan.assert_code(2);
    assert!(plan.stdout.contains("1 to change"), "{}", plan.stdout);
}

#[test]
fn query_and_generated_config_bring_hand_made_tokens_and_databases_under_management() {
    brings_everything_made_by_hand_under_management(SimProcess::dedicated());
}

/// Clustered has no account or cluster ID: the identities hold only the token ID or the name.
#[test]
fn query_and_generated_config_work_against_clustered() {
    brings_everything_made_by_hand_under_management(SimProcess::clustered());
}

#[test]
fn token_list_filters_by_description_prefix_and_can_include_revoked_tokens() {
    let (sim, ws) = setup(SimProcess::dedicated());
    let a = make_token(&sim, "ci: build", json!([]));
    let b = make_token(&sim, "ci: deploy", json!([]));
    let c = make_token(&sim, "grafana", json!([]));
    assert_eq!(sim.api("DELETE", &format!("/tokens/{b}"), None).status, 204);
    ws.write("main.tf", &provider_block(""));
    ws.write(
        "ci.tfquery.hcl",
        r#"
list "influxdb_database_token" "ci" {
  provider = influxdb
  config {
    description_prefix = "ci: "
  }
}

list "influxdb_database_token" "ci_all" {
  provider = influxdb
  config {
    description_prefix = "ci: "
    include_revoked    = true
  }
}
"#,
    );
    let out = ws.run(&["query"]);
    out.assert_success();
    let lines = |name: &str| -> Vec<String> {
        out.stdout
            .lines()
            .filter(|l| l.starts_with(&format!("list.influxdb_database_token.{name} ")))
            .map(str::to_owned)
            .collect()
    };
    let ci = lines("ci");
    assert_eq!(ci.len(), 1, "{}", out.stdout);
    assert!(ci[0].contains(&a));
    let ci_all = lines("ci_all");
    assert_eq!(ci_all.len(), 2, "{}", out.stdout);
    assert!(ci_all.iter().any(|l| l.contains(&b)));
    assert!(!out.stdout.contains(&c), "filtered by prefix");
}

#[test]
fn an_invalid_list_configuration_is_reported() {
    let (_sim, ws) = setup(SimProcess::dedicated());
    ws.write("main.tf", &provider_block(""));
    ws.write(
        "bad.tfquery.hcl",
        "list \"influxdb_database_token\" \"x\" {\n  provider = influxdb\n  config {\n    include_revoked = \"maybe\"\n  }\n}\n",
    );
    let out = ws.run(&["query"]);
    out.assert_failure();
    assert!(
        out.combined().contains("include_revoked"),
        "{}",
        out.combined()
    );
}

// ---- InfluxDB OSS v2: `list "influxdb_authorization"` and `list "influxdb_bucket"` ----

const V2_QUERY: &str = r#"
list "influxdb_bucket" "all" {
  provider         = influxdb
  include_resource = true
}

list "influxdb_authorization" "mine" {
  provider         = influxdb
  include_resource = true
  config {
    org_id = "5f3e0d9c1a2b4c6d"
  }
}
"#;

#[test]
fn v2_query_adopts_buckets_and_authorizations_made_with_the_influx_cli() {
    let (sim, ws) = setup(SimProcess::oss_v2());
    let bucket = sim.v2_bucket("made-by-hand");
    let r = sim.v2("PATCH", &format!("/buckets/{bucket}"), Some(r#"{"retentionRules":[{"type":"expire","everySeconds":2592000,"shardGroupDurationSeconds":86400}]}"#));
    assert_eq!(r.status, 200, "{}", r.body);
    let body = json!({"orgID": sim::V2_ORG_ID, "description": "telegraf", "permissions": [{"action": "write", "resource": {"type": "buckets", "id": bucket}}]});
    let a = sim.v2("POST", "/authorizations", Some(&body.to_string()));
    assert_eq!(a.status, 201, "{}", a.body);
    let auth = a.json()["id"].as_str().unwrap().to_owned();
    ws.write("main.tf", &provider_block(""));
    ws.write("all.tfquery.hcl", V2_QUERY);
    let out = ws.run(&["query"]);
    out.assert_success();
    assert!(out.stdout.contains("made-by-hand"), "{}", out.stdout);
    assert!(out.stdout.contains("telegraf"), "{}", out.stdout);
    assert!(
        !out.stdout.contains("_monitoring"),
        "system buckets are left out: {}",
        out.stdout
    );

    let out = ws.run(&["query", "-generate-config-out=generated.tf"]);
    out.assert_success();
    let generated = ws.read("generated.tf");
    // The bucket, the operator's token and telegraf.
    assert_eq!(generated.matches("import {").count(), 3, "{generated}");
    assert!(
        generated.contains(&bucket) && generated.contains(&auth),
        "{generated}"
    );
    ws.run(&["apply", "-auto-approve"]).assert_success();
    let plan = ws.run(&["plan", "-detailed-exitcode"]);
    plan.assert_code(0);
    let resources = state_resources(&ws);
    let b = resources
        .iter()
        .find(|r| r.0 == "influxdb_bucket")
        .expect("the bucket");
    assert_eq!(
        (b.1["retention_period"].as_str(), b.2["id"].as_str()),
        (Some("30d"), Some(bucket.as_str()))
    );
    assert!(resources
        .iter()
        .any(|r| r.0 == "influxdb_authorization" && r.2["id"] == auth.as_str()));
}

fn admin_tokens_made_by_hand_are_listed_on_core(sim: Target, tf: Tf) {
    let ws = Workspace::with_env(tf, sim.provider_env());
    sim.named_admin("ci-build");
    sim.named_admin("ci-deploy");
    sim.named_admin("grafana");
    ws.write("main.tf", &provider_block(""));
    ws.write(
        "admin.tfquery.hcl",
        r#"
list "influxdb_admin_token" "ci" {
  provider = influxdb
  config {
    name_prefix = "ci-"
  }
}

list "influxdb_admin_token" "all" {
  provider = influxdb
}
"#,
    );
    let out = ws.run(&["query"]);
    out.assert_success();
    let lines = |name: &str| -> Vec<String> {
        out.stdout
            .lines()
            .filter(|l| l.starts_with(&format!("list.influxdb_admin_token.{name} ")))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(lines("ci").len(), 2, "{}", out.stdout);
    let all = lines("all");
    assert_eq!(all.len(), 3, "{}", out.stdout);
    assert!(
        !out.stdout.contains("_admin "),
        "the operator token is not listed"
    );
}

fn databases_made_by_hand_on_core_are_brought_under_management(sim: Target, tf: Tf) {
    let ws = Workspace::with_env(tf, sim.provider_env());
    for body in [
        r#"{"db":"metrics"}"#,
        r#"{"db":"events","retention_period":"30d"}"#,
        r#"{"db":"gone"}"#,
    ] {
        let a = sim.v3("POST", "/api/v3/configure/database", Some(body));
        assert_eq!(a.status, 200, "{}", a.body);
    }
    assert_eq!(
        sim.v3("DELETE", "/api/v3/configure/database?db=gone", None)
            .status,
        200
    );
    ws.write("main.tf", &provider_block(""));
    ws.write(
        "db.tfquery.hcl",
        "list \"influxdb_database\" \"all\" {\n  provider         = influxdb\n  include_resource = true\n}\n",
    );
    let out = ws.run(&["query", "-generate-config-out=generated.tf"]);
    out.assert_success();
    let generated = ws.read("generated.tf");
    assert_eq!(generated.matches("import {").count(), 2, "{generated}");
    assert!(
        !generated.contains("_internal") && !generated.contains("gone"),
        "{generated}"
    );
    assert!(
        !generated.contains("max_tables"),
        "no Dedicated-only argument: {generated}"
    );
    let apply = ws.run(&["apply", "-auto-approve"]);
    apply.assert_success();
    assert!(
        apply
            .stdout
            .contains("2 imported, 0 added, 0 changed, 0 destroyed"),
        "{}",
        apply.stdout
    );
    ws.plan_no_changes(&[]);
    let events = state_resources(&ws)
        .into_iter()
        .find(|(_, a, _)| a["name"] == "events")
        .expect("events imported");
    assert_eq!(events.1["retention_period"], "30d");
    assert_eq!(events.2["name"], "events");
}

#[test]
fn resource_tokens_made_by_hand_on_enterprise_are_brought_under_management() {
    let (sim, ws) = setup(SimProcess::enterprise());
    let a = sim.v3(
        "POST",
        "/api/v3/configure/database",
        Some(r#"{"db":"sensors"}"#),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    for (name, perms) in [
        (
            "grafana",
            json!([{"resource_type": "db", "resource_names": ["sensors"], "actions": ["read"]}]),
        ),
        (
            "monitor",
            json!([{"resource_type": "system", "resource_names": ["health"], "actions": ["read"]}]),
        ),
    ] {
        let body = json!({"token_name": name, "permissions": perms}).to_string();
        let a = sim.v3("POST", "/api/v3/enterprise/configure/token", Some(&body));
        assert_eq!(a.status, 201, "{}", a.body);
    }
    sim.v3_named_admin("ops");
    ws.write("main.tf", &provider_block(""));
    ws.write(
        "tokens.tfquery.hcl",
        "list \"influxdb_database_token\" \"all\" {\n  provider         = influxdb\n  include_resource = true\n}\n",
    );
    let out = ws.run(&["query", "-generate-config-out=generated.tf"]);
    out.assert_success();
    let generated = ws.read("generated.tf");
    assert_eq!(
        generated.matches("import {").count(),
        2,
        "not the admin tokens: {generated}"
    );
    assert!(generated.contains("system:health"), "{generated}");
    let apply = ws.run(&["apply", "-auto-approve"]);
    apply.assert_success();
    assert!(
        apply
            .stdout
            .contains("2 imported, 0 added, 0 changed, 0 destroyed"),
        "{}",
        apply.stdout
    );
    ws.plan_no_changes(&[]);
    for (ty, attrs, identity) in state_resources(&ws) {
        assert_eq!(ty, "influxdb_database_token");
        assert!(attrs["access_token"].is_null());
        assert_eq!(identity["id"], attrs["id"]);
        assert_eq!(identity["name"], attrs["description"]);
    }
}

fn the_token_list_on_core_fails_naming_enterprise(sim: Target, tf: Tf) {
    let ws = Workspace::with_env(tf, sim.provider_env());
    ws.write("main.tf", &provider_block(""));
    ws.write(
        "tokens.tfquery.hcl",
        "list \"influxdb_database_token\" \"all\" {\n  provider = influxdb\n}\n",
    );
    let out = ws.run(&["query"]);
    out.assert_failure();
    let text = out
        .combined()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("needs InfluxDB 3 Enterprise"), "{text}");
}

#[test]
fn the_tokens_data_source_on_enterprise_lists_resource_tokens_only() {
    let (sim, ws) = setup(SimProcess::enterprise());
    let body = json!({"token_name": "grafana", "permissions": [{"resource_type": "db", "resource_names": ["*"], "actions": ["read"]}]}).to_string();
    let a = sim.v3("POST", "/api/v3/enterprise/configure/token", Some(&body));
    assert_eq!(a.status, 201, "{}", a.body);
    sim.v3_named_admin("ops");
    ws.write(
        "main.tf",
        &format!(
            "{}\ndata \"influxdb_database_tokens\" \"all\" {{}}\n\noutput \"names\" {{\n  value = join(\",\", [for t in data.influxdb_database_tokens.all.tokens : \"${{t.description}}:${{t.id}}\"])\n}}\n",
            provider_block("")
        ),
    );
    ws.apply(&[]);
    let id = a.json()["id"].to_string();
    assert_eq!(ws.output_raw("names"), format!("grafana:{id}"));
}

// ---- InfluxDB OSS v2: `list "influxdb_dbrp_mapping"` ----

#[test]
fn v2_query_adopts_dbrp_mappings_made_with_the_influx_cli_and_leaves_virtual_ones_out() {
    let (sim, ws) = setup(SimProcess::oss_v2());
    let bucket = sim.v2_bucket("made-by-hand");
    let body = json!({"orgID": sim::V2_ORG_ID, "bucketID": bucket, "database": "telegraf", "retention_policy": "autogen", "default": true});
    let m = sim.v2("POST", "/dbrps", Some(&body.to_string()));
    assert_eq!(m.status, 201, "{}", m.body);
    let mapping = m.json()["id"].as_str().unwrap().to_owned();
    ws.write("main.tf", &provider_block(""));
    ws.write(
        "dbrp.tfquery.hcl",
        r#"
list "influxdb_dbrp_mapping" "all" {
  provider         = influxdb
  include_resource = true
}

list "influxdb_dbrp_mapping" "virtual" {
  provider = influxdb
  config {
    include_virtual = true
  }
}
"#,
    );
    let out = ws.run(&["query"]);
    out.assert_success();
    assert!(
        out.stdout
            .contains(&format!("telegraf/autogen ({mapping})")),
        "{}",
        out.stdout
    );
    assert_eq!(
        out.stdout
            .matches(&format!("made-by-hand/autogen ({bucket})"))
            .count(),
        1,
        "the bucket's virtual mapping, in the list that asks for it only: {}",
        out.stdout
    );

    ws.write(
        "dbrp.tfquery.hcl",
        "list \"influxdb_dbrp_mapping\" \"all\" {\n  provider         = influxdb\n  include_resource = true\n}\n",
    );
    let out = ws.run(&["query", "-generate-config-out=generated.tf"]);
    out.assert_success();
    let generated = ws.read("generated.tf");
    assert_eq!(generated.matches("import {").count(), 1, "{generated}");
    assert!(generated.contains(&mapping), "{generated}");
    ws.run(&["apply", "-auto-approve"]).assert_success();
    ws.run(&["plan", "-detailed-exitcode"]).assert_code(0);
    let resources = state_resources(&ws);
    let r = resources
        .iter()
        .find(|r| r.0 == "influxdb_dbrp_mapping")
        .expect("the mapping");
    assert_eq!(
        (r.1["database"].as_str(), r.2["id"].as_str()),
        (Some("telegraf"), Some(mapping.as_str()))
    );
}

// ---- InfluxDB OSS v2: `list "influxdb_task"` ----

#[test]
fn v2_query_adopts_tasks_made_with_the_influx_cli() {
    let (sim, ws) = setup(SimProcess::oss_v2());
    let mut ids = Vec::new();
    for (name, schedule) in [("hourly", "every: 1h"), ("nightly", "cron: \"0 3 * * *\"")] {
        let flux = format!("option task = {{name: \"{name}\", {schedule}}}\n\nfrom(bucket: \"raw\")\n  |> range(start: -1h)\n  |> to(bucket: \"{name}\")\n");
        let body = json!({"orgID": sim::V2_ORG_ID, "flux": flux, "description": format!("{name} by hand")});
        let a = sim.v2("POST", "/tasks", Some(&body.to_string()));
        assert_eq!(a.status, 201, "{}", a.body);
        ids.push(a.json()["id"].as_str().unwrap().to_owned());
    }
    ws.write("main.tf", &provider_block(""));
    ws.write(
        "tasks.tfquery.hcl",
        "list \"influxdb_task\" \"all\" {\n  provider         = influxdb\n  include_resource = true\n}\n",
    );
    let out = ws.run(&["query"]);
    out.assert_success();
    assert!(
        out.stdout.contains("hourly") && out.stdout.contains("nightly"),
        "{}",
        out.stdout
    );

    let out = ws.run(&["query", "-generate-config-out=generated.tf"]);
    out.assert_success();
    let generated = ws.read("generated.tf");
    assert_eq!(generated.matches("import {").count(), 2, "{generated}");
    assert!(
        ids.iter().all(|id| generated.contains(id.as_str())),
        "{generated}"
    );
    ws.run(&["apply", "-auto-approve"]).assert_success();
    ws.run(&["plan", "-detailed-exitcode"]).assert_code(0);
    let resources = state_resources(&ws);
    let tasks: Vec<_> = resources
        .iter()
        .filter(|r| r.0 == "influxdb_task")
        .collect();
    assert_eq!(tasks.len(), 2);
    assert!(tasks
        .iter()
        .any(|t| t.1["cron"] == "0 3 * * *" && t.1["description"] == "nightly by hand"));
}
