//! Switching from another InfluxDB provider to this one without an API write and without
//! changing a token string (docs/guides/migrating.md), under Terraform 1.15.5 (a `moved` block
//! across providers needs Terraform 1.8); `terraform state replace-provider` under 1.0.3 too.
//!
//! Each source provider is played by `stand-in-provider` (tests/support/stand_in/), installed
//! at the source's address in a filesystem mirror beside this provider: it serves the source's
//! schemas and fails loudly if Terraform asks it for anything else. Each scenario creates the
//! objects on the simulator, writes the state the source provider would have written, edits
//! the configuration as the guide says, and checks that the plan only moves, that the apply
//! makes no write call, that the token strings are kept and that the next plan is empty.

#[path = "support/sim.rs"]
mod sim;
#[path = "support/terraform.rs"]
mod terraform;

use std::path::Path;

use serde_json::{json, Value as J};
use sim::SimProcess;
use terraform::{flat, hcl_escape, provider_dir, Tf, Workspace, PROVIDER_SOURCE};

const INFLUXDB3: &str = "registry.terraform.io/komminarlabs/influxdb3";
const KOMMINARLABS_V2: &str = "registry.terraform.io/komminarlabs/influxdb";
const SLCP_V2: &str = "registry.terraform.io/slcp/influxdb-v2";

/// A workspace, and the filesystem mirror it installs from (removed with it).
struct Switch {
    ws: Workspace,
    _mirror: tempfile::TempDir,
}

impl std::ops::Deref for Switch {
    type Target = Workspace;
    fn deref(&self) -> &Workspace {
        &self.ws
    }
}

/// A workspace whose CLI configuration is only a filesystem mirror (unpacked layout) holding
/// this provider and the stand-ins for `sources`, pointed at `sim`.
fn workspace(sim: &SimProcess, sources: &[&str]) -> Switch {
    workspace_for(Tf::V1_15_5, sim, sources)
}

/// [`workspace`] under Terraform `tf`.
fn workspace_for(tf: Tf, sim: &SimProcess, sources: &[&str]) -> Switch {
    let tmp = tempfile::Builder::new()
        .prefix("tf-mirror-")
        .tempdir()
        .expect("temp dir");
    let mirror = tmp.path().to_path_buf();
    let ours = provider_dir().join("terraform-provider-influxdb");
    let dir = mirror.join(PROVIDER_SOURCE).join("0.1.0/linux_amd64");
    std::fs::create_dir_all(&dir).unwrap();
    std::os::unix::fs::symlink(&ours, dir.join("terraform-provider-influxdb_v0.1.0")).unwrap();
    let stand_in = Path::new(env!("CARGO_BIN_EXE_stand-in-provider"));
    for source in sources {
        let ty = source.rsplit('/').next().unwrap();
        let dir = mirror.join(source).join("1.0.0/linux_amd64");
        std::fs::create_dir_all(&dir).unwrap();
        let script = dir.join(format!("terraform-provider-{ty}_v1.0.0"));
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\nSTAND_IN_SOURCE='{source}' exec '{}' \"$@\"\n",
                stand_in.display()
            ),
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let config = format!(
        "provider_installation {{\n  filesystem_mirror {{\n    path = \"{}\"\n  }}\n}}\n",
        hcl_escape(&mirror.to_string_lossy())
    );
    let mut ws = Workspace::with_cli_config(tf, &config);
    ws.set_envs(sim.provider_env());
    Switch { ws, _mirror: tmp }
}

/// Our `required_providers` and empty provider block (settings come from the environment).
fn ours(body: &str) -> String {
    format!("{}\n{body}", terraform::provider_block(""))
}

/// A state file as Terraform writes it, holding `resources`: (type, name, provider, attributes).
fn state_file(resources: &[(&str, &str, &str, J)]) -> String {
    let resources: Vec<J> = resources
        .iter()
        .map(|(ty, name, provider, attributes)| {
            json!({
                "mode": "managed", "type": ty, "name": name,
                "provider": format!("provider[\"{provider}\"]"),
                "instances": [{"schema_version": 0, "attributes": attributes, "sensitive_attributes": []}]
            })
        })
        .collect();
    let state = json!({
        "version": 4, "terraform_version": "1.9.8", "serial": 3,
        "lineage": "5d1c0b8a-3f1e-4c1b-9a0e-0c6d3f1e2a4b", "outputs": {}, "resources": resources,
        "check_results": null
    });
    serde_json::to_string_pretty(&state).unwrap()
}

/// The API calls the simulator logged that could change something (every method but GET).
fn writes(sim: &SimProcess) -> Vec<(String, String)> {
    sim.calls()
        .into_iter()
        .filter(|(method, _)| method != "GET")
        .collect()
}

/// `terraform init`, then a plan that only moves (`moves` resources) and an apply that writes
/// nothing; then the next plan is empty.
fn plan_moves_and_apply_writes_nothing(ws: &Workspace, sim: &SimProcess, moves: &[(&str, &str)]) {
    ws.run(&["init"]).assert_success();
    sim.clear_requests();
    let plan = ws.run(&["plan"]);
    plan.assert_success();
    let said = flat(&plan.stdout);
    for (from, to) in moves {
        assert!(
            said.contains(&format!("# {from} has moved to {to}")),
            "the plan moves {from} to {to}:\n{}",
            plan.stdout
        );
    }
    assert!(
        said.contains("Plan: 0 to add, 0 to change, 0 to destroy"),
        "nothing but moves:\n{}",
        plan.stdout
    );
    for word in [
        "must be replaced",
        "will be created",
        "will be destroyed",
        "will be updated",
    ] {
        assert!(!said.contains(word), "{word}:\n{}", plan.stdout);
    }
    let apply = ws.apply(&[]);
    assert!(
        flat(&apply.stdout).contains("0 added, 0 changed, 0 destroyed"),
        "{}",
        apply.stdout
    );
    assert_eq!(writes(sim), Vec::<(String, String)>::new(), "no write call");
    let out = ws.plan_no_changes(&[]);
    assert!(out.stdout.contains("No changes"), "{}", out.stdout);
    assert_eq!(writes(sim), Vec::<(String, String)>::new(), "no write call");
}

// ---------------------------------------------------------------------------------------------
// komminarlabs/influxdb3 (InfluxDB 3 Cloud Dedicated): moved blocks

/// A database and a token of Cloud Dedicated, as komminarlabs/influxdb3 wrote them: the state
/// of `influxdb3_database.sensors` and `influxdb3_token.ingest`.
fn influxdb3_objects(sim: &SimProcess) -> (J, J) {
    let db = json!({"name": "sensors", "maxTables": 300, "maxColumnsPerTable": 150,
                    "retentionPeriod": 2_592_000_000_000_000_i64});
    let a = sim.api("POST", "/databases", Some(&db.to_string()));
    assert!(a.status < 300, "{}", a.body);
    let t = json!({"description": "Telegraf ingest",
                   "permissions": [{"action": "write", "resource": "sensors"}]});
    let a = sim.api("POST", "/tokens", Some(&t.to_string()));
    assert!(a.status < 300, "{}", a.body);
    let t = a.json();
    let database = json!({
        "account_id": sim::ACCOUNT_ID, "cluster_id": sim::CLUSTER_ID, "name": "sensors",
        "max_tables": 300, "max_columns_per_table": 150,
        "retention_period": 2_592_000_000_000_000_i64, "partition_template": null
    });
    let token = json!({
        "access_token": t["accessToken"], "account_id": sim::ACCOUNT_ID,
        "cluster_id": sim::CLUSTER_ID, "created_at": t["createdAt"],
        "description": "Telegraf ingest", "expires_at": null, "id": t["id"],
        "permissions": [{"action": "write", "resource": "sensors"}]
    });
    (database, token)
}

#[test]
fn from_komminarlabs_influxdb3_with_moved_blocks() {
    let sim = SimProcess::dedicated();
    let (database, token) = influxdb3_objects(&sim);
    let ws = workspace(&sim, &[INFLUXDB3]);
    ws.write(
        "terraform.tfstate",
        &state_file(&[
            ("influxdb3_database", "sensors", INFLUXDB3, database),
            ("influxdb3_token", "ingest", INFLUXDB3, token.clone()),
        ]),
    );
    ws.write(
        "main.tf",
        &ours(
            r#"
resource "influxdb_database" "sensors" {
  name                  = "sensors"
  max_tables            = 300
  max_columns_per_table = 150
  retention_period      = "30d" # was 2592000000000000 (nanoseconds)
}

resource "influxdb_database_token" "ingest" {
  description = "Telegraf ingest"
  permissions = [{ action = "write", resource = influxdb_database.sensors.name }]
}

moved {
  from = influxdb3_database.sensors
  to   = influxdb_database.sensors
}

moved {
  from = influxdb3_token.ingest
  to   = influxdb_database_token.ingest
}
"#,
        ),
    );
    plan_moves_and_apply_writes_nothing(
        &ws,
        &sim,
        &[
            ("influxdb3_database.sensors", "influxdb_database.sensors"),
            ("influxdb3_token.ingest", "influxdb_database_token.ingest"),
        ],
    );
    let moved = ws.state_attributes("influxdb_database_token.ingest");
    assert_eq!(moved["access_token"], token["access_token"]);
    assert_eq!(moved["id"], token["id"]);
    assert_eq!(moved["created_at"], token["created_at"]);
    assert_eq!(
        ws.state_attributes("influxdb_database.sensors")["deletion_protection"],
        false
    );
    assert_eq!(
        ws.state_attributes("influxdb_database.sensors")["retention_period"],
        "30d"
    );
}

// ---------------------------------------------------------------------------------------------
// komminarlabs/influxdb (InfluxDB OSS v2, Cloud Serverless): terraform state replace-provider

/// `POST /api/v2{path}` on the simulator; the created object.
fn v2_create(sim: &SimProcess, path: &str, body: J) -> J {
    let a = sim.v2("POST", path, Some(&body.to_string()));
    assert_eq!(a.status, 201, "{path}: {}", a.body);
    a.json()
}

// The route of any Terraform: under 1.0.3 the organization and the bucket (our authorization
// needs Terraform 1.3, nested attributes; our user 1.11, write-only attributes).
terraform::every_terraform!(from_komminarlabs_influxdb_with_replace_provider);

fn from_komminarlabs_influxdb_with_replace_provider(tf: Tf) {
    let modern = tf >= Tf::V1_15_5;
    let sim = SimProcess::oss_v2();
    let org = v2_create(
        &sim,
        "/orgs",
        json!({"name": "team", "description": "the team"}),
    );
    let user_id = sim.v2_user("alice");
    let bucket = v2_create(
        &sim,
        "/buckets",
        json!({"orgID": sim::V2_ORG_ID, "name": "metrics",
               "retentionRules": [{"type": "expire", "everySeconds": 2_592_000}]}),
    );
    let auth = v2_create(
        &sim,
        "/authorizations",
        json!({"orgID": sim::V2_ORG_ID, "description": "dashboards",
               "permissions": [{"action": "read", "resource": {"type": "buckets", "id": bucket["id"], "orgID": sim::V2_ORG_ID}}]}),
    );
    // What komminarlabs/influxdb 1.4.1 writes, attributes we lack included.
    let mut resources = vec![
        (
            "influxdb_organization",
            "team",
            KOMMINARLABS_V2,
            json!({"id": org["id"], "name": "team", "description": "the team",
                   "created_at": org["createdAt"], "updated_at": org["updatedAt"]}),
        ),
        (
            "influxdb_user",
            "alice",
            KOMMINARLABS_V2,
            json!({"id": user_id, "name": "alice", "password": "correct horse battery",
                   "org_id": null, "org_role": null, "status": "active"}),
        ),
        (
            "influxdb_bucket",
            "metrics",
            KOMMINARLABS_V2,
            json!({"id": bucket["id"], "org_id": sim::V2_ORG_ID, "type": "user", "description": "",
                   "name": "metrics", "created_at": bucket["createdAt"],
                   "updated_at": bucket["updatedAt"], "retention_period": 2_592_000}),
        ),
        (
            "influxdb_authorization",
            "dashboards",
            KOMMINARLABS_V2,
            json!({"id": auth["id"], "token": auth["token"], "status": "active",
                   "description": "dashboards", "org_id": sim::V2_ORG_ID, "org": auth["org"],
                   "user_id": auth["userID"], "user": auth["user"],
                   "created_at": auth["createdAt"], "updated_at": auth["updatedAt"],
                   "permissions": [{"action": "read", "resource": {"id": bucket["id"], "name": "metrics",
                       "org": sim::V2_ORG, "org_id": sim::V2_ORG_ID, "type": "buckets"}}]}),
        ),
    ];
    if !modern {
        resources.retain(|(ty, ..)| *ty != "influxdb_authorization" && *ty != "influxdb_user");
    }
    let state = state_file(&resources);
    let ws = workspace_for(tf, &sim, &[KOMMINARLABS_V2]);
    ws.write("terraform.tfstate", &state);
    let mut config = format!(
        r#"
resource "influxdb_organization" "team" {{
  name        = "team"
  description = "the team"
}}

resource "influxdb_bucket" "metrics" {{
  org_id           = "{org}"
  name             = "metrics"
  retention_period = "30d" # was 2592000 (seconds)
}}
"#,
        org = sim::V2_ORG_ID
    );
    if modern {
        config.push_str(&format!(
            r#"
resource "influxdb_user" "alice" {{
  name = "alice" # password removed: password_wo sets it, when you want to change it
}}

resource "influxdb_authorization" "dashboards" {{
  org_id      = "{org}"
  description = "dashboards"
  permissions = [{{ action = "read", resource = {{ type = "buckets", id = influxdb_bucket.metrics.id }} }}]
}}
"#,
            org = sim::V2_ORG_ID
        ));
    }
    ws.write("main.tf", &ours(&config));
    ws.run(&["init"]).assert_success();
    sim.clear_requests();
    ws.run(&[
        "state",
        "replace-provider",
        "-auto-approve",
        KOMMINARLABS_V2,
        PROVIDER_SOURCE,
    ])
    .assert_success();
    let plan = ws.plan_no_changes(&[]);
    assert!(plan.stdout.contains("No changes"), "{}", plan.stdout);
    ws.apply(&[]);
    assert_eq!(
        writes(&sim),
        Vec::<(String, String)>::new(),
        "no write call"
    );
    if modern {
        let moved = ws.state_attributes("influxdb_authorization.dashboards");
        assert_eq!(moved["token"], auth["token"]);
        assert_eq!(moved["id"], auth["id"]);
        let user = ws.state_attributes("influxdb_user.alice");
        assert_eq!(user["id"], json!(user_id));
        // `password` is an attribute of the 1.x user only (the type is shared): null here.
        assert!(
            user.get("password").is_none_or(|p| p.is_null()),
            "their password is not kept: {user}"
        );
    }
    assert_eq!(
        ws.state_attributes("influxdb_organization.team")["id"],
        org["id"]
    );
    assert_eq!(
        ws.state_attributes("influxdb_bucket.metrics")["retention_period"],
        "30d"
    );
    ws.plan_no_changes(&[]);
    assert_eq!(
        writes(&sim),
        Vec::<(String, String)>::new(),
        "no write call"
    );
}

// ---------------------------------------------------------------------------------------------
// slcp/influxdb-v2 (InfluxDB OSS v2): moved blocks

#[test]
fn from_slcp_influxdb_v2_with_moved_blocks() {
    let sim = SimProcess::oss_v2();
    let bucket = v2_create(
        &sim,
        "/buckets",
        json!({"orgID": sim::V2_ORG_ID, "name": "telegraf",
               "retentionRules": [{"type": "expire", "everySeconds": 604_800}]}),
    );
    let auth = v2_create(
        &sim,
        "/authorizations",
        json!({"orgID": sim::V2_ORG_ID, "description": "telegraf writes",
               "permissions": [{"action": "write", "resource": {"type": "buckets", "id": bucket["id"], "orgID": sim::V2_ORG_ID}}]}),
    );
    // What slcp/influxdb-v2 0.5.3 (terraform-plugin-sdk v2) writes.
    let state = state_file(&[
        (
            "influxdb-v2_bucket",
            "telegraf",
            SLCP_V2,
            json!({"id": bucket["id"], "description": "", "name": "telegraf",
                   "org_id": sim::V2_ORG_ID, "rp": "", "type": "user",
                   "created_at": bucket["createdAt"], "updated_at": bucket["updatedAt"],
                   "retention_rules": [{"every_seconds": 604_800, "shard_group_duration_seconds": 0, "type": "expire"}]}),
        ),
        (
            "influxdb-v2_authorization",
            "telegraf",
            SLCP_V2,
            json!({"id": auth["id"], "org_id": sim::V2_ORG_ID, "description": "telegraf writes",
                   "status": "active", "user_id": auth["userID"], "user_org_id": sim::V2_ORG_ID,
                   "token": auth["token"],
                   "permissions": [{"action": "write", "resource": [{"id": bucket["id"], "org": "",
                       "org_id": sim::V2_ORG_ID, "type": "buckets"}]}]}),
        ),
    ]);
    let ws = workspace(&sim, &[SLCP_V2]);
    ws.write("terraform.tfstate", &state);
    ws.write(
        "main.tf",
        &ours(&format!(
            r#"
resource "influxdb_bucket" "telegraf" {{
  org_id           = "{org}"
  name             = "telegraf"
  retention_period = "7d" # was retention_rules {{ every_seconds = 604800 }}
}}

resource "influxdb_authorization" "telegraf" {{
  org_id      = "{org}"
  description = "telegraf writes"
  permissions = [{{
    action   = "write"
    resource = {{ type = "buckets", id = influxdb_bucket.telegraf.id, org_id = "{org}" }}
  }}]
}}

moved {{
  from = influxdb-v2_bucket.telegraf
  to   = influxdb_bucket.telegraf
}}

moved {{
  from = influxdb-v2_authorization.telegraf
  to   = influxdb_authorization.telegraf
}}
"#,
            org = sim::V2_ORG_ID
        )),
    );
    plan_moves_and_apply_writes_nothing(
        &ws,
        &sim,
        &[
            ("influxdb-v2_bucket.telegraf", "influxdb_bucket.telegraf"),
            (
                "influxdb-v2_authorization.telegraf",
                "influxdb_authorization.telegraf",
            ),
        ],
    );
    let moved = ws.state_attributes("influxdb_authorization.telegraf");
    assert_eq!(moved["token"], auth["token"]);
    assert_eq!(moved["id"], auth["id"]);
    // What slcp/influxdb-v2 lacks was read from the server at the refresh.
    assert_eq!(moved["org"], sim::V2_ORG);
    assert_eq!(moved["created_at"], auth["createdAt"]);
    assert_eq!(moved["user"], auth["user"]);
    assert_eq!(
        ws.state_attributes("influxdb_bucket.telegraf")["retention_period"],
        "7d"
    );
}

// ---------------------------------------------------------------------------------------------
// A move no migration reads

/// A source state of a schema version we were not written for, and a source type we have no
/// migration for: the plan fails naming the source, and the state file is left as it was.
#[test]
fn a_move_that_cannot_be_read_fails_and_leaves_the_state_as_it_was() {
    let sim = SimProcess::dedicated();
    let (_, token) = influxdb3_objects(&sim);
    for (source_type, version, says) in [
        (
            "influxdb3_token",
            7,
            "schema version 7 is not one this provider reads",
        ),
        ("influxdb3_table", 0, "no migration for that type"),
    ] {
        let ws = workspace(&sim, &[INFLUXDB3]);
        let mut state: J = serde_json::from_str(&state_file(&[(
            source_type,
            "ingest",
            INFLUXDB3,
            token.clone(),
        )]))
        .unwrap();
        state["resources"][0]["instances"][0]["schema_version"] = json!(version);
        let state = serde_json::to_string_pretty(&state).unwrap();
        ws.write("terraform.tfstate", &state);
        ws.write(
            "main.tf",
            &ours(&format!(
                r#"
resource "influxdb_database_token" "ingest" {{
  description = "Telegraf ingest"
  permissions = [{{ action = "write", resource = "sensors" }}]
}}

moved {{
  from = {source_type}.ingest
  to   = influxdb_database_token.ingest
}}
"#
            )),
        );
        ws.run(&["init"]).assert_success();
        sim.clear_requests();
        let out = ws.run(&["apply", "-auto-approve"]);
        out.assert_failure();
        let said = flat(&out.combined());
        for part in [
            source_type,
            &format!("schema version {version}"),
            INFLUXDB3,
            says,
            "The state was left as it was",
            "docs/guides/migrating.md",
        ] {
            assert!(said.contains(part), "{part:?} is not in:\n{said}");
        }
        assert_eq!(
            ws.read("terraform.tfstate"),
            state,
            "the state is unchanged"
        );
        assert_eq!(
            writes(&sim),
            Vec::<(String, String)>::new(),
            "no write call"
        );
    }
}
