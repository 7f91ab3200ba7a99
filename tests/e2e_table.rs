//! End-to-end tests of `influxdb_table` with the real Terraform (1.0.3 and 1.15.5) (human
//! output) against the simulator, on Cloud Dedicated and Clustered: create with a partition
//! template, rename in place, follow a rename of the database, refused import, destroy, and
//! bad input refused at plan time.

#[path = "support/sim.rs"]
mod sim;
#[path = "support/terraform.rs"]
mod terraform;

use serde_json::{json, Value};
use sim::SimProcess;
use terraform::{provider_block, Tf, Workspace};

terraform::every_terraform!(
    table_lifecycle_on_dedicated,
    table_lifecycle_on_clustered,
    bad_table_inputs_fail_at_plan_with_the_attribute_named_and_no_api_call,
);

fn workspace(sim: &SimProcess, tf: Tf) -> Workspace {
    let mut ws = Workspace::new(tf);
    ws.set_envs(sim.provider_env());
    ws
}

#[track_caller]
fn assert_no_changes(ws: &Workspace) {
    let out = ws.plan_no_changes(&[]);
    assert!(out.stdout.contains("No changes."), "{}", out.stdout);
}

/// The simulator's tables of a database, by name, without their IDs.
fn tables(sim: &SimProcess, db: &str) -> Vec<Value> {
    let db = sim
        .database(db)
        .unwrap_or_else(|| panic!("no database {db}"));
    db["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let mut t = t.clone();
            t.as_object_mut().unwrap().remove("id");
            t
        })
        .collect()
}

fn config(db: &str, table: &str) -> String {
    format!(
        r#"{}
resource "influxdb_database" "d" {{
  name = "{db}"
}}

resource "influxdb_table" "cpu" {{
  database = influxdb_database.d.name
  name     = "{table}"
  partition_template = [
    {{ type = "tag", value = "host" }},
    {{ type = "bucket", value = "region,16" }},
    {{ type = "time", value = "%Y-%m-%d" }},
  ]
}}

resource "influxdb_table" "plain" {{
  database = influxdb_database.d.name
  name     = "mem"
}}

output "cpu" {{
  value = influxdb_table.cpu
}}
"#,
        provider_block("")
    )
}

fn table_lifecycle(sim: SimProcess, tf: Tf) {
    let ws = workspace(&sim, tf);
    ws.write("main.tf", &config("db", "cpu"));
    let out = ws.apply(&[]);
    assert!(out.stdout.contains("3 added"), "{}", out.stdout);
    let template = json!([{"type": "tag", "value": "host"},
                          {"type": "bucket", "value": {"tagName": "region", "numberOfBuckets": 16}},
                          {"type": "time", "value": "%Y-%m-%d"}]);
    assert_eq!(
        tables(&sim, "db"),
        vec![
            json!({"name": "cpu", "partitionTemplate": template}),
            json!({"name": "mem"}),
        ],
        "the table without a template inherits the database's"
    );
    let out = ws.terraform(&["output", "-json", "cpu"]);
    out.assert_success();
    let cpu: Value = serde_json::from_str(&out.stdout).unwrap();
    let (acc, clu) = if sim.clustered {
        (Value::Null, Value::Null)
    } else {
        (json!(sim::ACCOUNT_ID), json!(sim::CLUSTER_ID))
    };
    assert_eq!(cpu["account_id"], acc);
    assert_eq!(cpu["cluster_id"], clu);
    assert_eq!(cpu["partition_template"][1]["value"], "region,16");
    // The API cannot read a table: the refresh keeps the state as applied, no drift.
    assert_no_changes(&ws);

    // A new name renames the table in place: one rename call, nothing deleted.
    ws.write("main.tf", &config("db", "cpu_load"));
    let plan = ws.run(&["plan"]);
    plan.assert_success();
    assert!(
        plan.stdout
            .contains("influxdb_table.cpu will be updated in-place"),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout
            .contains(r#"~ name               = "cpu" -> "cpu_load""#),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout.contains("0 to add, 1 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    sim.clear_requests();
    ws.apply(&[]);
    assert_eq!(
        sim.count_requests("PUT", "/databases/db/tables/cpu/rename"),
        1
    );
    assert_eq!(sim.count_requests("DELETE", ""), 0, "{:?}", sim.requests());
    assert_eq!(sim.count_requests("POST", ""), 0, "{:?}", sim.requests());
    assert_eq!(
        tables(&sim, "db"),
        vec![
            json!({"name": "cpu_load", "partitionTemplate": template}),
            json!({"name": "mem"}),
        ]
    );
    assert_no_changes(&ws);

    // Renaming the database moves its tables with it: the tables follow in place.
    let a = sim.request(
        "PUT",
        "/__sim/databases/db/data",
        Some(r#"{"marker": "rows"}"#),
        false,
    );
    assert_eq!(a.status, 204, "{}", a.body);
    ws.write("main.tf", &config("db2", "cpu_load"));
    let plan = ws.run(&["plan"]);
    plan.assert_success();
    assert!(
        plan.stdout.contains("0 to add, 3 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    assert!(!plan.stdout.contains("replace"), "{}", plan.stdout);
    sim.clear_requests();
    ws.apply(&[]);
    assert_eq!(sim.count_requests("PUT", "/databases/db/rename"), 1);
    assert_eq!(sim.count_requests("DELETE", ""), 0, "{:?}", sim.requests());
    assert_eq!(sim.count_requests("POST", ""), 0, "{:?}", sim.requests());
    assert_eq!(sim.database("db2").unwrap()["dataMarker"], "rows");
    assert_eq!(tables(&sim, "db2").len(), 2);
    assert_no_changes(&ws);

    // A table cannot be imported, and the error says why.
    let ws2 = workspace(&sim, tf);
    ws2.write("main.tf", &config("db2", "cpu_load"));
    let out = ws2.run(&["import", "influxdb_table.cpu", "db2/cpu_load"]);
    out.assert_failure();
    let text = out
        .combined()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("influxdb_table cannot be imported"), "{text}");
    assert!(
        text.contains("The Management API has no call that reads a table"),
        "{text}"
    );

    // Declaring a table that already exists fails at create time, and changes nothing.
    let ws3 = workspace(&sim, tf);
    ws3.write(
        "main.tf",
        &format!(
            "{}\nresource \"influxdb_table\" \"again\" {{\n  database = \"db2\"\n  name     = \"mem\"\n}}\n",
            provider_block("")
        ),
    );
    sim.clear_requests();
    let out = ws3.run(&["apply", "-auto-approve"]);
    out.assert_failure();
    let text = out
        .combined()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("Table already exists"), "{text}");
    assert!(text.contains("409"), "{text}");
    assert_eq!(sim.count_requests("DELETE", ""), 0, "{:?}", sim.requests());
    assert_eq!(tables(&sim, "db2").len(), 2);

    // Destroy deletes the tables, then the database.
    sim.clear_requests();
    let out = ws.run(&["destroy", "-auto-approve"]);
    out.assert_success();
    assert!(
        out.stdout.contains("Resources: 3 destroyed"),
        "{}",
        out.stdout
    );
    assert_eq!(
        sim.count_requests("DELETE", "/databases/db2/tables/cpu_load"),
        1
    );
    assert_eq!(sim.count_requests("DELETE", "/databases/db2/tables/mem"), 1);
    assert!(sim.database("db2").is_none());
}

fn table_lifecycle_on_dedicated(tf: Tf) {
    table_lifecycle(SimProcess::dedicated(), tf);
}

fn table_lifecycle_on_clustered(tf: Tf) {
    table_lifecycle(SimProcess::clustered(), tf);
}

fn bad_table_inputs_fail_at_plan_with_the_attribute_named_and_no_api_call(tf: Tf) {
    let sim = SimProcess::dedicated();
    let ws = workspace(&sim, tf);
    let cases: &[(&str, &str, &str)] = &[
        (r#"name = """#, "Invalid table name", "must not be empty"),
        (
            r#"name = "t"
  partition_template = [{ type = "tag", value = "a" }]"#,
            "Invalid partition_template",
            "exactly one time part",
        ),
        (
            r#"name = "t"
  partition_template = [{ type = "time", value = "%Y" }, { type = "bucket", value = "a,0" }]"#,
            "Invalid partition_template",
            "between 1 and 100000",
        ),
        (
            r#"name = "t"
  partition_template = [{ type = "time", value = "%Y" }, { type = "month", value = "x" }]"#,
            "Invalid partition_template",
            "\"month\"",
        ),
    ];
    for (lines, summary, why) in cases {
        ws.write(
            "main.tf",
            &format!(
                "{}\nresource \"influxdb_table\" \"t\" {{\n  database = \"db\"\n  {lines}\n}}\n",
                provider_block("")
            ),
        );
        let out = ws.run(&["plan"]);
        out.assert_failure();
        let text = out.combined();
        assert!(text.contains(summary), "{lines}:\n{text}");
        assert!(text.contains(why), "{lines}: expected {why:?}:\n{text}");
        // Terraform points at the attribute's line.
        let attr = if summary.contains("partition_template") {
            "partition_template = ["
        } else {
            "name = \"\""
        };
        assert!(text.contains(attr), "{text}");
    }
    assert!(
        sim.requests().is_empty(),
        "no API call: {:?}",
        sim.requests()
    );
}
