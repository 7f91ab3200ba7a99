//! MoveResourceState in the engine, with the real provider and no Terraform: what a `moved`
//! block from another provider hands over is read into our schema, and whatever cannot be read
//! is refused with an error naming the source (tests/e2e_migrate.rs runs the same through
//! Terraform 1.15.5).

use serde_json::json;
use terraform_provider_influxdb::engine::server::{MoveSource, StateResponse};
use terraform_provider_influxdb::engine::{DynamicValue, Engine, Value};
use terraform_provider_influxdb::influxdb::provider::InfluxProvider;

const INFLUXDB3: &str = "registry.terraform.io/komminarlabs/influxdb3";

fn moved(
    engine: &Engine<InfluxProvider>,
    ty: &str,
    version: i64,
    json: &serde_json::Value,
    target: &str,
) -> StateResponse {
    let raw = json.to_string().into_bytes();
    engine.move_resource_state(
        MoveSource {
            provider: INFLUXDB3,
            type_name: ty,
            schema_version: version,
            raw_json: &raw,
        },
        target,
    )
}

fn errors(r: &StateResponse) -> String {
    format!("{:?}", r.diagnostics)
}

#[test]
fn a_token_moves_with_its_string_byte_for_byte() {
    let engine = Engine::new(InfluxProvider);
    let token = "apiv1_AbC+/=\u{e9}\"quoted\"";
    let r = moved(
        &engine,
        "influxdb3_token",
        0,
        &json!({"id": "5a8f2c1e-0000-4000-8000-000000000001", "access_token": token,
                "description": "ingest", "permissions": [{"action": "write", "resource": "db"}],
                "account_id": "a", "cluster_id": "c", "created_at": "2026-01-01T00:00:00Z", "expires_at": null}),
        "influxdb_database_token",
    );
    assert!(!r.diagnostics.has_errors(), "{}", errors(&r));
    let schemas = engine.schemas();
    let (_, schema) = schemas
        .resources
        .iter()
        .find(|(n, _)| *n == "influxdb_database_token")
        .unwrap();
    let v = DynamicValue::msgpack(r.state.expect("a state"))
        .decode(&schema.ty())
        .unwrap();
    assert_eq!(v.attr("access_token"), &Value::from(token));
    assert_eq!(v.attr("description"), &Value::from("ingest"));
    assert!(v.attr("name").is_null(), "what they lack is null");
}

#[test]
fn what_cannot_be_moved_is_refused_naming_the_source() {
    let engine = Engine::new(InfluxProvider);
    let state = json!({"id": "i", "access_token": "apiv1_x", "permissions": []});
    for (ty, version, json, target, says) in [
        (
            "influxdb3_token",
            2,
            state.clone(),
            "influxdb_database_token",
            "schema version 2 is not one this provider reads",
        ),
        (
            "influxdb3_token",
            0,
            state.clone(),
            "influxdb_bucket",
            "it can be moved to influxdb_database_token only",
        ),
        (
            "influxdb3_token",
            0,
            json!(["not", "an", "object"]),
            "influxdb_database_token",
            "not a JSON object",
        ),
        (
            "influxdb3_token",
            0,
            json!({"id": 5}),
            "influxdb_database_token",
            "`id` is a number, not a string",
        ),
        (
            "influxdb3_token",
            0,
            state.clone(),
            "influxdb_nothing",
            "no resource",
        ),
    ] {
        let r = moved(&engine, ty, version, &json, target);
        assert!(r.state.is_none(), "{ty} -> {target}: no state");
        let e = errors(&r);
        assert!(e.contains(says), "{says:?} is not in {e}");
        if target != "influxdb_nothing" {
            assert!(
                e.contains(ty)
                    && e.contains(INFLUXDB3)
                    && e.contains(&format!("schema version {version}")),
                "{e}"
            );
        }
    }
}
