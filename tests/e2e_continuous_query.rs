//! `influxdb_continuous_query` on InfluxDB 1.x end to end, against a real `influxd`, under
//! Terraform 1.0.3 and 1.15.5: the server's rewrite of the query is no change (the plan after
//! apply is empty), a query dropped and made again with another body outside Terraform shows as
//! a replacement and is put back, a changed `resample` replaces, import by `DATABASE:NAME`,
//! and destroy drops it.

#[path = "support/influxd.rs"]
mod influxd;
#[path = "support/terraform.rs"]
mod terraform;

use influxd::Influxd;
use terraform::{hcl_escape, provider_block, Tf, Workspace};

const QUERY: &str =
    r#"SELECT mean("value") INTO "long"."mean_value" FROM "short"."value" GROUP BY time(60m)"#;
const OTHER: &str =
    r#"SELECT max("value") INTO "long"."mean_value" FROM "short"."value" GROUP BY time(1h)"#;

fn config(resample: Option<&str>) -> String {
    let resample = resample
        .map(|r| format!("  resample = \"{r}\"\n"))
        .unwrap_or_default();
    format!(
        "{}\nresource \"influxdb_continuous_query\" \"mean\" {{\n  name     = \"cq_mean\"\n  database = \"metrics\"\n  query    = \"{}\"\n{resample}}}\n",
        provider_block(""),
        hcl_escape(QUERY)
    )
}

/// The stored text of `name` in `metrics`, if any.
fn stored(server: &Influxd, name: &str) -> Option<String> {
    server
        .rows("SHOW CONTINUOUS QUERIES")
        .iter()
        .find(|r| r["_series"] == "metrics" && r["name"] == name)
        .and_then(|r| r["query"].as_str().map(str::to_owned))
}

fn lifecycle(tf: Tf) {
    let server = Influxd::start();
    let ws = Workspace::with_env(tf, server.provider_env());
    server.influxql(
        "CREATE DATABASE metrics; CREATE RETENTION POLICY short ON metrics DURATION 1d REPLICATION 1; CREATE RETENTION POLICY long ON metrics DURATION 30d REPLICATION 1",
    );
    ws.write("main.tf", &config(None));
    ws.apply(&[]);
    let text = stored(&server, "cq_mean").expect("the query exists");
    assert!(
        text.contains(
            "mean(value) INTO metrics.long.mean_value FROM metrics.short.value GROUP BY time(1h)"
        ),
        "the server rewrites the text: {text}"
    );
    assert_eq!(
        ws.state_attributes("influxdb_continuous_query.mean")["id"],
        "metrics:cq_mean"
    );
    ws.plan_no_changes(&[]);

    // Dropped and made again with another body outside Terraform: shown, and put back.
    server.influxql(&format!(
        "DROP CONTINUOUS QUERY cq_mean ON metrics; CREATE CONTINUOUS QUERY cq_mean ON metrics BEGIN {OTHER} END"
    ));
    let plan = ws.run(&["plan", "-detailed-exitcode"]);
    plan.assert_code(2);
    assert!(
        plan.stdout.contains("must be replaced") && plan.stdout.contains("max("),
        "{}",
        plan.stdout
    );
    ws.apply(&[]);
    assert!(stored(&server, "cq_mean").unwrap().contains("mean(value)"));
    ws.plan_no_changes(&[]);

    // A resample clause: a replacement, then no change for the server's rewrite of it.
    ws.write("main.tf", &config(Some("EVERY 30m FOR 120m")));
    let plan = ws.run(&["plan"]);
    assert!(
        plan.stdout.contains("1 to add, 0 to change, 1 to destroy"),
        "{}",
        plan.stdout
    );
    ws.apply(&[]);
    assert!(stored(&server, "cq_mean")
        .unwrap()
        .contains("RESAMPLE EVERY 30m FOR 2h"));
    ws.plan_no_changes(&[]);

    // Import by DATABASE:NAME: the server's text in the state, no change against ours.
    ws.run(&["state", "rm", "influxdb_continuous_query.mean"])
        .assert_success();
    ws.run(&[
        "import",
        "influxdb_continuous_query.mean",
        "metrics:cq_mean",
    ])
    .assert_success();
    let imported = ws.state_attributes("influxdb_continuous_query.mean");
    assert_eq!(imported["database"], "metrics");
    assert_eq!(imported["resample"], "EVERY 30m FOR 2h");
    ws.plan_no_changes(&[]);
    let bad = ws.run(&["import", "influxdb_continuous_query.other", "cq_mean"]);
    bad.assert_failure();

    ws.apply(&["-destroy"]);
    assert_eq!(stored(&server, "cq_mean"), None);
}

#[test]
fn a_continuous_query_under_terraform_1_0_3() {
    lifecycle(Tf::V1_0_3);
}

#[test]
fn a_continuous_query_under_terraform_1_15_5() {
    lifecycle(Tf::V1_15_5);
}

#[test]
fn a_query_on_a_missing_database_fails_naming_it_and_a_whole_statement_fails_at_plan() {
    let server = Influxd::start();
    let ws = Workspace::with_env(Tf::V1_15_5, server.provider_env());
    ws.write("main.tf", &config(None));
    let out = ws.run(&["apply", "-auto-approve"]);
    out.assert_failure();
    assert!(
        out.stderr.contains("database not found: metrics"),
        "{}",
        out.stderr
    );
    ws.write(
        "main.tf",
        &format!(
            "{}\nresource \"influxdb_continuous_query\" \"q\" {{\n  name     = \"q\"\n  database = \"metrics\"\n  query    = \"CREATE CONTINUOUS QUERY q ON metrics BEGIN SELECT 1 END\"\n}}\n",
            provider_block("")
        ),
    );
    let out = ws.run(&["plan"]);
    out.assert_failure();
    assert!(
        out.stderr.contains("SELECT statement alone"),
        "{}",
        out.stderr
    );
}
