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

use super::values::{elements, object, required_text, text};
use super::{known_version, Migration};
use crate::engine::provider::StoredState;

const PROVIDER: &str = "drfaust92/influxdb";

pub static MIGRATIONS: &[Migration] = &[
    Migration {
        source_provider: PROVIDER,
        source_type: "influxdb_database",
        target_type: "influxdb_database",
        recognise: with_policies,
        map: database,
    },
    Migration {
        source_provider: PROVIDER,
        source_type: "influxdb_user",
        target_type: "influxdb_user",
        recognise: with_grants,
        map: user,
    },
    Migration {
        source_provider: PROVIDER,
        source_type: "influxdb_continuous_query",
        target_type: "influxdb_continuous_query",
        recognise: id_name_first,
        map: continuous_query,
    },
];

/// Their database: `retention_policies` and no `deletion_protection`, which every state of
/// ours holds (null or not).
fn with_policies(s: &StoredState<'_>) -> bool {
    theirs(s, "retention_policies", "deletion_protection")
}

/// Their user: `grant` and no `password_wo_version`, which every state of ours holds.
fn with_grants(s: &StoredState<'_>) -> bool {
    theirs(s, "grant", "password_wo_version")
}

/// Their continuous query: an `id` of `NAME:DATABASE` (ours is `DATABASE:NAME`).
fn id_name_first(s: &StoredState<'_>) -> bool {
    let field = |k: &str| s.json.get(k).and_then(J::as_str).unwrap_or("");
    s.source_version == 0
        && s.json.get("resample").is_some()
        && field("id") == format!("{}:{}", field("name"), field("database"))
}

/// A version-0 state that has `their_key` and lacks `our_key`.
fn theirs(s: &StoredState<'_>, their_key: &str, our_key: &str) -> bool {
    s.source_version == 0 && s.json.get(their_key).is_some() && s.json.get(our_key).is_none()
}

/// Nested objects of `key` (a set of blocks), each keeping `keys`: none is an empty list, as
/// Terraform writes a block that is not there.
fn blocks(m: &Map<String, J>, key: &str, keys: &[&str]) -> Result<Vec<J>, String> {
    elements(m, key)?
        .iter()
        .map(|o| {
            let o = o
                .as_object()
                .ok_or_else(|| format!("an element of `{key}` is not an object"))?;
            Ok(J::Object(
                keys.iter()
                    .map(|k| (k.to_string(), o.get(*k).cloned().unwrap_or(J::Null)))
                    .collect(),
            ))
        })
        .collect()
}

fn database(s: &StoredState<'_>) -> Result<J, String> {
    known_version(s, &[0])?;
    let m = object(&s.json)?;
    let name = required_text(m, "name")?;
    let policies = blocks(
        m,
        "retention_policies",
        &[
            "name",
            "duration",
            "replication",
            "shardgroupduration",
            "default",
        ],
    )?;
    // Their `id` (the name) has no attribute here: the name is the database's identity.
    Ok(json!({
        "name": name,
        "retention_policies": policies,
        "deletion_protection": false,
    }))
}

fn user(s: &StoredState<'_>) -> Result<J, String> {
    known_version(s, &[0])?;
    let m = object(&s.json)?;
    let name = required_text(m, "name")?;
    let grants = blocks(m, "grant", &["database", "privilege"])?;
    Ok(json!({
        "id": name,
        "name": name,
        // The SHA-256 that provider stored: the next plan shows it differs from the
        // configured password, and the update sets the password again.
        "password": text(m, "password")?,
        "admin": m.get("admin").and_then(J::as_bool).unwrap_or(false),
        // An empty set of grants is an unset argument here.
        "grant": if grants.is_empty() { J::Null } else { J::Array(grants) },
    }))
}

fn continuous_query(s: &StoredState<'_>) -> Result<J, String> {
    known_version(s, &[0])?;
    let m = object(&s.json)?;
    let name = required_text(m, "name")?;
    let database = required_text(m, "database")?;
    Ok(json!({
        "id": format!("{}:{}", database.as_str().unwrap_or(""), name.as_str().unwrap_or("")),
        "name": name,
        "database": database,
        "query": text(m, "query")?,
        "resample": text(m, "resample")?,
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
        MIGRATIONS
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
