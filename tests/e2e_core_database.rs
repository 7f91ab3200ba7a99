//! `influxdb_database` (and the `influxdb_database`/`influxdb_databases` data sources) on
//! InfluxDB 3 Core and Enterprise, end to end: the real Terraform in its normal output mode, an
//! empty `provider "influxdb" {}` block with only `INFLUXDB3_HOST_URL` and
//! `INFLUXDB3_AUTH_TOKEN` set. The Core scenarios run against both the simulator and the real
//! InfluxDB 3 Core server (`support/core_target.rs`); the Enterprise ones, and those that need
//! an injected fault, against the simulator. The Management family's scenarios of the same
//! type live in `e2e_database.rs`.

#[path = "support/core_server.rs"]
mod core_server;
#[path = "support/core_target.rs"]
#[macro_use]
mod core_target;
#[path = "support/sim.rs"]
mod sim;
#[path = "support/terraform.rs"]
mod terraform;

use core_target::Target;
use terraform::{flat, provider_block, Tf, Workspace};

terraform::every_terraform!(
    lifecycle_on_enterprise,
    a_rename_is_a_replacement_that_deletion_protection_refuses,
);

on_sim_and_real_core!(
    lifecycle_on_core,
    a_database_deleted_outside_is_created_again,
    a_dedicated_only_argument_fails_at_plan_naming_it,
    hard_delete_deletes_at_once,
    import_by_name,
    the_name_rules_are_cores,
    demo_on_core,
);

fn setup(target: Target, tf: Tf) -> (Target, Workspace) {
    let ws = Workspace::with_env(tf, target.provider_env());
    (target, ws)
}

fn config(body: &str) -> String {
    format!("{}\n{body}", provider_block(""))
}

fn database(name: &str, extra: &str) -> String {
    format!("resource \"influxdb_database\" \"db\" {{\n  name = \"{name}\"\n{extra}\n}}\n")
}

/// The live database `name` (`system.databases`).
fn live(target: &Target, name: &str) -> Option<serde_json::Value> {
    target.live_database(name)
}

/// Every database whose current name starts with `prefix` (soft-deleted ones are renamed
/// `NAME-YYYYMMDDTHHMMSS`).
fn held(target: &Target, prefix: &str) -> Vec<serde_json::Value> {
    target.databases_named(prefix)
}

const DAY_NS: u64 = 86_400_000_000_000;

fn lifecycle(target: Target, tf: Tf) {
    let (sim, ws) = setup(target, tf);
    let readers = "data \"influxdb_database\" \"one\" {\n  name = influxdb_database.db.name\n}\n\ndata \"influxdb_databases\" \"all\" {\n  depends_on = [influxdb_database.db]\n}\n\noutput \"retention\" {\n  value = data.influxdb_database.one.retention_period\n}\n\noutput \"names\" {\n  value = join(\",\", [for d in data.influxdb_databases.all.databases : d.name])\n}\n";
    ws.write(
        "main.tf",
        &config(&format!(
            "{}\n{readers}",
            database("sensors", "  retention_period = \"30d\"")
        )),
    );
    let out = ws.apply(&[]);
    assert!(out.stdout.contains("1 added"), "{}", out.stdout);
    let db = live(&sim, "sensors").expect("created");
    assert_eq!(db["retention_period_ns"], 30 * DAY_NS);
    assert_eq!(
        ws.state_attributes("influxdb_database.db")["retention_period"],
        "30d"
    );
    assert_eq!(
        ws.state_attributes("influxdb_database.db")["deletion_protection"],
        false
    );
    assert_eq!(ws.output_raw("retention"), "30d");
    assert_eq!(ws.output_raw("names"), "sensors", "not _internal");
    ws.plan_no_changes(&[]);

    // The same retention written another way is no change.
    ws.write(
        "main.tf",
        &config(&format!(
            "{}\n{readers}",
            database("sensors", "  retention_period = \"720h\"")
        )),
    );
    ws.plan_no_changes(&[]);

    // A retention change is one PUT, in place.
    ws.write(
        "main.tf",
        &config(&format!(
            "{}\n{readers}",
            database("sensors", "  retention_period = \"7d\"")
        )),
    );
    sim.clear_requests();
    let out = ws.apply(&[]);
    assert!(
        out.stdout.contains("0 added, 1 changed, 0 destroyed"),
        "{}",
        out.stdout
    );
    assert_eq!(sim.count_requests("PUT", "/api/v3/configure/database"), 1);
    assert_eq!(sim.count_requests("POST", "/api/v3/configure/database"), 0);
    assert_eq!(
        sim.count_requests("DELETE", "/api/v3/configure/database"),
        0
    );
    assert_eq!(
        live(&sim, "sensors").unwrap()["retention_period_ns"],
        7 * DAY_NS
    );
    ws.plan_no_changes(&[]);

    // Unset means forever: the retention is cleared in place.
    ws.write(
        "main.tf",
        &config(&format!("{}\n{readers}", database("sensors", ""))),
    );
    let out = ws.apply(&[]);
    assert!(out.stdout.contains("1 changed"), "{}", out.stdout);
    assert!(live(&sim, "sensors").unwrap()["retention_period_ns"].is_null());
    assert!(ws.state_attributes("influxdb_database.db")["retention_period"].is_null());
    ws.plan_no_changes(&[]);

    // Destroy soft-deletes: the name is gone, the data waits for the server's hard delete.
    ws.apply(&["-destroy"]);
    assert!(live(&sim, "sensors").is_none());
    let left = held(&sim, "sensors-");
    assert_eq!(left.len(), 1, "soft-deleted, renamed: {left:?}");
    assert_eq!(left[0]["deleted"], true);
}

fn lifecycle_on_core(target: Target, tf: Tf) {
    lifecycle(target, tf);
}

fn lifecycle_on_enterprise(tf: Tf) {
    lifecycle(Target::sim_enterprise(), tf);
}

fn a_database_deleted_outside_is_created_again(target: Target, tf: Tf) {
    let (sim, ws) = setup(target, tf);
    ws.write(
        "main.tf",
        &config(&database("sensors", "  retention_period = \"30d\"")),
    );
    ws.apply(&[]);
    assert_eq!(
        sim.v3("DELETE", "/api/v3/configure/database?db=sensors", None)
            .status,
        200
    );
    let out = ws.run(&["plan", "-detailed-exitcode"]);
    out.assert_code(2);
    assert!(
        out.combined()
            .contains("Database deleted outside Terraform"),
        "{}",
        out.combined()
    );
    ws.apply(&[]);
    assert_eq!(
        live(&sim, "sensors").expect("created again")["retention_period_ns"],
        30 * DAY_NS
    );
    ws.plan_no_changes(&[]);
}

fn a_dedicated_only_argument_fails_at_plan_naming_it(target: Target, tf: Tf) {
    let (sim, ws) = setup(target, tf);
    ws.write(
        "main.tf",
        &config(&database("sensors", "  max_tables = 100")),
    );
    let out = ws.run(&["plan"]);
    out.assert_failure();
    let text = flat(&out.combined());
    assert!(
        text.contains("max_tables is not an argument on this InfluxDB"),
        "{text}"
    );
    assert!(text.contains("Cloud Dedicated"), "{text}");
    ws.run(&["apply", "-auto-approve"]).assert_failure();
    assert!(held(&sim, "sensors").is_empty(), "nothing was written");
    assert!(sim.only_reads(), "no write: {:?}", sim.calls());
}

fn a_rename_is_a_replacement_that_deletion_protection_refuses(tf: Tf) {
    let (sim, ws) = setup(Target::sim_enterprise(), tf);
    ws.write(
        "main.tf",
        &config(&database("old", "  deletion_protection = true")),
    );
    ws.apply(&[]);
    ws.write(
        "main.tf",
        &config(&database("new", "  deletion_protection = true")),
    );
    sim.clear_requests();
    let out = ws.run(&["plan"]);
    out.assert_failure();
    let text = flat(&out.combined());
    assert!(
        text.contains("Database is protected against deletion"),
        "{text}"
    );
    assert!(text.contains("\"old\""), "{text}");
    assert!(live(&sim, "old").is_some());
    assert!(sim.only_reads());

    ws.write("main.tf", &config(&database("new", "")));
    let out = ws.run(&["plan"]);
    out.assert_failure();
    ws.write(
        "main.tf",
        &config(&database("old", "  deletion_protection = false")),
    );
    ws.apply(&[]);
    ws.write("main.tf", &config(&database("new", "")));
    let out = ws.apply(&[]);
    assert!(out.stdout.contains("forces replacement"), "{}", out.stdout);
    assert!(
        out.stdout.contains("1 added, 0 changed, 1 destroyed"),
        "{}",
        out.stdout
    );
    assert!(live(&sim, "old").is_none() && live(&sim, "new").is_some());
}

/// `hard_delete = true`: the database is deleted with `hard_delete_at=now`. The server keeps
/// listing it (deleted, under its new name) until its background deletion; its hard deletion
/// time is the destroy's, not three days later.
fn hard_delete_deletes_at_once(target: Target, tf: Tf) {
    let (sim, ws) = setup(target, tf);
    ws.write(
        "main.tf",
        &config(&database("sensors", "  hard_delete = true")),
    );
    ws.apply(&[]);
    ws.plan_no_changes(&[]);
    ws.apply(&["-destroy"]);
    assert!(live(&sim, "sensors").is_none());
    let tomorrow = time::OffsetDateTime::now_utc() + time::Duration::days(1);
    for d in held(&sim, "sensors") {
        assert_eq!(d["deleted"], true, "{d}");
        let at = d["hard_deletion_time"]
            .as_str()
            .expect("a hard deletion time");
        let at = time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
            .expect("RFC 3339");
        assert!(at < tomorrow, "hard-deleted now, not in 3 days: {d}");
    }
}

fn import_by_name(target: Target, tf: Tf) {
    let (sim, ws) = setup(target, tf);
    let a = sim.v3(
        "POST",
        "/api/v3/configure/database",
        Some(r#"{"db":"legacy","retention_period":"14d"}"#),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    ws.write(
        "main.tf",
        &config(&database("legacy", "  retention_period = \"336h\"")),
    );
    ws.run(&["import", "influxdb_database.db", "legacy"])
        .assert_success();
    let state = ws.state_attributes("influxdb_database.db");
    assert_eq!(state["retention_period"], "14d");
    assert_eq!(state["deletion_protection"], false);
    ws.plan_no_changes(&[]);
    let out = ws.run(&["import", "influxdb_database.x", "missing"]);
    out.assert_failure();
}

#[test]
fn import_by_identity() {
    let (sim, ws) = setup(Target::sim_enterprise(), Tf::V1_15_5);
    let a = sim.v3(
        "POST",
        "/api/v3/configure/database",
        Some(r#"{"db":"legacy"}"#),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    ws.write(
        "main.tf",
        &config(&format!(
            "{}\nimport {{\n  to       = influxdb_database.db\n  identity = {{ name = \"legacy\" }}\n}}\n",
            database("legacy", "")
        )),
    );
    let out = ws.apply(&[]);
    assert!(out.stdout.contains("1 imported"), "{}", out.stdout);
    ws.plan_no_changes(&[]);
    ws.apply(&["-destroy"]);
    assert!(live(&sim, "legacy").is_none());
}

/// The name rules are the configured product's: Core allows 511 bytes (Cloud Dedicated 64),
/// and refuses at plan what Core refuses, before any API call.
fn the_name_rules_are_cores(target: Target, tf: Tf) {
    let (sim, ws) = setup(target, tf);
    let long = format!("s{}", "x".repeat(99));
    ws.write("main.tf", &config(&database(&long, "")));
    ws.apply(&[]);
    assert!(live(&sim, &long).is_some());
    ws.apply(&["-destroy"]);
    sim.clear_requests();
    ws.write("main.tf", &config(&database("a/b/c", "")));
    let out = ws.run(&["plan"]);
    out.assert_failure();
    let text = flat(&out.combined());
    assert!(text.contains("Invalid database name"), "{text}");
    assert!(text.contains("one `/`"), "{text}");
    assert!(sim.only_reads());
}

/// `examples/demo/core/main.tf` (what `scripts/demo.sh core|enterprise` applies), as it is.
fn the_demo_configuration_applies(target: Target, tf: Tf) {
    let (sim, ws) = setup(target, tf);
    let text =
        std::fs::read_to_string(terraform::repo_root().join("examples/demo/core/main.tf")).unwrap();
    ws.write("main.tf", &text);
    let out = ws.apply(&[]);
    assert!(out.stdout.contains("4 added"), "{}", out.stdout);
    assert_eq!(
        live(&sim, "sensors").expect("created")["retention_period_ns"],
        30 * DAY_NS
    );
    ws.plan_no_changes(&[]);
    ws.apply(&["-destroy"]);
    assert!(live(&sim, "sensors").is_none());
    assert_eq!(sim.tokens().len(), 1, "only _admin: {:?}", sim.tokens());
}

terraform::every_terraform!(demo_on_enterprise);

fn demo_on_core(target: Target, tf: Tf) {
    the_demo_configuration_applies(target, tf);
}

fn demo_on_enterprise(tf: Tf) {
    the_demo_configuration_applies(Target::sim_enterprise(), tf);
}

/// A retention changed outside Terraform shows in the plan and is put back in place; a create
/// whose answer is lost adopts the database it made (a database has no secret to lose).
#[test]
fn retention_drift_and_a_lost_create_answer() {
    let (sim, ws) = setup(Target::sim_enterprise(), Tf::V1_15_5);
    sim.sim().add_fault(serde_json::json!({"method": "POST", "path_suffix": "/api/v3/configure/database", "drop_after_handling": true}));
    ws.write(
        "main.tf",
        &config(&database("sensors", "  retention_period = \"30d\"")),
    );
    let out = ws.apply(&[]);
    assert!(
        flat(&out.combined()).contains("Database created despite a failed request"),
        "{}",
        out.combined()
    );
    assert_eq!(
        sim.count_requests("POST", "/api/v3/configure/database"),
        1,
        "never sent twice"
    );
    ws.plan_no_changes(&[]);
    let a = sim.v3(
        "PUT",
        "/api/v3/configure/database",
        Some(r#"{"db":"sensors","retention_period":"1d"}"#),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    let out = ws.run(&["plan", "-detailed-exitcode"]);
    out.assert_code(2);
    assert!(out.stdout.contains("\"1d\" -> \"30d\""), "{}", out.stdout);
    ws.apply(&[]);
    assert_eq!(
        live(&sim, "sensors").unwrap()["retention_period_ns"],
        30 * DAY_NS
    );
    ws.plan_no_changes(&[]);
}
