//! `influxdb_bucket` and the `influxdb_bucket` / `influxdb_buckets` data sources end to end:
//! the real Terraform, in human output mode, against the simulator's InfluxDB OSS v2 mode.
//! The bucket needs no nested attribute, so its lifecycle runs under Terraform 1.0.3 and
//! 1.15.5; plan-time refusals of destroys need Terraform 1.3 (1.15.5 here).

#[path = "support/sim.rs"]
mod sim;
#[path = "support/terraform.rs"]
mod terraform;

use sim::{SimProcess, V2_ORG_ID};
use terraform::{provider_block, Tf, Workspace};

terraform::every_terraform!(rename_and_retention_are_one_patch_each_and_drift_is_repaired);

fn setup(tf: Tf) -> (SimProcess, Workspace) {
    let sim = SimProcess::oss_v2();
    let ws = Workspace::with_env(tf, sim.provider_env());
    (sim, ws)
}

fn bucket(body: &str) -> String {
    format!(
        "{}\nresource \"influxdb_bucket\" \"b\" {{\n{body}\n}}\n",
        provider_block("")
    )
}

fn writes(sim: &SimProcess) -> Vec<(String, String)> {
    sim.calls()
        .into_iter()
        .filter(|(m, _)| m != "GET")
        .collect()
}

fn rename_and_retention_are_one_patch_each_and_drift_is_repaired(tf: Tf) {
    let (sim, ws) = setup(tf);
    ws.write(
        "main.tf",
        &bucket("  name = \"telemetry\"\n  retention_period = \"30d\""),
    );
    ws.apply(&[]);
    let state = ws.state_attributes("influxdb_bucket.b");
    let id = state["id"].as_str().unwrap().to_owned();
    assert_eq!(state["org_id"], V2_ORG_ID, "the provider's organization");
    assert_eq!(state["shard_group_duration"], "1d");
    // An unset shard group never diffs.
    ws.plan_no_changes(&[]);

    let path = format!("/api/v2/buckets/{id}");
    for (body, check) in [
        (
            "  name = \"telemetry2\"\n  retention_period = \"30d\"",
            "name",
        ),
        (
            "  name = \"telemetry2\"\n  retention_period = \"7d\"",
            "retention",
        ),
    ] {
        ws.write("main.tf", &bucket(body));
        sim.clear_requests();
        ws.apply(&[]);
        assert_eq!(
            writes(&sim),
            [("PATCH".to_owned(), path.clone())],
            "{check}: one PATCH"
        );
        assert_eq!(
            ws.state_attributes("influxdb_bucket.b")["id"],
            id.as_str(),
            "{check}: same ID"
        );
        ws.plan_no_changes(&[]);
    }
    let b = sim.v2("GET", &format!("/buckets/{id}"), None).json();
    assert_eq!(
        (
            b["name"].as_str(),
            b["retentionRules"][0]["everySeconds"].as_i64()
        ),
        (Some("telemetry2"), Some(604_800))
    );
    assert_eq!(
        ws.state_attributes("influxdb_bucket.b")["shard_group_duration"],
        "1d"
    );

    // Changed outside: restored. Deleted outside: created again.
    sim.v2("PATCH", &format!("/buckets/{id}"), Some(r#"{"retentionRules":[{"type":"expire","everySeconds":0,"shardGroupDurationSeconds":604800}]}"#));
    ws.apply(&[]);
    let b = sim.v2("GET", &format!("/buckets/{id}"), None).json();
    assert_eq!(b["retentionRules"][0]["everySeconds"], 604_800);
    assert_eq!(
        sim.v2("DELETE", &format!("/buckets/{id}"), None).status,
        204
    );
    let out = ws.apply(&[]);
    assert!(
        out.combined().contains("deleted outside Terraform"),
        "{}",
        out.combined()
    );
    let new_id = ws.state_attributes("influxdb_bucket.b")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(new_id, id);
    assert_eq!(
        sim.v2("GET", &format!("/buckets/{new_id}"), None).json()["name"],
        "telemetry2"
    );
    ws.plan_no_changes(&[]);

    // The data sources find it by name and by ID, and list the org's buckets.
    ws.write("main.tf", &format!("{}\ndata \"influxdb_bucket\" \"by_name\" {{\n  name = \"telemetry2\"\n}}\n\ndata \"influxdb_bucket\" \"by_id\" {{\n  id = \"{new_id}\"\n}}\n\ndata \"influxdb_buckets\" \"all\" {{}}\n\noutput \"names\" {{\n  value = join(\",\", [for b in data.influxdb_buckets.all.buckets : b.name])\n}}\n", bucket("  name = \"telemetry2\"\n  retention_period = \"7d\"")));
    ws.apply(&[]);
    assert_eq!(
        ws.state_attributes("data.influxdb_bucket.by_name")["id"],
        new_id.as_str()
    );
    assert_eq!(
        ws.state_attributes("data.influxdb_bucket.by_id")["retention_period"],
        "7d"
    );
    assert_eq!(ws.output_raw("names"), "_monitoring,_tasks,telemetry2");
}

#[test]
fn deletion_protection_refuses_destroy_and_replacement_at_plan_with_zero_writes() {
    let (sim, ws) = setup(Tf::V1_15_5);
    ws.write(
        "main.tf",
        &bucket("  name = \"keep\"\n  deletion_protection = true"),
    );
    ws.apply(&[]);
    let other = sim.v2("POST", "/orgs", Some(r#"{"name":"other"}"#)).json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for (what, args, config) in [
        (
            "destroy",
            vec!["plan", "-destroy"],
            bucket("  name = \"keep\"\n  deletion_protection = true"),
        ),
        (
            "org_id change",
            vec!["plan"],
            bucket(&format!(
                "  name = \"keep\"\n  org_id = \"{other}\"\n  deletion_protection = true"
            )),
        ),
        ("removed block", vec!["plan"], provider_block("")),
    ] {
        ws.write("main.tf", &config);
        sim.clear_requests();
        let out = ws.run(&args);
        out.assert_failure();
        assert!(
            out.stderr.contains("Bucket is protected against deletion")
                && out.stderr.contains("\"keep\""),
            "{what}: {}",
            out.stderr
        );
        assert!(writes(&sim).is_empty(), "{what}: {:?}", sim.calls());
    }
    ws.write(
        "main.tf",
        &bucket("  name = \"keep\"\n  deletion_protection = false"),
    );
    sim.clear_requests();
    ws.apply(&[]);
    assert!(
        writes(&sim).is_empty(),
        "turning it off writes nothing: {:?}",
        sim.calls()
    );
    ws.apply(&["-destroy"]);
    assert_eq!(
        sim.v2(
            "GET",
            &format!("/buckets?orgID={V2_ORG_ID}&name=keep"),
            None
        )
        .status,
        404
    );
}

#[test]
fn bad_input_fails_at_plan_naming_the_attribute_with_no_api_call() {
    let (sim, ws) = setup(Tf::V1_15_5);
    for (body, summary, attribute) in [
        (
            "  name = \"b\"\n  retention_period = \"30m\"",
            "Invalid retention_period",
            "retention_period",
        ),
        (
            "  name = \"b\"\n  retention_period = \"1.5h\"",
            "Invalid retention_period",
            "retention_period",
        ),
        (
            "  name = \"b\"\n  shard_group_duration = \"10m\"",
            "Invalid shard_group_duration",
            "shard_group_duration",
        ),
        (
            "  name = \"b\"\n  schema_type = \"strict\"",
            "Invalid schema_type",
            "schema_type",
        ),
        ("  name = \"_b\"", "Invalid bucket name", "name"),
        (
            "  name = \"b\"\n  org_id = \"XYZ\"",
            "Invalid org_id",
            "org_id",
        ),
    ] {
        ws.write("main.tf", &bucket(body));
        sim.clear_requests();
        let out = ws.run(&["plan"]);
        out.assert_failure();
        assert!(
            out.stderr.contains(summary) && out.stderr.contains(attribute),
            "{body}: {}",
            out.stderr
        );
        assert!(sim.requests().is_empty(), "{body}: {:?}", sim.requests());
    }
}

#[test]
fn a_bucket_is_imported_by_id_and_by_org_and_name() {
    let (sim, ws) = setup(Tf::V1_15_5);
    let id = sim.v2_bucket("made-by-hand");
    ws.write("main.tf", &bucket("  name = \"made-by-hand\""));
    ws.run(&[
        "import",
        "influxdb_bucket.b",
        &format!("{V2_ORG_ID}/made-by-hand"),
    ])
    .assert_success();
    assert_eq!(ws.state_attributes("influxdb_bucket.b")["id"], id.as_str());
    ws.plan_no_changes(&[]);
    ws.run(&["state", "rm", "influxdb_bucket.b"])
        .assert_success();
    ws.run(&["import", "influxdb_bucket.b", &id])
        .assert_success();
    ws.plan_no_changes(&[]);
    let out = ws.run(&["import", "influxdb_bucket.c", "nonsense"]);
    out.assert_failure();
}

/// OSS has no bucket schema types. The provider asks the server which product it is (`GET
/// /ping`, `X-Influxdb-Build: oss`) and refuses `schema_type` at plan, with nothing written.
#[test]
fn schema_type_on_oss_fails_at_plan_naming_the_attribute_with_no_write() {
    let (sim, ws) = setup(Tf::V1_15_5);
    ws.write(
        "main.tf",
        &bucket("  name = \"typed\"\n  schema_type = \"explicit\""),
    );
    let out = ws.run(&["plan"]);
    out.assert_failure();
    assert!(
        out.stderr
            .contains("schema_type is not supported by InfluxDB OSS")
            && out.stderr.contains("schema_type"),
        "{}",
        out.stderr
    );
    assert!(writes(&sim).is_empty(), "{:?}", writes(&sim));
    assert_eq!(sim.count_requests("GET", "/ping"), 1, "{:?}", sim.calls());
    // An apply fails the same way, at its plan: no bucket was made and deleted again.
    sim.clear_requests();
    ws.run(&["apply", "-auto-approve"]).assert_failure();
    assert!(writes(&sim).is_empty(), "{:?}", writes(&sim));
    // Without schema_type the server is not asked.
    ws.write("main.tf", &bucket("  name = \"typed\""));
    sim.clear_requests();
    ws.apply(&[]);
    assert_eq!(sim.count_requests("GET", "/ping"), 0, "{:?}", sim.calls());
}

/// A server that does not say what it is (here `/ping` fails) is not taken for OSS: the plan
/// passes, and the create, seeing a bucket made without the schema type, deletes it again
/// and fails naming the attribute: nothing is left behind.
#[test]
fn schema_type_on_a_server_that_does_not_say_fails_at_apply_and_leaves_nothing() {
    let (sim, ws) = setup(Tf::V1_15_5);
    sim.add_fault(
        serde_json::json!({"method": "GET", "path_suffix": "/ping", "count": 10, "status": 404}),
    );
    ws.write(
        "main.tf",
        &bucket("  name = \"typed\"\n  schema_type = \"explicit\""),
    );
    let out = ws.run(&["apply", "-auto-approve"]);
    out.assert_failure();
    assert!(
        out.stderr
            .contains("schema_type is not supported by this server"),
        "{}",
        out.stderr
    );
    assert_eq!(sim.count_requests("POST", "/api/v2/buckets"), 1);
    let left = sim.v2("GET", "/buckets?name=typed", None).json();
    assert_eq!(left["buckets"], serde_json::json!([]), "{left}");
}

/// Cloud Serverless has schema types: `/ping` does not say OSS, and the bucket is created
/// with its schema type; the next plan is empty.
#[test]
fn schema_type_on_cloud_serverless_is_created() {
    let sim = SimProcess::start(&["--product", "cloud-serverless"]);
    let mut ws = Workspace::new(Tf::V1_15_5);
    ws.set_envs(sim.provider_env());
    ws.write(
        "main.tf",
        &bucket("  name = \"typed\"\n  retention_period = \"30d\"\n  schema_type = \"explicit\""),
    );
    ws.apply(&[]);
    ws.plan_no_changes(&[]);
    let id = ws.state_attributes("influxdb_bucket.b")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let b = sim.v2("GET", &format!("/buckets/{id}"), None).json();
    assert_eq!(b["schemaType"], "explicit", "{b}");
}
