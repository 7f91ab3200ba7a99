//! `influxdb_table` on InfluxDB 3 Core and Enterprise, end to end: the real Terraform, an empty
//! `provider "influxdb" {}` block with only `INFLUXDB3_HOST_URL` and `INFLUXDB3_AUTH_TOKEN`
//! set, against the Core simulator and the REAL InfluxDB 3 Core server
//! (`support/core_target.rs`; Enterprise: the simulator only). Columns added by writes are not
//! drift, a declared column missing on the server is, a change the API cannot make replaces the
//! table, and Enterprise's table retention fails at plan on Core naming Enterprise. The
//! Management family's scenarios of the same type live in `e2e_table.rs`.

#[path = "support/core_server.rs"]
mod core_server;
#[path = "support/core_target.rs"]
mod core_target;
#[path = "support/sim.rs"]
mod sim;
#[path = "support/terraform.rs"]
mod terraform;

use core_target::{on_sim_and_real_core, on_sim_and_real_core_latest, Target};
use terraform::{flat, provider_block, Tf, Workspace};

on_sim_and_real_core!(
    lifecycle_on_core,
    a_column_added_by_a_write_is_not_a_change,
    a_table_deleted_outside_is_created_again,
    table_retention_on_core_fails_at_plan_naming_enterprise,
    a_dedicated_only_argument_fails_at_plan_naming_it,
    import_by_database_and_name,
);
on_sim_and_real_core_latest!(a_declared_column_missing_on_the_server_is_drift);
terraform::every_terraform!(lifecycle_on_enterprise);

fn setup(target: Target, tf: Tf) -> (Target, Workspace) {
    let ws = Workspace::with_env(tf, target.provider_env());
    (target, ws)
}

const FIELDS: &str = "[\n    { name = \"usage\", type = \"float64\" },\n    { name = \"count\", type = \"int64\" },\n  ]";

/// A database `sensors` and a table `cpu` of it.
fn config(table_body: &str) -> String {
    format!(
        "{}\nresource \"influxdb_database\" \"sensors\" {{\n  name = \"sensors\"\n}}\n\nresource \"influxdb_table\" \"cpu\" {{\n  database = influxdb_database.sensors.name\n  name     = \"cpu\"\n{table_body}\n}}\n",
        provider_block("")
    )
}

/// The table `table` of the live database `db` as `system.influxdb_schema` shows it: its tags
/// (sorted by name, as the server lists them) and how many fields it has; `None` when there is
/// no such table.
fn table(target: &Target, db: &str, table: &str) -> Option<(Vec<String>, usize)> {
    let columns = target.columns(db, table);
    if columns.is_empty() {
        return None;
    }
    let mut tags: Vec<String> = columns
        .iter()
        .filter(|(_, kind)| kind == "tag")
        .map(|(k, _)| k.clone())
        .collect();
    tags.sort();
    let fields = columns
        .iter()
        .filter(|(_, kind)| kind != "tag" && kind != "time")
        .count();
    Some((tags, fields))
}

fn tags(names: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

/// Enterprise's own view of the table (its retention), from the simulator's state.
fn enterprise_table(target: &Target, db: &str, table: &str) -> serde_json::Value {
    target.sim().state()["databases"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .find(|d| d["name"] == db && d["deleted"] == false)
        .and_then(|d| d["tables"].get(table).cloned())
        .expect("the table")
}

fn lifecycle(sim: Target, tf: Tf, enterprise: bool) {
    let (sim, ws) = setup(sim, tf);
    let retention = if enterprise {
        "  retention_period = \"7d\"\n"
    } else {
        ""
    };
    ws.write(
        "main.tf",
        &config(&format!(
            "  tags     = [\"host\", \"region\"]\n  fields   = {FIELDS}\n{retention}"
        )),
    );
    let out = ws.apply(&[]);
    assert!(out.stdout.contains("2 added"), "{}", out.stdout);
    let t = table(&sim, "sensors", "cpu").expect("created");
    assert_eq!(t, (tags(&["host", "region"]), 2));
    if enterprise {
        assert_eq!(
            enterprise_table(&sim, "sensors", "cpu")["retention_period"],
            "7d"
        );
    }
    ws.plan_no_changes(&[]);

    if enterprise {
        // The table's retention is one PUT in place.
        ws.write(
            "main.tf",
            &config(&format!(
                "  tags     = [\"host\", \"region\"]\n  fields   = {FIELDS}\n  retention_period = \"14d\"\n"
            )),
        );
        sim.clear_requests();
        let out = ws.apply(&[]);
        assert!(
            out.stdout.contains("0 added, 1 changed, 0 destroyed"),
            "{}",
            out.stdout
        );
        assert_eq!(sim.count_requests("PUT", "/api/v3/configure/table"), 1);
        assert_eq!(
            enterprise_table(&sim, "sensors", "cpu")["retention_period"],
            "14d"
        );
        ws.plan_no_changes(&[]);
    }

    // Another column cannot be added through the API: the table is replaced, and says so.
    ws.write(
        "main.tf",
        &config(&format!(
            "  tags     = [\"host\", \"region\", \"rack\"]\n  fields   = {FIELDS}\n{retention}"
        )),
    );
    let out = ws.apply(&[]);
    assert!(out.stdout.contains("forces replacement"), "{}", out.stdout);
    assert!(
        out.stdout.contains("1 added, 0 changed, 1 destroyed"),
        "{}",
        out.stdout
    );
    assert_eq!(
        table(&sim, "sensors", "cpu").unwrap().0,
        tags(&["host", "region", "rack"])
    );
    ws.plan_no_changes(&[]);

    ws.apply(&["-destroy"]);
    assert!(table(&sim, "sensors", "cpu").is_none());
}

fn lifecycle_on_core(target: Target, tf: Tf) {
    lifecycle(target, tf, false);
}

fn lifecycle_on_enterprise(tf: Tf) {
    lifecycle(Target::sim_enterprise(), tf, true);
}

fn a_column_added_by_a_write_is_not_a_change(target: Target, tf: Tf) {
    let (sim, ws) = setup(target, tf);
    ws.write(
        "main.tf",
        &config(&format!("  tags     = [\"host\"]\n  fields   = {FIELDS}\n")),
    );
    ws.apply(&[]);
    sim.write(
        "sensors",
        "cpu,host=a,rack=r1 usage=1.5,count=2i,note=\"x\"",
    );
    let t = table(&sim, "sensors", "cpu").unwrap();
    assert_eq!(t.0, tags(&["host", "rack"]), "the write added a tag");
    assert_eq!(t.1, 3, "and a field");
    ws.plan_no_changes(&[]);
}

fn a_table_deleted_outside_is_created_again(target: Target, tf: Tf) {
    let (sim, ws) = setup(target, tf);
    ws.write(
        "main.tf",
        &config(&format!("  tags     = [\"host\"]\n  fields   = {FIELDS}\n")),
    );
    ws.apply(&[]);
    assert_eq!(
        sim.v3(
            "DELETE",
            "/api/v3/configure/table?db=sensors&table=cpu",
            None
        )
        .status,
        200
    );
    let out = ws.run(&["plan", "-detailed-exitcode"]);
    out.assert_code(2);
    assert!(
        out.combined().contains("Table deleted outside Terraform"),
        "{}",
        out.combined()
    );
    ws.apply(&[]);
    assert!(table(&sim, "sensors", "cpu").is_some());
    ws.plan_no_changes(&[]);
}

fn table_retention_on_core_fails_at_plan_naming_enterprise(target: Target, tf: Tf) {
    let (sim, ws) = setup(target, tf);
    ws.write("main.tf", &config("  retention_period = \"7d\"\n"));
    let out = ws.run(&["plan"]);
    out.assert_failure();
    let text = flat(&out.combined());
    assert!(text.contains("needs InfluxDB 3 Enterprise"), "{text}");
    assert!(text.contains("retention_period"), "{text}");
    assert!(sim.only_reads(), "nothing written: {:?}", sim.calls());
}

fn a_dedicated_only_argument_fails_at_plan_naming_it(target: Target, tf: Tf) {
    let (sim, ws) = setup(target, tf);
    ws.write(
        "main.tf",
        &config("  partition_template = [{ type = \"time\", value = \"%Y-%m-%d\" }]\n"),
    );
    let out = ws.run(&["plan"]);
    out.assert_failure();
    let text = flat(&out.combined());
    assert!(
        text.contains("partition_template is not an argument on this InfluxDB"),
        "{text}"
    );
    assert!(sim.only_reads(), "nothing written: {:?}", sim.calls());
}

fn import_by_database_and_name(target: Target, tf: Tf) {
    let (sim, ws) = setup(target, tf);
    let a = sim.v3(
        "POST",
        "/api/v3/configure/database",
        Some(r#"{"db":"sensors"}"#),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    sim.write("sensors", "cpu,host=a usage=1.5");
    ws.write(
        "main.tf",
        &config(
            "  tags     = [\"host\"]\n  fields   = [{ name = \"usage\", type = \"float64\" }]\n",
        ),
    );
    ws.run(&["import", "influxdb_database.sensors", "sensors"])
        .assert_success();
    ws.run(&["import", "influxdb_table.cpu", "sensors:cpu"])
        .assert_success();
    let state = ws.state_attributes("influxdb_table.cpu");
    assert_eq!(state["tags"], serde_json::json!(["host"]));
    ws.plan_no_changes(&[]);
    ws.write(
        "x.tf",
        "resource \"influxdb_table\" \"x\" {\n  database = \"sensors\"\n  name     = \"x\"\n}\n",
    );
    let out = ws.run(&["import", "influxdb_table.x", "sensors"]);
    out.assert_failure();
    assert!(
        flat(&out.combined()).contains("DATABASE:TABLE"),
        "{}",
        out.combined()
    );
}

/// The table replaced outside Terraform by one without a declared tag, and with a declared
/// field of another type: the plan shows the drift and replaces the table.
fn a_declared_column_missing_on_the_server_is_drift(target: Target, tf: Tf) {
    let (sim, ws) = setup(target, tf);
    ws.write(
        "main.tf",
        &config(&format!("  tags     = [\"host\"]\n  fields   = {FIELDS}\n")),
    );
    ws.apply(&[]);
    assert_eq!(
        sim.v3(
            "DELETE",
            "/api/v3/configure/table?db=sensors&table=cpu",
            None
        )
        .status,
        200
    );
    let body = r#"{"db":"sensors","table":"cpu","tags":["region"],"fields":[{"name":"usage","type":"utf8"},{"name":"count","type":"int64"}]}"#;
    assert_eq!(
        sim.v3("POST", "/api/v3/configure/table", Some(body)).status,
        200
    );
    let out = ws.run(&["plan", "-detailed-exitcode"]);
    out.assert_code(2);
    assert!(out.stdout.contains("forces replacement"), "{}", out.stdout);
    assert!(
        out.stdout.contains("\"host\""),
        "the missing tag is shown: {}",
        out.stdout
    );
    ws.apply(&[]);
    let t = table(&sim, "sensors", "cpu").unwrap();
    assert_eq!(t.0, tags(&["host"]));
    ws.plan_no_changes(&[]);
}
