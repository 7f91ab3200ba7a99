//! The states of `DrFaust92/influxdb` (a fork of the archived `hashicorp/influxdb`, version
//! 1.6.1 and its predecessors), read after `terraform state replace-provider` so that a
//! workspace managing InfluxDB 1.x switches with an empty plan.
//!
//! That provider (plugin SDK v2, schema version 0) writes:
//! - `influxdb_database`: `id` = the name, `name`, `retention_policies` (a set of
//!   `{name, duration, replication, shardgroupduration, default}`, `shardgroupduration`
//!   defaulting to `1h0m0s`);
//! - `influxdb_user`: `id` = the name, `name`, `password` (its SHA-256 in hexadecimal, since its
//!   1.0.3), `admin`, `grant` (a set of `{database, privilege}`, privileges in capitals);
//! - `influxdb_continuous_query`: `id` = `NAME:DATABASE`, `name`, `database`, `query`,
//!   `resample` (`""` when unset).
//!
//! Each is recognised by what our own state always has and theirs lacks (the attributes only
//! this provider declares; Terraform writes every attribute of the schema, null or not). An
//! empty set of grants becomes null (an unset argument here), no policy blocks an empty list;
//! the stored password hash is kept, so the next plan shows a password-only update, and
//! applying it sets the same password again.

use serde_json::{json, Map, Value as J};

use super::Migration;
use crate::engine::provider::StoredState;

const SOURCE: &str = "drfaust92/influxdb";

/// The three types of `DrFaust92/influxdb`.
pub static DRFAUST92: &[Migration] = &[
    Migration {
        source_provider: SOURCE,
        source_type: "influxdb_database",
        target_type: "influxdb_database",
        recognise: |s| theirs(s, "retention_policies", "deletion_protection"),
        map: database,
    },
    Migration {
        source_provider: SOURCE,
        source_type: "influxdb_user",
        target_type: "influxdb_user",
        recognise: |s| theirs(s, "grant", "password_wo_version"),
        map: user,
    },
    Migration {
        source_provider: SOURCE,
        source_type: "influxdb_continuous_query",
        target_type: "influxdb_continuous_query",
        recognise: |s| {
            s.source_version == 0
                && s.json.get("resample").is_some()
                && s.json.get("id").and_then(J::as_str)
                    == Some(&format!(
                        "{}:{}",
                        text(&s.json, "name"),
                        text(&s.json, "database")
                    ))
        },
        map: continuous_query,
    },
];

/// A version-0 state that has `their_key` and lacks `our_key`.
fn theirs(s: &StoredState<'_>, their_key: &str, our_key: &str) -> bool {
    s.source_version == 0 && s.json.get(their_key).is_some() && s.json.get(our_key).is_none()
}

fn text<'a>(j: &'a J, key: &str) -> &'a str {
    j.get(key).and_then(J::as_str).unwrap_or("")
}

fn name(j: &J) -> Result<String, String> {
    match j.get("name").and_then(J::as_str) {
        Some(n) if !n.is_empty() => Ok(n.to_owned()),
        _ => Err("it has no `name`".into()),
    }
}

/// A set of objects, each keeping `keys`; an empty or absent set is null (what an unset
/// attribute is here). See [`blocks_of`] for a nested block.
fn set_of(j: Option<&J>, keys: &[&str]) -> J {
    match blocks_of(j, keys) {
        J::Array(a) if a.is_empty() => J::Null,
        other => other,
    }
}

/// Nested blocks (`retention_policies`), each keeping `keys`; none is an empty list, as
/// Terraform writes a block that is not there.
fn blocks_of(j: Option<&J>, keys: &[&str]) -> J {
    let items: Vec<J> = j
        .and_then(J::as_array)
        .map(|a| {
            a.iter()
                .map(|o| {
                    let m: Map<String, J> = keys
                        .iter()
                        .map(|k| (k.to_string(), o.get(*k).cloned().unwrap_or(J::Null)))
                        .collect();
                    J::Object(m)
                })
                .collect()
        })
        .unwrap_or_default();
    J::Array(items)
}

fn database(s: &StoredState<'_>) -> Result<J, String> {
    let name = name(&s.json)?;
    Ok(json!({
        "id": name,
        "name": name,
        "retention_policies": blocks_of(
            s.json.get("retention_policies"),
            &["name", "duration", "replication", "shardgroupduration", "default"],
        ),
        "deletion_protection": false,
    }))
}

fn user(s: &StoredState<'_>) -> Result<J, String> {
    let name = name(&s.json)?;
    Ok(json!({
        "id": name,
        "name": name,
        // The SHA-256 that provider stored: the next plan shows it differs from the
        // configured password, and the update sets the password again.
        "password": s.json.get("password").cloned().unwrap_or(J::Null),
        "admin": s.json.get("admin").and_then(J::as_bool).unwrap_or(false),
        "grant": set_of(s.json.get("grant"), &["database", "privilege"]),
    }))
}

fn continuous_query(s: &StoredState<'_>) -> Result<J, String> {
    let name = name(&s.json)?;
    let database = text(&s.json, "database");
    if database.is_empty() {
        return Err("it has no `database`".into());
    }
    let resample = match text(&s.json, "resample") {
        "" => J::Null,
        r => J::String(r.to_owned()),
    };
    Ok(json!({
        "id": format!("{database}:{name}"),
        "name": name,
        "database": database,
        "query": s.json.get("query").cloned().unwrap_or(J::Null),
        "resample": resample,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored<'a>(ty: &'a str, json: J) -> StoredState<'a> {
        StoredState {
            source_provider: None,
            source_type: ty,
            source_version: 0,
            target_type: ty,
            json,
        }
    }

    fn find(ty: &str, s: &StoredState<'_>) -> Option<&'static Migration> {
        DRFAUST92
            .iter()
            .find(|m| m.target_type == ty && (m.recognise)(s))
    }

    #[test]
    fn a_user_keeps_its_hash_and_grants_and_ours_is_not_touched() {
        let s = stored(
            "influxdb_user",
            json!({"id": "app", "name": "app", "password": "5e88", "admin": false,
                   "grant": [{"database": "metrics", "privilege": "READ"}]}),
        );
        let m = find("influxdb_user", &s).expect("recognised");
        let j = (m.map)(&s).unwrap();
        assert_eq!(j["password"], "5e88");
        assert_eq!(j["grant"][0]["privilege"], "READ");
        let ours = stored(
            "influxdb_user",
            json!({"id": "app", "name": "app", "grant": null, "password_wo_version": null}),
        );
        assert!(find("influxdb_user", &ours).is_none());
        let empty = stored(
            "influxdb_user",
            json!({"id": "a", "name": "a", "password": "x", "admin": true, "grant": []}),
        );
        assert!((m.map)(&empty).unwrap()["grant"].is_null());
    }

    #[test]
    fn a_continuous_query_gets_our_id_and_an_unset_resample() {
        let s = stored(
            "influxdb_continuous_query",
            json!({"id": "cq:metrics", "name": "cq", "database": "metrics",
                   "query": "SELECT 1", "resample": ""}),
        );
        let m = find("influxdb_continuous_query", &s).expect("recognised");
        let j = (m.map)(&s).unwrap();
        assert_eq!(j["id"], "metrics:cq");
        assert!(j["resample"].is_null());
        let ours = stored(
            "influxdb_continuous_query",
            json!({"id": "metrics:cq", "name": "cq", "database": "metrics", "resample": null}),
        );
        assert!(find("influxdb_continuous_query", &ours).is_none());
    }

    #[test]
    fn a_database_keeps_its_policies() {
        let s = stored(
            "influxdb_database",
            json!({"id": "metrics", "name": "metrics", "retention_policies": [
                {"name": "short", "duration": "1d", "replication": 1,
                 "shardgroupduration": "1h0m0s", "default": true}]}),
        );
        let m = find("influxdb_database", &s).expect("recognised");
        let j = (m.map)(&s).unwrap();
        assert_eq!(j["retention_policies"][0]["shardgroupduration"], "1h0m0s");
        assert_eq!(j["deletion_protection"], false);
    }
}
