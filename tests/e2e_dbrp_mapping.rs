//! `influxdb_dbrp_mapping` end to end: the real Terraform, in human output mode, against the
//! simulator's InfluxDB OSS v2 mode, which keeps InfluxDB 2.7's default rule. The mapping has
//! no nested attribute, so it runs under Terraform 1.0.3 and 1.15.5: create, the server's
//! default choices never shown as a diff, in-place retention policy and default, a default
//! taken away outside put back, deleted outside recreated, replace, import, destroy.

#[path = "support/sim.rs"]
mod sim;
#[path = "support/terraform.rs"]
mod terraform;

use sim::{SimProcess, V2_ORG_ID};
use terraform::{provider_block, Tf, Workspace};

terraform::every_terraform!(
    the_default_rule_is_never_a_diff_and_a_taken_default_is_put_back,
    retention_policy_in_place_database_replaces_drift_import_and_destroy,
);

fn setup(tf: Tf) -> (SimProcess, Workspace) {
    let sim = SimProcess::oss_v2();
    let ws = Workspace::with_env(tf, sim.provider_env());
    (sim, ws)
}

/// Two buckets and the given mappings.
fn config(mappings: &str) -> String {
    format!(
        r#"{}
resource "influxdb_bucket" "short" {{
  name = "telegraf-short"
}}

resource "influxdb_bucket" "long" {{
  name = "telegraf-long"
}}
{mappings}"#,
        provider_block("")
    )
}

fn mapping(name: &str, bucket: &str, body: &str) -> String {
    format!(
        "\nresource \"influxdb_dbrp_mapping\" \"{name}\" {{\n  bucket_id = influxdb_bucket.{bucket}.id\n{body}\n}}\n"
    )
}

fn writes(sim: &SimProcess) -> Vec<(String, String)> {
    sim.calls()
        .into_iter()
        .filter(|(m, _)| m != "GET")
        .collect()
}

/// What the server says of mapping `id` (`GET /api/v2/dbrps/{id}`).
fn server(sim: &SimProcess, id: &str) -> serde_json::Value {
    let a = sim.v2("GET", &format!("/dbrps/{id}?orgID={V2_ORG_ID}"), None);
    assert_eq!(a.status, 200, "{}", a.body);
    a.json()["content"].clone()
}

fn id_of(ws: &Workspace, address: &str) -> String {
    ws.state_attributes(address)["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{address} has no id"))
        .to_owned()
}

fn the_default_rule_is_never_a_diff_and_a_taken_default_is_put_back(tf: Tf) {
    let (sim, ws) = setup(tf);
    // The first mapping of a database is its default although the configuration did not ask.
    let short = mapping(
        "short",
        "short",
        "  database = \"telegraf\"\n  retention_policy = \"autogen\"",
    );
    ws.write("main.tf", &config(&short));
    ws.apply(&[]);
    let s = ws.state_attributes("influxdb_dbrp_mapping.short");
    assert_eq!(
        (&s["default"], &s["is_default"], &s["virtual"]),
        (
            &serde_json::json!(false),
            &serde_json::json!(true),
            &serde_json::json!(false)
        ),
        "{s}"
    );
    assert_eq!(s["org_id"], V2_ORG_ID, "the provider's organization");
    ws.plan_no_changes(&[]);
    let short_id = id_of(&ws, "influxdb_dbrp_mapping.short");

    // A second mapping asking to be the default takes it over; the first one's change is the
    // server's rule, not a diff.
    let long = mapping(
        "long",
        "long",
        "  database = \"telegraf\"\n  retention_policy = \"long\"\n  default = true",
    );
    ws.write("main.tf", &config(&format!("{short}{long}")));
    ws.apply(&[]);
    let long_id = id_of(&ws, "influxdb_dbrp_mapping.long");
    assert_eq!(server(&sim, &long_id)["default"], true);
    assert_eq!(server(&sim, &short_id)["default"], false);
    ws.plan_no_changes(&[]);
    ws.run(&["refresh"]).assert_success();
    assert_eq!(
        ws.state_attributes("influxdb_dbrp_mapping.short")["is_default"],
        false,
        "refreshed"
    );

    // Someone makes the other mapping the default: shown on the mapping that asked, put back
    // with one PATCH.
    let a = sim.v2(
        "PATCH",
        &format!("/dbrps/{short_id}?orgID={V2_ORG_ID}"),
        Some(r#"{"default": true}"#),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    let out = ws.run(&["plan", "-no-color"]);
    out.assert_success();
    assert!(
        out.stdout
            .contains("influxdb_dbrp_mapping.long will be updated in-place")
            && out.stdout.contains("1 to change"),
        "{}",
        out.stdout
    );
    sim.clear_requests();
    ws.apply(&[]);
    assert_eq!(
        writes(&sim),
        [("PATCH".to_owned(), format!("/api/v2/dbrps/{long_id}"))]
    );
    assert_eq!(server(&sim, &long_id)["default"], true);
    ws.plan_no_changes(&[]);

    // Un-defaulting: the default goes to the other mapping of the database.
    let long_undefault = mapping(
        "long",
        "long",
        "  database = \"telegraf\"\n  retention_policy = \"long\"",
    );
    ws.write("main.tf", &config(&format!("{short}{long_undefault}")));
    ws.apply(&[]);
    assert_eq!(server(&sim, &short_id)["default"], true);
    ws.plan_no_changes(&[]);

    // Un-defaulting the only mapping of a database: the server ignores it although its answer
    // says false; no diff follows.
    ws.write(
        "main.tf",
        &config(&mapping(
            "solo",
            "short",
            "  database = \"solo\"\n  default = true",
        )),
    );
    ws.apply(&[]);
    ws.write(
        "main.tf",
        &config(&mapping("solo", "short", "  database = \"solo\"")),
    );
    ws.apply(&[]);
    let solo = ws.state_attributes("influxdb_dbrp_mapping.solo");
    assert_eq!(
        (&solo["default"], &solo["is_default"]),
        (&serde_json::json!(false), &serde_json::json!(true)),
        "{solo}"
    );
    assert_eq!(solo["retention_policy"], "autogen", "the default policy");
    ws.plan_no_changes(&[]);
}

fn retention_policy_in_place_database_replaces_drift_import_and_destroy(tf: Tf) {
    let (sim, ws) = setup(tf);
    let body = |db: &str, rp: &str| {
        mapping(
            "m",
            "short",
            &format!("  database = \"{db}\"\n  retention_policy = \"{rp}\""),
        )
    };
    ws.write("main.tf", &config(&body("metrics", "autogen")));
    ws.apply(&[]);
    let id = id_of(&ws, "influxdb_dbrp_mapping.m");

    // The retention policy changes in place: one PATCH, same ID.
    ws.write("main.tf", &config(&body("metrics", "weekly")));
    sim.clear_requests();
    ws.apply(&[]);
    assert_eq!(
        writes(&sim),
        [("PATCH".to_owned(), format!("/api/v2/dbrps/{id}"))]
    );
    assert_eq!(id_of(&ws, "influxdb_dbrp_mapping.m"), id);
    assert_eq!(server(&sim, &id)["retention_policy"], "weekly");
    ws.plan_no_changes(&[]);

    // Changed outside: shown and put back.
    sim.v2(
        "PATCH",
        &format!("/dbrps/{id}?orgID={V2_ORG_ID}"),
        Some(r#"{"retention_policy": "other"}"#),
    );
    let out = ws.run(&["plan", "-no-color"]);
    assert!(out.stdout.contains("1 to change"), "{}", out.stdout);
    ws.apply(&[]);
    assert_eq!(server(&sim, &id)["retention_policy"], "weekly");

    // Deleted outside: the next apply creates it again.
    assert_eq!(
        sim.v2("DELETE", &format!("/dbrps/{id}?orgID={V2_ORG_ID}"), None)
            .status,
        204
    );
    let out = ws.apply(&[]);
    assert!(
        out.combined().contains("deleted outside Terraform"),
        "{}",
        out.combined()
    );
    let id = id_of(&ws, "influxdb_dbrp_mapping.m");
    assert_eq!(server(&sim, &id)["database"], "metrics");
    ws.plan_no_changes(&[]);

    // The database replaces the mapping.
    ws.write("main.tf", &config(&body("metrics2", "weekly")));
    let out = ws.run(&["plan", "-no-color"]);
    assert!(
        out.stdout.contains("must be replaced") && out.stdout.contains("forces replacement"),
        "{}",
        out.stdout
    );
    ws.apply(&[]);
    let new_id = id_of(&ws, "influxdb_dbrp_mapping.m");
    assert_ne!(new_id, id);
    assert_eq!(
        sim.v2("GET", &format!("/dbrps/{id}?orgID={V2_ORG_ID}"), None)
            .status,
        404
    );

    // Import by ORG_ID/ID: the next plan is empty. A virtual mapping is refused.
    ws.run(&["state", "rm", "influxdb_dbrp_mapping.m"])
        .assert_success();
    ws.run(&[
        "import",
        "influxdb_dbrp_mapping.m",
        &format!("{V2_ORG_ID}/{new_id}"),
    ])
    .assert_success();
    ws.plan_no_changes(&[]);
    let bucket = id_of(&ws, "influxdb_bucket.short");
    ws.run(&["state", "rm", "influxdb_dbrp_mapping.m"])
        .assert_success();
    let out = ws.run(&[
        "import",
        "influxdb_dbrp_mapping.m",
        &format!("{V2_ORG_ID}/{bucket}"),
    ]);
    out.assert_failure();
    assert!(
        out.stderr
            .contains("Virtual DBRP mappings cannot be imported"),
        "{}",
        out.stderr
    );
    ws.run(&[
        "import",
        "influxdb_dbrp_mapping.m",
        &format!("{V2_ORG_ID}/{new_id}"),
    ])
    .assert_success();

    // A mapping that already exists is an error naming its import ID.
    ws.write(
        "main.tf",
        &config(&format!(
            "{}{}",
            body("metrics2", "weekly"),
            mapping(
                "dup",
                "long",
                "  database = \"metrics2\"\n  retention_policy = \"weekly\""
            )
        )),
    );
    let out = ws.run(&["apply", "-auto-approve"]);
    out.assert_failure();
    assert!(
        out.stderr.contains("DBRP mapping already exists")
            && out.stderr.contains(&format!("{V2_ORG_ID}/{new_id}")),
        "{}",
        out.stderr
    );

    // Destroy deletes the mappings, then the buckets.
    ws.write("main.tf", &config(&body("metrics2", "weekly")));
    ws.apply(&["-destroy"]);
    assert_eq!(sim.state()["dbrps"], serde_json::json!([]));
}
