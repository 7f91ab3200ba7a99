//! Resource identity and `import` blocks end to end, under the real Terraform 1.15.5 (identity
//! needs Terraform 1.12 or later; `import` blocks 1.5), in human output mode, against the
//! simulator.

#[path = "support/sim.rs"]
mod sim;
#[path = "support/terraform.rs"]
mod terraform;

use serde_json::{json, Value as J};
use sim::SimProcess;
use terraform::{provider_block, Tf, Workspace};

fn setup() -> (SimProcess, Workspace) {
    let sim = SimProcess::dedicated();
    let mut ws = Workspace::new(Tf::V1_15_5);
    ws.set_envs(sim.provider_env());
    (sim, ws)
}

fn make_by_hand(sim: &SimProcess) -> String {
    let a = sim.api(
        "POST",
        "/databases",
        Some(&json!({ "name": "mydb", "retentionPeriod": 3_600_000_000_000u64 }).to_string()),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    let a = sim.api(
        "POST",
        "/tokens",
        Some(
            &json!({
                "description": "reader",
                "permissions": [{ "action": "read", "resource": "mydb" }]
            })
            .to_string(),
        ),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    a.json()["id"].as_str().unwrap().to_owned()
}

/// The identity of each resource instance in the state, by resource name.
fn identities(ws: &Workspace) -> Vec<(String, J)> {
    let state: J = serde_json::from_str(&ws.read("terraform.tfstate")).unwrap();
    state["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_owned(),
                r["instances"][0]["identity"].clone(),
            )
        })
        .collect()
}

#[test]
fn import_by_identity_works_for_a_token_and_a_database() {
    let (sim, ws) = setup();
    let id = make_by_hand(&sim);
    ws.write(
        "main.tf",
        &format!(
            r#"{}
import {{
  to       = influxdb_database.d
  identity = {{ name = "mydb" }}
}}

import {{
  to       = influxdb_database_token.t
  identity = {{ id = "{id}" }}
}}

resource "influxdb_database" "d" {{
  name             = "mydb"
  retention_period = "1h"
}}

resource "influxdb_database_token" "t" {{
  description = "reader"
  permissions = [{{ action = "read", resource = influxdb_database.d.name }}]
}}
"#,
            provider_block("")
        ),
    );
    let plan = ws.run(&["plan"]);
    plan.assert_success();
    assert!(
        plan.stdout
            .contains("Plan: 2 to import, 0 to add, 0 to change, 0 to destroy."),
        "{}",
        plan.stdout
    );
    let apply = ws.run(&["apply", "-auto-approve"]);
    apply.assert_success();
    assert!(
        apply.stdout.contains("name=mydb") && apply.stdout.contains(&format!("id={id}")),
        "the import shows the identity:\n{}",
        apply.stdout
    );
    ws.run(&["plan", "-detailed-exitcode"]).assert_code(0);

    let ids = identities(&ws);
    let d = &ids.iter().find(|(n, _)| n == "d").unwrap().1;
    assert_eq!(
        d,
        &json!({ "name": "mydb", "account_id": sim::ACCOUNT_ID, "cluster_id": sim::CLUSTER_ID })
    );
    let t = &ids.iter().find(|(n, _)| n == "t").unwrap().1;
    assert_eq!(t["id"], id.as_str());
}

/// `import` blocks with `-generate-config-out`: the generated configuration is valid and the
/// plan that follows shows only the imports.
#[test]
fn generated_config_from_import_blocks_plans_only_the_imports() {
    let (sim, ws) = setup();
    let id = make_by_hand(&sim);
    ws.write(
        "main.tf",
        &format!(
            "{}\nimport {{\n  to = influxdb_database.d\n  id = \"mydb\"\n}}\n\nimport {{\n  to       = influxdb_database_token.t\n  identity = {{ id = \"{id}\" }}\n}}\n",
            provider_block("")
        ),
    );
    let out = ws.run(&["plan", "-generate-config-out=generated.tf"]);
    out.assert_success();
    let generated = ws.read("generated.tf");
    assert!(
        generated.contains("resource \"influxdb_database\" \"d\""),
        "{generated}"
    );
    assert!(
        generated.contains("resource \"influxdb_database_token\" \"t\""),
        "{generated}"
    );
    assert!(!generated.contains("access_token"), "{generated}");

    ws.run(&["validate"]).assert_success();
    let plan = ws.run(&["plan"]);
    plan.assert_success();
    assert!(
        plan.stdout
            .contains("Plan: 2 to import, 0 to add, 0 to change, 0 to destroy."),
        "only the imports:\n{}",
        plan.stdout
    );
    ws.run(&["apply", "-auto-approve"]).assert_success();
    ws.run(&["plan", "-detailed-exitcode"]).assert_code(0);
}

/// Created resources carry their identity in state, and import by identity refuses an identity
/// naming another account, naming the attribute.
#[test]
fn created_resources_have_an_identity_and_a_foreign_identity_is_refused() {
    let (sim, ws) = setup();
    ws.write(
        "main.tf",
        &format!(
            "{}\nresource \"influxdb_database\" \"d\" {{\n  name = \"created\"\n}}\n",
            provider_block("")
        ),
    );
    ws.run(&["apply", "-auto-approve"]).assert_success();
    let ids = identities(&ws);
    assert_eq!(ids[0].1["name"], "created");
    assert_eq!(ids[0].1["account_id"], sim::ACCOUNT_ID);
    ws.run(&["plan", "-detailed-exitcode"]).assert_code(0);

    make_by_hand(&sim);
    ws.write(
        "import.tf",
        "import {\n  to       = influxdb_database.other\n  identity = {\n    name       = \"mydb\"\n    account_id = \"99999999-9999-4999-8999-999999999999\"\n  }\n}\n\nresource \"influxdb_database\" \"other\" {\n  name = \"mydb\"\n}\n",
    );
    let out = ws.run(&["plan"]);
    out.assert_failure();
    let text = out.combined();
    assert!(text.contains("Import identity does not match"), "{text}");
    assert!(text.contains("account_id"), "{text}");

    // A missing required identity attribute is refused by Terraform from our schema.
    ws.write(
        "import.tf",
        "import {\n  to       = influxdb_database.other\n  identity = { account_id = \"99999999-9999-4999-8999-999999999999\" }\n}\n\nresource \"influxdb_database\" \"other\" {\n  name = \"mydb\"\n}\n",
    );
    let out = ws.run(&["plan"]);
    out.assert_failure();
    assert!(
        out.combined().contains("attribute \"name\" is required"),
        "{}",
        out.combined()
    );
}
