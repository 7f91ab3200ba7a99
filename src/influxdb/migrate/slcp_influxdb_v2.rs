//! `slcp/influxdb-v2` (InfluxDB OSS v2, to 0.5.3): `influxdb-v2_bucket` and
//! `influxdb-v2_authorization`, moved with `moved` blocks (MoveResourceState); their unreleased
//! `shard_group_duration_seconds = -1` (the server's choice) is read as unset. Both schemas are
//! version 0 (terraform-plugin-sdk v2, which also writes an `id` and `""` for an unset optional
//! string).
//!
//! Their bucket's retention is a set of `retention_rules` blocks in seconds (ours: the
//! `retention_period` and `shard_group_duration` duration strings); their permission's
//! `resource` is a set holding one block (ours: one nested object).

use serde_json::{json, Value as J};

use super::values::{self, elements, integer, object, required_text, seconds, text};
use super::{known_version, Migration};
use crate::engine::provider::StoredState;

const PROVIDER: &str = "slcp/influxdb-v2";

pub static MIGRATIONS: &[Migration] = &[
    Migration {
        source_provider: PROVIDER,
        source_type: "influxdb-v2_bucket",
        target_type: "influxdb_bucket",
        recognise: moved_only,
        map: bucket,
    },
    Migration {
        source_provider: PROVIDER,
        source_type: "influxdb-v2_authorization",
        target_type: "influxdb_authorization",
        recognise: moved_only,
        map: authorization,
    },
];

/// Another type name: only a `moved` block brings these states here.
fn moved_only(_: &StoredState<'_>) -> bool {
    false
}

fn bucket(state: &StoredState<'_>) -> Result<J, String> {
    known_version(state, &[0])?;
    let m = object(&state.json)?;
    let rules = elements(m, "retention_rules")?;
    let (retention, shard_group) = match rules {
        [] => (J::Null, J::Null),
        [rule] => {
            let r = object(rule).map_err(|_| "`retention_rules` holds a non-object".to_owned())?;
            let every =
                integer(r, "every_seconds")?.ok_or("`retention_rules.every_seconds` is missing")?;
            let shard = match integer(r, "shard_group_duration_seconds")? {
                Some(s) if s > 0 => seconds(s, "retention_rules.shard_group_duration_seconds")?,
                _ => J::Null,
            };
            (seconds(every, "retention_rules.every_seconds")?, shard)
        }
        _ => {
            return Err(format!(
                "`retention_rules` holds {} rules; a bucket has at most one",
                rules.len()
            ))
        }
    };
    values::bucket(m, retention, &[("shard_group_duration", shard_group)])
}

fn authorization(state: &StoredState<'_>) -> Result<J, String> {
    known_version(state, &[0])?;
    let m = object(&state.json)?;
    let mut permissions = Vec::new();
    for p in elements(m, "permissions")? {
        let p = object(p).map_err(|_| "`permissions` holds a non-object".to_owned())?;
        let resource = match elements(p, "resource")? {
            [r] => object(r).map_err(|_| "`permissions.resource` holds a non-object".to_owned())?,
            other => {
                return Err(format!(
                    "a permission's `resource` holds {} blocks; exactly one is read",
                    other.len()
                ))
            }
        };
        permissions.push(json!({
            "action": required_text(p, "action")?,
            "resource": {
                "type": required_text(resource, "type")?,
                "id": text(resource, "id")?,
                "name": J::Null,
                "org_id": text(resource, "org_id")?,
            },
        }));
    }
    values::authorization(m, &[], permissions)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(ty: &'static str, json: J) -> StoredState<'static> {
        StoredState {
            source_provider: Some("registry.terraform.io/slcp/influxdb-v2"),
            source_type: ty,
            source_version: 0,
            target_type: "x",
            json,
        }
    }

    #[test]
    fn a_bucket_takes_its_retention_rule_as_durations() {
        let b = bucket(&stored(
            "influxdb-v2_bucket",
            json!({"id": "b", "name": "n", "org_id": "o", "description": "",
                   "retention_rules": [{"every_seconds": 86400, "shard_group_duration_seconds": 0, "type": "expire"}]}),
        ))
        .unwrap();
        assert_eq!(b["retention_period"], "1d");
        assert_eq!(b["shard_group_duration"], J::Null);
        assert_eq!(b["description"], J::Null);
        // After 0.5.3 (unreleased) -1 means the server's choice: null, as 0.
        let b = bucket(&stored(
            "influxdb-v2_bucket",
            json!({"id": "b", "name": "n",
                   "retention_rules": [{"every_seconds": 0, "shard_group_duration_seconds": -1}]}),
        ))
        .unwrap();
        assert_eq!(
            (&b["retention_period"], &b["shard_group_duration"]),
            (&json!("0s"), &J::Null)
        );
    }

    #[test]
    fn an_authorization_keeps_its_token_and_its_one_resource_block() {
        let a = authorization(&stored(
            "influxdb-v2_authorization",
            json!({"id": "a", "token": "tok==", "org_id": "o", "status": "active",
                   "permissions": [{"action": "write", "resource": [{"id": "b", "org_id": "o", "org": "", "type": "buckets"}]}]}),
        ))
        .unwrap();
        assert_eq!(a["token"], "tok==");
        assert_eq!(a["permissions"][0]["resource"]["id"], "b");
        let two =
            json!({"id": "a", "token": "t", "permissions": [{"action": "read", "resource": []}]});
        assert!(authorization(&stored("influxdb-v2_authorization", two))
            .unwrap_err()
            .contains("`resource`"));
    }
}
