//! `komminarlabs/influxdb3` 1.x (InfluxDB 3 Cloud Dedicated), to 1.5.0: `influxdb3_database`
//! and `influxdb3_token`, moved with `moved` blocks (MoveResourceState). Both schemas are
//! version 0 (terraform-plugin-framework, no `Version`). The 1.x releases have no table
//! resource.
//!
//! Their database's `retention_period` is a number of nanoseconds (ours: a duration string);
//! their token is ours attribute for attribute, `access_token` (the token string) included.

use serde_json::{json, Value as J};

use super::values::{elements, integer, nanoseconds, object, required_text, text};
use super::{known_version, Migration};
use crate::engine::provider::StoredState;

const PROVIDER: &str = "komminarlabs/influxdb3";

pub static MIGRATIONS: &[Migration] = &[
    Migration {
        source_provider: PROVIDER,
        source_type: "influxdb3_database",
        target_type: "influxdb_database",
        recognise: moved_only,
        map: database,
    },
    Migration {
        source_provider: PROVIDER,
        source_type: "influxdb3_token",
        target_type: "influxdb_database_token",
        recognise: moved_only,
        map: token,
    },
];

/// Another type name: only a `moved` block brings these states here.
fn moved_only(_: &StoredState<'_>) -> bool {
    false
}

fn database(state: &StoredState<'_>) -> Result<J, String> {
    known_version(state, &[0])?;
    let m = object(&state.json)?;
    let retention = match integer(m, "retention_period")? {
        Some(ns) => nanoseconds(ns, "retention_period")?,
        None => J::Null,
    };
    let mut template = Vec::new();
    for part in elements(m, "partition_template")? {
        let p = object(part).map_err(|_| "`partition_template` holds a non-object".to_owned())?;
        template.push(json!({
            "type": required_text(p, "type")?,
            "value": required_text(p, "value")?,
        }));
    }
    Ok(json!({
        "name": required_text(m, "name")?,
        "max_tables": integer(m, "max_tables")?,
        "max_columns_per_table": integer(m, "max_columns_per_table")?,
        "retention_period": retention,
        "partition_template": if template.is_empty() { J::Null } else { J::Array(template) },
        "account_id": text(m, "account_id")?,
        "cluster_id": text(m, "cluster_id")?,
        "deletion_protection": false,
    }))
}

fn token(state: &StoredState<'_>) -> Result<J, String> {
    known_version(state, &[0])?;
    let m = object(&state.json)?;
    let mut permissions = Vec::new();
    for p in elements(m, "permissions")? {
        let p = object(p).map_err(|_| "`permissions` holds a non-object".to_owned())?;
        permissions.push(json!({
            "action": required_text(p, "action")?,
            "resource": required_text(p, "resource")?,
        }));
    }
    Ok(json!({
        "id": required_text(m, "id")?,
        "description": text(m, "description")?,
        "permissions": permissions,
        "expires_at": text(m, "expires_at")?,
        // Null when they imported the token (as ours after an import).
        "access_token": text(m, "access_token")?,
        "created_at": text(m, "created_at")?,
        "account_id": text(m, "account_id")?,
        "cluster_id": text(m, "cluster_id")?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(ty: &'static str, version: i64, json: J) -> StoredState<'static> {
        StoredState {
            source_provider: Some("registry.terraform.io/komminarlabs/influxdb3"),
            source_type: ty,
            source_version: version,
            target_type: "x",
            json,
        }
    }

    #[test]
    fn a_token_keeps_its_string_and_a_database_its_retention_as_a_duration() {
        let t = token(&stored(
            "influxdb3_token",
            0,
            json!({"id": "i", "access_token": "apiv1_secret", "description": "d",
                   "permissions": [{"action": "read", "resource": "db"}], "expires_at": null}),
        ))
        .unwrap();
        assert_eq!(t["access_token"], "apiv1_secret");
        assert_eq!(t["permissions"][0]["resource"], "db");
        let d = database(&stored(
            "influxdb3_database",
            0,
            json!({"name": "db", "retention_period": 2_592_000_000_000_000_i64, "max_tables": 500,
                   "partition_template": null}),
        ))
        .unwrap();
        assert_eq!(d["retention_period"], "30d");
        assert_eq!(d["partition_template"], J::Null);
    }

    #[test]
    fn a_token_without_its_id_or_of_another_version_is_refused() {
        let e = token(&stored("influxdb3_token", 0, json!({"access_token": "a"}))).unwrap_err();
        assert!(e.contains("`id`"), "{e}");
        let e = token(&stored("influxdb3_token", 1, json!({}))).unwrap_err();
        assert!(e.contains("schema version 1"), "{e}");
    }
}
