//! Switching from another InfluxDB provider to this one without an API write and without
//! changing a token string (docs/guides/migrating.md), under Terraform 1.15.5 (a `moved` block
//! across providers needs Terraform 1.8).
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

/// A workspace whose CLI configuration is only a filesystem mirror (unpacked layout) holding
/// this provider and the stand-ins for `sources`, pointed at `sim`.
fn workspace(sim: &SimProcess, sources: &[&str]) -> Workspace {
    let mirror = tempfile::Builder::new()
        .prefix("tf-mirror-")
        .tempdir()
        .expect("temp dir")
        .keep();
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
    let mut ws = Workspace::with_cli_config(Tf::V1_15_5, &config);
    ws.set_envs(sim.provider_env());
    ws
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
    for word in ["must be replaced", "will be created", "will be destroyed", "will be updated"] {
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
    assert_eq!(
        ws.state_attributes("influxdb_database.sensors")["retention_period"],
        "30d"
    );
}
