//! `influxdb_distinct_cache` end to end on the Core simulator and on the REAL InfluxDB 3 Core
//! server (`support/core_target.rs`), under Terraform 1.15.5: created with the server's default name
//! read back, an empty second plan, any change replaces, a cache deleted outside Terraform is
//! created again, import by `DATABASE:TABLE:NAME`, the server's 400 for a column it cannot hold.

#[path = "support/core_server.rs"]
mod core_server;
#[path = "support/core_target.rs"]
mod core_target;
#[path = "support/sim.rs"]
mod sim;
#[path = "support/terraform.rs"]
mod terraform;

use core_target::{on_sim_and_real_core_latest, Target};
use terraform::{flat, provider_block, Tf, Workspace};

on_sim_and_real_core_latest!(distinct_cache_lifecycle);

/// A database `sensors` with a table `cpu` (tags host, region; fields usage, state) and `caches`.
fn config(caches: &str) -> String {
    format!(
        "{}
resource \"influxdb_database\" \"sensors\" {{
  name = \"sensors\"
}}

resource \"influxdb_table\" \"cpu\" {{
  database = influxdb_database.sensors.name
  name     = \"cpu\"
  tags     = [\"host\", \"region\"]
  fields   = [{{ name = \"usage\", type = \"float64\" }}, {{ name = \"state\", type = \"utf8\" }}]
}}
{caches}",
        provider_block("")
    )
}

fn rows(server: &Target, table: &str) -> Vec<serde_json::Value> {
    server.sql("sensors", &format!("SELECT * FROM system.{table}"))
}

fn named<'a>(rows: &'a [serde_json::Value], name: &str) -> Option<&'a serde_json::Value> {
    rows.iter().find(|r| r["name"] == name)
}

const DISTINCT: &str = "
resource \"influxdb_distinct_cache\" \"hosts\" {
  database = influxdb_database.sensors.name
  table    = influxdb_table.cpu.name
  columns  = [\"region\", \"host\"]
  max_age  = \"24h\"
}
";

fn distinct_cache_lifecycle(server: Target, tf: Tf) {
    let ws = Workspace::with_env(tf, server.provider_env());
    ws.write("main.tf", &config(DISTINCT));
    ws.apply(&[]);
    let caches = rows(&server, "distinct_caches");
    let c = named(&caches, "cpu_region_host_distinct_cache").expect("default-named cache");
    assert_eq!(c["column_names"], serde_json::json!(["region", "host"]));
    assert_eq!(
        (c["max_cardinality"].as_u64(), c["max_age_seconds"].as_u64()),
        (Some(100_000), Some(86_400))
    );
    let attrs = ws.state_attributes("influxdb_distinct_cache.hosts");
    assert_eq!(
        (attrs["name"].as_str(), attrs["max_age"].as_str()),
        (Some("cpu_region_host_distinct_cache"), Some("24h"))
    );
    ws.plan_no_changes(&[]);

    // A change replaces the cache.
    ws.write(
        "main.tf",
        &config(&DISTINCT.replace("max_age", "max_cardinality = 50\n  max_age")),
    );
    let out = ws.apply(&[]);
    assert!(
        out.stdout.contains("1 added, 0 changed, 1 destroyed"),
        "{}",
        out.stdout
    );
    assert_eq!(
        named(
            &rows(&server, "distinct_caches"),
            "cpu_region_host_distinct_cache"
        )
        .unwrap()["max_cardinality"],
        50
    );
    ws.plan_no_changes(&[]);

    // Deleted outside: created again; then imported back into the state without a diff.
    let r = server.v3(
        "DELETE",
        "/api/v3/configure/distinct_cache?db=sensors&table=cpu&name=cpu_region_host_distinct_cache",
        None,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let out = ws.apply(&[]);
    assert!(
        out.stdout.contains("1 added, 0 changed, 0 destroyed"),
        "{}",
        out.stdout
    );
    ws.run(&["state", "rm", "influxdb_distinct_cache.hosts"])
        .assert_success();
    ws.run(&[
        "import",
        "influxdb_distinct_cache.hosts",
        "sensors:cpu:cpu_region_host_distinct_cache",
    ])
    .assert_success();
    ws.plan_no_changes(&[]);

    // A column the cache cannot hold is the server's 400, said plainly.
    ws.write(
        "main.tf",
        &config(&DISTINCT.replace("[\"region\", \"host\"]", "[\"usage\"]")),
    );
    let out = ws.run(&["apply", "-auto-approve"]);
    out.assert_failure();
    assert!(
        flat(&out.stderr).contains("only tag and string columns are supported"),
        "{}",
        out.stderr
    );
    ws.write("main.tf", &config(DISTINCT));
    ws.apply(&["-destroy"]);
}
