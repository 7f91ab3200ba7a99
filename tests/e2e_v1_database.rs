//! `influxdb_database` (and the `influxdb_database`/`influxdb_databases` data sources) on
//! InfluxDB 1.x, end to end: the real Terraform in its normal output mode, an empty
//! `provider "influxdb" {}` block with only `INFLUXDB_URL`, `INFLUXDB_USERNAME` and
//! `INFLUXDB_PASSWORD` set, against a real `influxd` (Debian's `influxdb` package) started for
//! each test.

#[path = "support/influxd.rs"]
mod influxd;
#[path = "support/terraform.rs"]
mod terraform;

use influxd::{quote_ident, Influxd};
use terraform::{flat, hcl_escape, provider_block, Tf, Workspace};

terraform::every_terraform!(
    lifecycle_with_policies_in_place,
    drift_is_shown_and_put_back,
    import_by_name,
    deletion_protection_refuses_destroy_and_rename,
    a_name_with_quotes_works_end_to_end,
    bad_names_and_durations_fail_at_plan,
);

fn setup(tf: Tf) -> (Influxd, Workspace) {
    let server = Influxd::start();
    let ws = Workspace::with_env(tf, server.provider_env());
    (server, ws)
}

fn config(body: &str) -> String {
    format!("{}\n{body}", provider_block(""))
}

fn policy(name: &str, duration: &str, extra: &str) -> String {
    format!(
        "  retention_policies {{\n    name     = \"{}\"\n    duration = \"{duration}\"\n{extra}  }}\n",
        hcl(name)
    )
}

/// A string for HCL: quotes, backslashes and templates escaped, line breaks as `\n`.
fn hcl(s: &str) -> String {
    hcl_escape(s).replace('\n', "\\n")
}

fn database(name: &str, body: &str) -> String {
    format!(
        "resource \"influxdb_database\" \"db\" {{\n  name = \"{}\"\n{body}}}\n",
        hcl(name)
    )
}

/// The server's policy `rp` of `db`, as column → value.
fn rp(server: &Influxd, db: &str, rp: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    server
        .retention_policies(db)
        .into_iter()
        .find(|r| r["name"] == rp)
}

/// The values of `field` of every point of `measurement` in `db.rp`.
fn values(server: &Influxd, db: &str, rp: &str, measurement: &str) -> Vec<serde_json::Value> {
    server
        .rows(&format!(
            "SELECT value FROM {}.{}.{}",
            quote_ident(db),
            quote_ident(rp),
            quote_ident(measurement)
        ))
        .into_iter()
        .map(|r| r["value"].clone())
        .collect()
}

fn lifecycle_with_policies_in_place(tf: Tf) {
    let (server, ws) = setup(tf);
    let readers = "data \"influxdb_database\" \"one\" {\n  name = influxdb_database.db.name\n}\n\ndata \"influxdb_databases\" \"all\" {\n  depends_on = [influxdb_database.db]\n}\n\noutput \"retention\" {\n  value = data.influxdb_database.one.retention_period\n}\n\noutput \"policies\" {\n  value = join(\",\", [for p in data.influxdb_database.one.retention_policies : p.name])\n}\n\noutput \"names\" {\n  value = join(\",\", [for d in data.influxdb_databases.all.databases : d.name])\n}\n";
    let two = |long: &str| {
        config(&format!(
            "{}\n{readers}",
            database(
                "metrics",
                &format!(
                    "{}{}",
                    policy("short", "1d", "    default  = true\n"),
                    policy("long", long, "    shardgroupduration = \"7d\"\n")
                )
            )
        ))
    };
    ws.write("main.tf", &two("180d"));
    let out = ws.apply(&[]);
    assert!(out.stdout.contains("1 added"), "{}", out.stdout);
    let short = rp(&server, "metrics", "short").expect("short");
    assert_eq!(short["duration"], "24h0m0s");
    assert_eq!(short["default"], true);
    let long = rp(&server, "metrics", "long").expect("long");
    assert_eq!(long["duration"], "4320h0m0s");
    assert_eq!(long["shardGroupDuration"], "168h0m0s");
    assert_eq!(long["replicaN"], 1);
    let state = ws.state_attributes("influxdb_database.db");
    assert_eq!(state["retention_policies"][0]["replication"], 1);
    assert_eq!(state["retention_policies"][0]["default"], true);
    // Unset: the server's choice, known after apply.
    assert_eq!(
        state["retention_policies"][0]["shardgroupduration"],
        "1h0m0s"
    );
    assert_eq!(state["retention_policies"][1]["duration"], "180d");
    assert_eq!(state["deletion_protection"], false);
    assert_eq!(ws.output_raw("retention"), "1d");
    assert_eq!(ws.output_raw("policies"), "autogen,short,long");
    assert_eq!(ws.output_raw("names"), "metrics", "not _internal");
    ws.plan_no_changes(&[]);

    // The same duration written as the server writes it is no change.
    ws.write("main.tf", &two("4320h0m0s"));
    ws.plan_no_changes(&[]);

    // A duration change alters the policy in place: its data stays.
    server.write("metrics", Some("long"), "cpu value=42");
    ws.write("main.tf", &two("365d"));
    let out = ws.apply(&[]);
    assert!(
        out.stdout.contains("0 added, 1 changed, 0 destroyed"),
        "{}",
        out.stdout
    );
    assert_eq!(
        rp(&server, "metrics", "long").unwrap()["duration"],
        "8760h0m0s"
    );
    assert_eq!(
        values(&server, "metrics", "long", "cpu"),
        vec![serde_json::json!(42)]
    );
    ws.plan_no_changes(&[]);

    // A policy removed from the configuration is dropped; autogen is never touched.
    ws.write(
        "main.tf",
        &config(&format!(
            "{}\n{readers}",
            database("metrics", &policy("short", "1d", "    default  = true\n"))
        )),
    );
    let out = ws.apply(&[]);
    assert!(out.stdout.contains("1 changed"), "{}", out.stdout);
    assert!(rp(&server, "metrics", "long").is_none());
    assert!(rp(&server, "metrics", "autogen").is_some());
    ws.plan_no_changes(&[]);

    let out = ws.run(&["destroy", "-auto-approve"]);
    out.assert_success();
    assert!(!server.databases().contains(&"metrics".to_owned()));
}

fn drift_is_shown_and_put_back(tf: Tf) {
    let (server, ws) = setup(tf);
    ws.write(
        "main.tf",
        &config(&database(
            "metrics",
            &format!(
                "{}{}",
                policy("short", "1d", "    default  = true\n"),
                policy("long", "180d", "")
            ),
        )),
    );
    ws.apply(&[]);
    // Outside Terraform: a policy altered, another dropped, a third made, autogen altered.
    server.influxql("ALTER RETENTION POLICY short ON metrics DURATION 2d");
    server.influxql("DROP RETENTION POLICY long ON metrics");
    server.influxql("CREATE RETENTION POLICY theirs ON metrics DURATION 3d REPLICATION 1");
    server.influxql("ALTER RETENTION POLICY autogen ON metrics DURATION 30d");
    let out = ws.run(&["plan", "-detailed-exitcode"]);
    out.assert_code(2);
    let text = flat(&out.stdout);
    assert!(text.contains("1 to change"), "{}", out.stdout);
    assert!(text.contains("\"48h0m0s\" -> \"1d\""), "{}", out.stdout);
    assert!(text.contains("+ name = \"long\""), "{}", out.stdout);
    assert!(
        !out.stdout.contains("theirs") && !out.stdout.contains("autogen"),
        "{}",
        out.stdout
    );
    let out = ws.apply(&[]);
    assert!(
        out.stdout.contains("0 added, 1 changed, 0 destroyed"),
        "{}",
        out.stdout
    );
    assert_eq!(
        rp(&server, "metrics", "short").unwrap()["duration"],
        "24h0m0s"
    );
    assert_eq!(
        rp(&server, "metrics", "long").unwrap()["duration"],
        "4320h0m0s"
    );
    assert!(
        rp(&server, "metrics", "theirs").is_some(),
        "not Terraform's: kept"
    );
    ws.plan_no_changes(&[]);

    // The database dropped outside Terraform is made again.
    server.influxql("DROP DATABASE metrics");
    let out = ws.apply(&[]);
    assert!(out.stdout.contains("1 added"), "{}", out.stdout);
    assert!(
        out.stdout.contains("Database dropped outside Terraform"),
        "{}",
        out.stdout
    );
    assert!(rp(&server, "metrics", "long").is_some());
    ws.plan_no_changes(&[]);
}

fn import_by_name(tf: Tf) {
    let (server, ws) = setup(tf);
    server.influxql("CREATE DATABASE legacy");
    server.influxql(
        "CREATE RETENTION POLICY two_weeks ON legacy DURATION 2w REPLICATION 1 SHARD DURATION 1d DEFAULT",
    );
    // A create of an existing database is refused at plan: 1.x would take it over.
    ws.write(
        "main.tf",
        &config(&database("legacy", &policy("two_weeks", "14d", ""))),
    );
    let out = ws.run(&["plan"]);
    out.assert_failure();
    assert!(
        flat(&out.stderr).contains("Database already exists"),
        "{}",
        out.stderr
    );
    assert!(
        flat(&out.stderr).contains("terraform import"),
        "{}",
        out.stderr
    );

    ws.write(
        "main.tf",
        &config(&database(
            "legacy",
            &policy(
                "two_weeks",
                "336h0m0s",
                "    default = true\n    shardgroupduration = \"24h0m0s\"\n",
            ),
        )),
    );
    let out = ws.run(&["import", "influxdb_database.db", "legacy"]);
    out.assert_success();
    let state = ws.state_attributes("influxdb_database.db");
    assert_eq!(
        state["retention_policies"].as_array().unwrap().len(),
        1,
        "{state}"
    );
    ws.plan_no_changes(&[]);
    let out = ws.run(&["import", "influxdb_database.other", "nope"]);
    out.assert_failure();
}

fn deletion_protection_refuses_destroy_and_rename(tf: Tf) {
    let (server, ws) = setup(tf);
    ws.write(
        "main.tf",
        &config(&database("keep", "  deletion_protection = true\n")),
    );
    ws.apply(&[]);
    let out = ws.run(&["destroy", "-auto-approve"]);
    out.assert_failure();
    assert!(
        flat(&out.stderr).contains("Database is protected against deletion"),
        "{}",
        out.stderr
    );
    assert!(server.databases().contains(&"keep".to_owned()));
    ws.write(
        "main.tf",
        &config(&database("renamed", "  deletion_protection = true\n")),
    );
    let out = ws.run(&["apply", "-auto-approve"]);
    out.assert_failure();
    assert!(server.databases().contains(&"keep".to_owned()));
    assert!(!server.databases().contains(&"renamed".to_owned()));
    ws.write("main.tf", &config(&database("keep", "")));
    ws.apply(&[]);
    ws.run(&["destroy", "-auto-approve"]).assert_success();
    assert!(!server.databases().contains(&"keep".to_owned()));
}

fn a_name_with_quotes_works_end_to_end(tf: Tf) {
    let (server, ws) = setup(tf);
    let weird = "we\"ird 'name";
    ws.write(
        "main.tf",
        &config(&database(
            weird,
            &policy(weird, "30d", "    default = true\n"),
        )),
    );
    ws.apply(&[]);
    assert!(server.databases().contains(&weird.to_owned()));
    assert_eq!(rp(&server, weird, weird).unwrap()["duration"], "720h0m0s");
    ws.plan_no_changes(&[]);
    ws.write(
        "main.tf",
        &config(&database(
            weird,
            &policy(weird, "60d", "    default = true\n"),
        )),
    );
    ws.apply(&[]);
    assert_eq!(rp(&server, weird, weird).unwrap()["duration"], "1440h0m0s");
    ws.run(&["destroy", "-auto-approve"]).assert_success();
    assert!(!server.databases().contains(&weird.to_owned()));
}

fn bad_names_and_durations_fail_at_plan(tf: Tf) {
    let (server, ws) = setup(tf);
    for (body, says) in [
        (database("a\nb", ""), "line break"),
        (database("ok", &policy("x\ny", "1d", "")), "line break"),
        (
            database("ok", &policy("p", "30m", "")),
            "shorter than one hour",
        ),
        (
            database("ok", &policy("p", "forever", "")),
            "not an InfluxQL duration",
        ),
        (
            database(
                "ok",
                &format!(
                    "{}{}",
                    policy("p", "1d", "    default = true\n"),
                    policy("q", "2d", "    default = true\n")
                ),
            ),
            "Two default retention policies",
        ),
    ] {
        ws.write("main.tf", &config(&body));
        let out = ws.run(&["plan"]);
        out.assert_failure();
        assert!(flat(&out.stderr).contains(says), "{body}: {}", out.stderr);
    }
    assert!(!server.databases().contains(&"ok".to_owned()));
}
