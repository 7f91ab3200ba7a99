//! An InfluxDB v2 bucket: its state, its rules (names, retention, shard-group duration, schema
//! type) and the attributes its resource, data sources and list resource share.
//!
//! Durations are the provider's duration strings (`"30d"`), sent to the API in seconds. The
//! shard-group duration is the server's choice unless configured: InfluxDB OSS normalises it
//! on create (7 d for infinite or >= 180 d retention, 1 d for >= 2 d, else 1 h), and the
//! provider sends the same rule's value when the retention changes, because a PATCH stores
//! what it is sent and refuses a retention shorter than the shard group.

pub mod data_source;
pub mod data_sources;
pub mod list;
pub mod resource;

use serde::{Deserialize, Serialize};

use super::models::{Bucket, RetentionRule};
use crate::engine::Type;
use crate::influxdb::duration::{format_duration, parse_duration};

const NS: i64 = 1_000_000_000;
const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct BucketState {
    pub id: Option<String>,
    pub org_id: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub retention_period: Option<String>,
    pub shard_group_duration: Option<String>,
    pub schema_type: Option<String>,
    /// Resource only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_protection: Option<bool>,
    /// Data sources only: `user` or `system`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// A bucket name as InfluxDB accepts it: not empty, not starting with `_` (system buckets),
/// no `"`.
pub fn validate_name(s: &str) -> Result<(), String> {
    if s.trim().is_empty() {
        Err("A bucket name must not be empty.".into())
    } else if s.starts_with('_') {
        Err(format!("{s:?} starts with `_`, which InfluxDB keeps for system buckets (`_monitoring`, `_tasks`)."))
    } else if s.contains('"') {
        Err(format!(
            "{s:?} contains a double quote, which InfluxDB does not allow in bucket names."
        ))
    } else {
        Ok(())
    }
}

/// Whole seconds of a duration string; the error says what is wrong.
pub fn seconds(s: &str, attribute: &str) -> Result<i64, String> {
    let ns = parse_duration(s)
        .map_err(|e| format!("{attribute} = {s:?} is not a valid duration. {e}"))?;
    if ns % NS != 0 {
        return Err(format!(
            "{attribute} = {s:?} is not a whole number of seconds, which is what InfluxDB keeps."
        ));
    }
    Ok(ns / NS)
}

/// `retention_period`: 0 (keep forever) or at least one hour.
pub fn check_retention(s: &str) -> Result<(), String> {
    let secs = seconds(s, "retention_period")?;
    if secs != 0 && secs < HOUR {
        return Err(format!("retention_period = {s:?} is shorter than one hour, the shortest retention InfluxDB accepts. Use \"1h\" or more, or \"0s\" to keep data forever."));
    }
    Ok(())
}

/// `shard_group_duration`: at least one hour (InfluxDB raises shorter ones to one hour, which
/// would show as a change on every plan).
pub fn check_shard_group(s: &str) -> Result<(), String> {
    let secs = seconds(s, "shard_group_duration")?;
    if secs < HOUR {
        return Err(format!("shard_group_duration = {s:?} is shorter than one hour; InfluxDB would raise it to one hour. Use \"1h\" or more, or leave it unset for the server's choice."));
    }
    Ok(())
}

/// The shard-group duration InfluxDB OSS picks for a retention (`meta.shardGroupDuration`).
pub fn default_shard_group(retention_secs: i64) -> i64 {
    if retention_secs == 0 || retention_secs >= 180 * DAY {
        7 * DAY
    } else if retention_secs >= 2 * DAY {
        DAY
    } else {
        HOUR
    }
}

fn secs_to_string(secs: i64) -> String {
    format_duration(secs.saturating_mul(NS))
}

/// The state of a bucket as the API describes it (no rule: keep forever).
pub fn state_from(b: Bucket) -> BucketState {
    let rule = b
        .retention_rules
        .first()
        .cloned()
        .unwrap_or(RetentionRule::default());
    BucketState {
        id: Some(b.id),
        org_id: Some(b.org_id),
        name: Some(b.name),
        description: b.description.filter(|d| !d.is_empty()),
        retention_period: Some(secs_to_string(rule.every_seconds)),
        shard_group_duration: rule
            .shard_group_duration_seconds
            .filter(|s| *s > 0)
            .map(secs_to_string),
        schema_type: b.schema_type,
        deletion_protection: None,
        kind: b.kind,
    }
}

pub mod doc {
    pub const NAME: &str = "The bucket name, unique in its organization. Must not start with `_` (system buckets) nor contain `\"`.";
    pub const ORG_ID: &str = "The organization's ID (16 hexadecimal digits).";
    pub const RETENTION: &str = "How long data is kept, as a duration such as `\"30d\"`, `\"720h\"` or `\"1h30m\"` (units s, m, h, d, w); `\"0s\"` means forever. At least one hour.";
    pub const SHARD_GROUP: &str = "How much time each shard group covers (InfluxDB OSS only; Cloud Serverless does not use it), as a duration.";
    pub const SCHEMA_TYPE: &str = "`\"implicit\"` or `\"explicit\"` (InfluxDB Cloud only; null on OSS, which has no schema types).";
}

/// The attributes of one bucket in the data sources.
pub fn bucket_type() -> Type {
    Type::object([
        ("id", Type::String),
        ("org_id", Type::String),
        ("name", Type::String),
        ("description", Type::String),
        ("retention_period", Type::String),
        ("shard_group_duration", Type::String),
        ("schema_type", Type::String),
        ("type", Type::String),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retention_and_names_are_checked_as_influxdb_does() {
        assert!(check_retention("30d").is_ok());
        assert!(check_retention("0s").is_ok());
        assert!(check_retention("1h").is_ok());
        assert!(check_retention("59m").unwrap_err().contains("one hour"));
        assert!(check_retention("1.5h").is_err());
        assert!(validate_name("_tasks").is_err());
        assert!(validate_name("a\"b").is_err());
        assert!(validate_name("ok").is_ok());
        assert_eq!(default_shard_group(30 * DAY), DAY);
        assert_eq!(default_shard_group(0), 7 * DAY);
        assert_eq!(default_shard_group(HOUR), HOUR);
    }
}
