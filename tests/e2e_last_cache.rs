//! `influxdb_last_cache` end to end on the Core simulator and on the REAL InfluxDB 3 Core
//! server (`support/core_target.rs`), under Terraform 1.15.5: created with the server's default name
//! read back, an empty second plan, any change replaces, a cache deleted outside Terraform is
//! created again, a taken name is refused naming `name`, import by `DATABASE:TABLE:NAME`, and
//! destroy removes it; the caches' settings are checked at plan.

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

on_sim_and_real_core_latest!(last_cache_lifecycle);

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

const LAST: &str = "
resource \"influxdb_last_cache\" \"default\" {
  database = influxdb_database.sensors.name
  table    = influxdb_table.cpu.name
}

resource \"influxdb_last_cache\" \"usage\" {
  database      = influxdb_database.sensors.name
  table         = influxdb_table.cpu.name
  name          = \"usage_by_host\"
  key_columns   = [\"host\"]
  value_columns = [\"usage\"]
  value_count   = 3
  ttl           = \"240m\"
}
";

fn last_cache_lifecycle(server: Target, tf: Tf) {
    let ws = Workspace::with_env(tf, server.provider_env());
    ws.write("main.tf", &config(LAST));
    let out = ws.apply(&[]);
    assert!(out.stdout.contains("4 added"), "{}", out.stdout);
    let caches = rows(&server, "last_caches");
    // The server's default name, read back into the state.
    let default = named(&caches, "cpu_host_region_last_cache").expect("default-named cache");
    assert_eq!(
        default["key_column_names"],
        serde_json::json!(["host", "region"])
    );
    assert_eq!(default["count"], 1);
    assert_eq!(default["ttl"], 14400);
    let attrs = ws.state_attributes("influxdb_last_cache.default");
    assert_eq!(attrs["name"], "cpu_host_region_last_cache");
    assert_eq!(attrs["key_columns"], serde_json::json!(["host", "region"]));
    assert_eq!(attrs["value_columns"], serde_json::Value::Null);
    assert_eq!(attrs["ttl"], "4h");
    let usage = named(&caches, "usage_by_host").expect("named cache");
    assert_eq!(usage["value_column_names"], serde_json::json!(["usage"]));
    assert_eq!(
        (usage["count"].as_u64(), usage["ttl"].as_u64()),
        (Some(3), Some(14400))
    );
    // "240m" is what the server calls 14400 seconds: no diff.
    ws.plan_no_changes(&[]);

    // The API cannot change a cache: a change replaces it.
    ws.write("main.tf", &config(&LAST.replace("\"240m\"", "\"1h\"")));
    let out = ws.apply(&[]);
    assert!(out.stdout.contains("forces replacement"), "{}", out.stdout);
    assert!(
        out.stdout.contains("1 added, 0 changed, 1 destroyed"),
        "{}",
        out.stdout
    );
    assert_eq!(
        named(&rows(&server, "last_caches"), "usage_by_host").unwrap()["ttl"],
        3600
    );
    ws.plan_no_changes(&[]);

    // Deleted outside Terraform: the plan creates it again, with a warning.
    let r = server.v3(
        "DELETE",
        "/api/v3/configure/last_cache?db=sensors&table=cpu&name=usage_by_host",
        None,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let out = ws.run(&["plan"]);
    out.assert_success();
    assert!(
        flat(&out.stdout).contains("Last-value cache deleted outside Terraform"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("1 to add, 0 to change, 0 to destroy"),
        "{}",
        out.stdout
    );
    ws.apply(&[]);
    assert!(named(&rows(&server, "last_caches"), "usage_by_host").is_some());

    // Import by DATABASE:TABLE:NAME, then no diff.
    ws.run(&["state", "rm", "influxdb_last_cache.default"])
        .assert_success();
    ws.run(&[
        "import",
        "influxdb_last_cache.default",
        "sensors:cpu:cpu_host_region_last_cache",
    ])
    .assert_success();
    ws.plan_no_changes(&[]);

    // A taken name is refused even with the same settings, naming `name`.
    let dup = format!("{LAST}\nresource \"influxdb_last_cache\" \"again\" {{\n  database = influxdb_database.sensors.name\n  table    = influxdb_table.cpu.name\n}}\n").replace("\"240m\"", "\"1h\"");
    ws.write("main.tf", &config(&dup));
    let out = ws.run(&["apply", "-auto-approve"]);
    out.assert_failure();
    let text = flat(&out.stderr);
    assert!(
        text.contains("Last-value cache already exists") && text.contains("409"),
        "{text}"
    );
    assert!(
        text.contains("influxdb_last_cache.again") && text.contains("Set `name`"),
        "{text}"
    );
    ws.write("main.tf", &config(&LAST.replace("\"240m\"", "\"1h\"")));

    ws.apply(&["-destroy"]);
    let r = server.v3(
        "GET",
        &core_server::query_sql_path("sensors", "SELECT * FROM system.last_caches"),
        None,
    );
    assert_eq!(
        r.status, 404,
        "the database is gone with its caches: {}",
        r.body
    );
}

#[test]
fn cache_settings_are_checked_at_plan() {
    // No server is contacted: validation fails first.
    let ws = Workspace::with_env(
        Tf::V1_15_5,
        [
            ("INFLUXDB3_HOST_URL", "http://127.0.0.1:9"),
            ("INFLUXDB3_AUTH_TOKEN", "apiv3_x"),
        ],
    );
    ws.write(
        "main.tf",
        &config(
            "
resource \"influxdb_last_cache\" \"bad\" {
  database    = \"sensors\"
  table       = \"cpu\"
  ttl         = \"1500ms\"
  value_count = 0
}

resource \"influxdb_distinct_cache\" \"bad\" {
  database = \"sensors\"
  table    = \"cpu\"
  columns  = []
}
",
        ),
    );
    let out = ws.run(&["validate"]);
    out.assert_failure();
    let text = flat(&out.stderr);
    assert!(
        text.contains("Invalid ttl") && text.contains("whole number of seconds"),
        "{text}"
    );
    assert!(text.contains("Invalid value_count"), "{text}");
    assert!(text.contains("needs at least one column"), "{text}");
}
