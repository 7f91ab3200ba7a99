//! The drop-in from `DrFaust92/influxdb` 1.6.1, against a real `influxd`, under Terraform 1.0.3
//! and 1.15.5: objects that provider made are on the server and in a state file as it writes
//! them (schema version 0, `id` attributes, sets of blocks, the user's password as its SHA-256,
//! `private` = base64 of `null`). The switch is `terraform state replace-provider`, the
//! `required_providers` entry changed, and `terraform init`; the next plan changes nothing but
//! the user's password (a password-only update), whose apply sets the same password again, and
//! the plan after that is empty. Databases with retention policies switch with an empty plan.

#[path = "support/influxd.rs"]
mod influxd;
#[path = "support/terraform.rs"]
mod terraform;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use influxd::{quote_ident, quote_string, Influxd};
use serde_json::json;
use terraform::{hcl_escape, provider_block, Tf, Workspace, PROVIDER_SOURCE};

const PASSWORD: &str = "app-Passw0rd'x";
/// `sha256(PASSWORD)` in hexadecimal: what DrFaust92/influxdb keeps in its state.
const PASSWORD_SHA256: &str = "67120541d77256922c211a492b4d6352ad622408a9985655fc5dce68f6f5414b";
const SOURCE: &str = "registry.terraform.io/drfaust92/influxdb";
const QUERY: &str =
    r#"SELECT mean("value") INTO "long"."mean_value" FROM "short"."value" GROUP BY time(1h)"#;

/// The configuration as it was written for DrFaust92/influxdb; only `required_providers`
/// changes.
fn config() -> String {
    format!(
        r#"{provider}
resource "influxdb_user" "app" {{
  name     = "app"
  password = "{password}"

  grant {{
    database  = "metrics"
    privilege = "READ"
  }}
  grant {{
    database  = "events"
    privilege = "WRITE"
  }}
}}

resource "influxdb_user" "ops" {{
  name     = "ops"
  password = "{password}"
  admin    = true
}}

resource "influxdb_continuous_query" "mean" {{
  name     = "cq_mean"
  database = "metrics"
  query    = "{query}"
}}
"#,
        provider = provider_block(""),
        password = hcl_escape(PASSWORD),
        query = hcl_escape(QUERY),
    )
}

fn instance(ty: &str, name: &str, attributes: serde_json::Value) -> serde_json::Value {
    json!({
        "mode": "managed",
        "type": ty,
        "name": name,
        "provider": format!("provider[\"{SOURCE}\"]"),
        "instances": [{
            "schema_version": 0,
            "attributes": attributes,
            "sensitive_attributes": [],
            "private": "bnVsbA=="
        }]
    })
}

/// A state file as Terraform 1.0.3 writes it, holding `resources`.
fn state_file(resources: Vec<serde_json::Value>) -> String {
    let state = json!({
        "version": 4,
        "terraform_version": "1.0.3",
        "serial": 3,
        "lineage": "6f1c7c1e-3c1e-4e59-9d0b-2f5a7e1c0d11",
        "outputs": {},
        "resources": resources
    });
    serde_json::to_string_pretty(&state).unwrap()
}

/// The state DrFaust92/influxdb 1.6.1 writes for the configuration above.
fn their_state() -> String {
    state_file(vec![
        instance(
            "influxdb_user",
            "app",
            json!({
                "id": "app",
                "name": "app",
                "password": PASSWORD_SHA256,
                "admin": false,
                "grant": [
                    {"database": "events", "privilege": "WRITE"},
                    {"database": "metrics", "privilege": "READ"}
                ]
            }),
        ),
        instance(
            "influxdb_user",
            "ops",
            json!({
                "id": "ops",
                "name": "ops",
                "password": PASSWORD_SHA256,
                "admin": true,
                "grant": []
            }),
        ),
        instance(
            "influxdb_continuous_query",
            "mean",
            json!({
                "id": "cq_mean:metrics",
                "name": "cq_mean",
                "database": "metrics",
                "query": QUERY,
                "resample": ""
            }),
        ),
    ])
}

/// What DrFaust92/influxdb made on the server.
fn their_objects(server: &Influxd) {
    let pw = quote_string(PASSWORD);
    server.influxql(&format!(
        "CREATE DATABASE metrics; CREATE DATABASE events; \
         CREATE RETENTION POLICY short ON metrics DURATION 1d REPLICATION 1; \
         CREATE RETENTION POLICY long ON metrics DURATION 30d REPLICATION 1; \
         CREATE USER app WITH PASSWORD {pw}; GRANT READ ON metrics TO app; GRANT WRITE ON events TO app; \
         CREATE USER ops WITH PASSWORD {pw} WITH ALL PRIVILEGES; \
         CREATE CONTINUOUS QUERY cq_mean ON metrics BEGIN {QUERY} END"
    ));
}

/// The provider packaged by `scripts/release.sh` into a filesystem mirror (once per process):
/// `terraform init` installs it from there as users do, with nothing else reachable.
fn mirror() -> &'static Path {
    static MIRROR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &MIRROR
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("dist");
            let res = Command::new("bash")
                .arg(terraform::repo_root().join("scripts/release.sh"))
                .arg("--binary")
                .arg(env!("CARGO_BIN_EXE_terraform-provider-influxdb"))
                .arg("--out")
                .arg(&out)
                .env("CARGO", env!("CARGO"))
                .output()
                .expect("run scripts/release.sh");
            assert!(
                res.status.success(),
                "scripts/release.sh failed: {}",
                String::from_utf8_lossy(&res.stderr)
            );
            (dir, out.join("mirror"))
        })
        .1
}

/// A workspace holding `state` (written by DrFaust92/influxdb) and `config`, switched to this
/// provider: `terraform state replace-provider` and `terraform init`, from a mirror holding
/// only this provider.
fn switched(tf: Tf, server: &Influxd, state: &str, config: &str) -> Workspace {
    // Only our provider, from a mirror: the old provider is neither installed nor reachable.
    let mut ws = Workspace::with_cli_config(
        tf,
        &format!(
            "provider_installation {{\n  filesystem_mirror {{\n    path = \"{}\"\n  }}\n}}\n",
            hcl_escape(&mirror().to_string_lossy())
        ),
    );
    ws.set_envs(server.provider_env());
    ws.write("terraform.tfstate", state);
    ws.write("main.tf", config);

    // Before the switch, init would need the old provider too (the state names it).
    let early = ws.run(&["init"]);
    early.assert_failure();
    assert!(
        early.combined().contains("drfaust92/influxdb"),
        "{}",
        early.combined()
    );

    ws.run(&[
        "state",
        "replace-provider",
        "-auto-approve",
        SOURCE,
        PROVIDER_SOURCE,
    ])
    .assert_success();
    let state = ws.state_json();
    for r in state["resources"].as_array().unwrap() {
        assert_eq!(
            r["provider"],
            format!("provider[\"{PROVIDER_SOURCE}\"]"),
            "{r}"
        );
    }
    // init needs only our provider now (from a mirror here; from its registry for users).
    ws.run(&["init"]).assert_success();
    assert!(ws.path().join(".terraform.lock.hcl").is_file());
    ws
}

fn switch(tf: Tf) {
    let server = Influxd::start();
    their_objects(&server);
    let ws = switched(tf, &server, &their_state(), &config());

    // The next plan: a password-only update for each user, nothing else.
    let plan = ws.run(&["plan", "-detailed-exitcode"]);
    plan.assert_code(2);
    assert!(
        plan.stdout.contains("0 to add, 2 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    let changed: Vec<&str> = plan
        .stdout
        .lines()
        .filter(|l| l.trim_start().starts_with('~') && l.contains('='))
        .collect();
    assert!(
        !changed.is_empty() && changed.iter().all(|l| l.contains("password")),
        "only the passwords change: {changed:?}\n{}",
        plan.stdout
    );
    assert!(!plan.combined().contains(PASSWORD));

    // Applying it sets the same password: the users sign in as before, and nothing is left.
    ws.apply(&[]);
    assert_eq!(
        server.query_as("app", PASSWORD, "SHOW DATABASES").status,
        200
    );
    assert_eq!(server.query_as("ops", PASSWORD, "SHOW USERS").status, 200);
    let grants = server.rows(&format!("SHOW GRANTS FOR {}", quote_ident("app")));
    assert_eq!(grants.len(), 2, "{grants:?}");
    ws.plan_no_changes(&[]);
    assert_eq!(
        ws.state_attributes("influxdb_continuous_query.mean")["id"],
        "metrics:cq_mean"
    );
}

#[test]
fn a_drfaust92_workspace_switches_with_only_password_updates_under_terraform_1_0_3() {
    switch(Tf::V1_0_3);
}

#[test]
fn a_drfaust92_workspace_switches_with_only_password_updates_under_terraform_1_15_5() {
    switch(Tf::V1_15_5);
}

/// Databases as DrFaust92/influxdb users write them: durations in the server's own form (that
/// provider compares them as text), one policy relying on its `shardgroupduration` default.
fn database_config() -> String {
    format!(
        r#"{provider}
resource "influxdb_database" "metrics" {{
  name = "metrics"

  retention_policies {{
    name     = "short"
    duration = "24h0m0s"
    default  = true
  }}

  retention_policies {{
    name               = "long"
    duration           = "720h0m0s"
    shardgroupduration = "24h0m0s"
  }}
}}

resource "influxdb_database" "events" {{
  name = "events"
}}

resource "influxdb_database" "odd" {{
  name = "{odd}"

  retention_policies {{
    name        = "forever"
    duration    = "0s"
    replication = 1
    default     = true
  }}
}}
"#,
        provider = provider_block(""),
        odd = hcl_escape(ODD),
    )
}

/// A database name that needs quoting everywhere.
const ODD: &str = "we\"ird 'name";

/// The policies of [`database_config`] as that provider stores them (a list of every field;
/// `shardgroupduration` defaults to `1h0m0s` there).
fn policy(name: &str, duration: &str, shard: &str, default: bool) -> serde_json::Value {
    json!({"name": name, "duration": duration, "replication": 1,
           "shardgroupduration": shard, "default": default})
}

fn their_database_state() -> String {
    let db = |name: &str, policies: Vec<serde_json::Value>| json!({"id": name, "name": name, "retention_policies": policies});
    state_file(vec![
        instance(
            "influxdb_database",
            "metrics",
            db(
                "metrics",
                vec![
                    policy("short", "24h0m0s", "1h0m0s", true),
                    policy("long", "720h0m0s", "24h0m0s", false),
                ],
            ),
        ),
        instance("influxdb_database", "events", db("events", vec![])),
        instance(
            "influxdb_database",
            "odd",
            db(ODD, vec![policy("forever", "0s", "1h0m0s", true)]),
        ),
    ])
}

fn their_databases(server: &Influxd) {
    let odd = quote_ident(ODD);
    server.influxql(&format!(
        "CREATE DATABASE metrics; CREATE DATABASE events; CREATE DATABASE {odd}; \
         CREATE RETENTION POLICY short ON metrics DURATION 24h REPLICATION 1 SHARD DURATION 1h DEFAULT; \
         CREATE RETENTION POLICY long ON metrics DURATION 720h REPLICATION 1 SHARD DURATION 24h; \
         CREATE RETENTION POLICY forever ON {odd} DURATION INF REPLICATION 1 SHARD DURATION 1h DEFAULT"
    ));
    server.write("metrics", Some("long"), "cpu value=1");
}

/// The server's policies of `db` as (name, duration, shard duration, default), sorted.
fn policies_of(server: &Influxd, db: &str) -> Vec<(String, String, String, bool)> {
    let mut p: Vec<_> = server
        .retention_policies(db)
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_owned(),
                r["duration"].as_str().unwrap().to_owned(),
                r["shardGroupDuration"].as_str().unwrap().to_owned(),
                r["default"].as_bool().unwrap(),
            )
        })
        .collect();
    p.sort();
    p
}

fn switch_databases(tf: Tf) {
    let server = Influxd::start();
    their_databases(&server);
    let before: Vec<_> = ["metrics", "events", ODD]
        .iter()
        .map(|d| policies_of(&server, d))
        .collect();
    let ws = switched(tf, &server, &their_database_state(), &database_config());

    // The first plan after the switch is empty, and so is an apply: nothing is sent.
    ws.plan_no_changes(&[]);
    let apply = ws.apply(&[]);
    assert!(
        apply.stdout.contains("0 added, 0 changed, 0 destroyed"),
        "{}",
        apply.stdout
    );
    let after: Vec<_> = ["metrics", "events", ODD]
        .iter()
        .map(|d| policies_of(&server, d))
        .collect();
    assert_eq!(after, before, "the server's policies are untouched");
    let points = server.rows("SELECT count(value) FROM metrics.long.cpu");
    assert_eq!(points.len(), 1, "the data is kept: {points:?}");

    let metrics = ws.state_attributes("influxdb_database.metrics");
    assert_eq!(metrics["name"], "metrics");
    assert_eq!(metrics["deletion_protection"], false);
    let policies = metrics["retention_policies"].as_array().unwrap();
    assert_eq!(policies.len(), 2, "{metrics}");
    assert_eq!(ws.state_attributes("influxdb_database.odd")["name"], ODD);

    // Managed as ours from now on: a policy changed in the configuration is altered in place.
    ws.write(
        "main.tf",
        &database_config().replace("\"720h0m0s\"", "\"1440h0m0s\""),
    );
    let plan = ws.run(&["plan", "-detailed-exitcode"]);
    plan.assert_code(2);
    assert!(
        plan.stdout.contains("0 to add, 1 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    ws.apply(&[]);
    assert!(policies_of(&server, "metrics")
        .iter()
        .any(|p| p.0 == "long" && p.1 == "1440h0m0s"));
    ws.plan_no_changes(&[]);
}

#[test]
fn drfaust92_databases_with_policies_switch_with_an_empty_plan_under_terraform_1_0_3() {
    switch_databases(Tf::V1_0_3);
}

#[test]
fn drfaust92_databases_with_policies_switch_with_an_empty_plan_under_terraform_1_15_5() {
    switch_databases(Tf::V1_15_5);
}
