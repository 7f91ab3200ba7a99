//! The drop-in from `DrFaust92/influxdb` 1.6.1, against a real `influxd`, under Terraform 1.0.3
//! and 1.15.5: objects that provider made are on the server and in a state file as it writes
//! them (schema version 0, `id` attributes, sets of blocks, the user's password as its SHA-256,
//! `private` = base64 of `null`). The switch is `terraform state replace-provider`, the
//! `required_providers` entry changed, and `terraform init`; the next plan changes nothing but
//! the user's password (a password-only update), whose apply sets the same password again, and
//! the plan after that is empty.

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

/// The state DrFaust92/influxdb 1.6.1 writes for the configuration above.
fn their_state() -> String {
    let state = json!({
        "version": 4,
        "terraform_version": "1.0.3",
        "serial": 3,
        "lineage": "6f1c7c1e-3c1e-4e59-9d0b-2f5a7e1c0d11",
        "outputs": {},
        "resources": [
            instance("influxdb_user", "app", json!({
                "id": "app",
                "name": "app",
                "password": PASSWORD_SHA256,
                "admin": false,
                "grant": [
                    {"database": "events", "privilege": "WRITE"},
                    {"database": "metrics", "privilege": "READ"}
                ]
            })),
            instance("influxdb_user", "ops", json!({
                "id": "ops",
                "name": "ops",
                "password": PASSWORD_SHA256,
                "admin": true,
                "grant": []
            })),
            instance("influxdb_continuous_query", "mean", json!({
                "id": "cq_mean:metrics",
                "name": "cq_mean",
                "database": "metrics",
                "query": QUERY,
                "resample": ""
            })),
        ]
    });
    serde_json::to_string_pretty(&state).unwrap()
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

fn switch(tf: Tf) {
    let server = Influxd::start();
    their_objects(&server);
    // Only our provider, from a mirror: the old provider is neither installed nor reachable.
    let mut ws = Workspace::with_cli_config(
        tf,
        &format!(
            "provider_installation {{\n  filesystem_mirror {{\n    path = \"{}\"\n  }}\n}}\n",
            hcl_escape(&mirror().to_string_lossy())
        ),
    );
    ws.set_envs(server.provider_env());
    ws.write("terraform.tfstate", &their_state());
    ws.write("main.tf", &config());

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
