//! A database of InfluxDB 3 Core/Enterprise: its state, how it is read from a
//! `system.databases` row, how a retention period is sent, and the descriptions its resource,
//! data sources and list resource share. The Terraform type `influxdb_database` is shared with
//! the Management API (Cloud Dedicated/Clustered): the attributes both have (`name`,
//! `retention_period`, `deletion_protection`) have the same types here (see
//! [`crate::influxdb::dispatch`]).

pub mod data_source;
pub mod data_sources;
pub mod list;
pub mod resource;

use serde::{Deserialize, Serialize};

use super::models::DatabaseRow;
use crate::influxdb::duration::{format_duration, parse_duration};

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct DatabaseState {
    pub name: Option<String>,
    pub retention_period: Option<String>,
    /// Resource only (the data sources have no such attribute).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_protection: Option<bool>,
    /// Resource only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hard_delete: Option<bool>,
}

/// The state of a database as `system.databases` describes it: no retention is `None`
/// (data kept forever).
pub fn state_from_row(row: &DatabaseRow) -> DatabaseState {
    DatabaseState {
        name: Some(row.database_name.clone()),
        retention_period: row
            .retention_period_ns
            .filter(|ns| *ns > 0)
            .map(|ns| format_duration(i64::try_from(ns).unwrap_or(i64::MAX))),
        deletion_protection: None,
        hard_delete: None,
    }
}

/// A configured retention as the API takes it (a humantime string such as `30d`); `None` for
/// unset or `"0s"`, which both mean forever (the server has no "0" retention).
pub fn retention_for_api(s: Option<&str>) -> Result<Option<String>, String> {
    match s.map(parse_duration) {
        None => Ok(None),
        Some(Err(e)) => Err(e),
        Some(Ok(0)) => Ok(None),
        Some(Ok(ns)) => Ok(Some(format_duration(ns))),
    }
}

/// Nanoseconds of a retention, 0 for forever.
pub fn retention_ns(s: Option<&str>) -> Option<i64> {
    match s {
        None => Some(0),
        Some(s) => parse_duration(s).ok(),
    }
}

/// The server's rule for database names (`validate_db_name`), checked at plan.
pub fn validate_name(s: &str) -> Result<(), String> {
    let Some(first) = s.chars().next() else {
        return Err("The database name is empty.".into());
    };
    if s.len() > 511 {
        return Err(format!(
            "The database name is {} bytes long; the most is 511.",
            s.len()
        ));
    }
    if !first.is_ascii_alphanumeric() {
        return Err(format!(
            "The database name {s:?} must start with a letter or a digit."
        ));
    }
    if s.matches('/').count() > 1 || s.ends_with('/') {
        return Err(format!(
            "The database name {s:?} may hold one `/` (the `db/rp` form), not at its end."
        ));
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '/')))
    {
        return Err(format!(
            "The database name {s:?} contains {c:?}; use letters, digits, `_` and `-`."
        ));
    }
    Ok(())
}

/// The descriptions shared by the resource and the data sources.
pub mod doc {
    pub const NAME: &str = "The database name: letters, digits, `_` and `-` (and at most one `/`), starting with a letter or digit, at most 511 bytes. Names are case-sensitive.";
    pub const RETENTION: &str = "How long data is kept, as a duration such as `\"30d\"`, `\"720h\"` or `\"1h30m\"` (units ns, us, ms, s, m, h, d, w). Null (or `\"0s\"`) means forever.";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retention_reads_and_writes_in_the_shared_syntax() {
        let row = DatabaseRow {
            database_name: "a".into(),
            retention_period_ns: Some(30 * 86_400 * 1_000_000_000),
            deleted: false,
        };
        assert_eq!(
            state_from_row(&row).retention_period.as_deref(),
            Some("30d")
        );
        let forever = DatabaseRow {
            retention_period_ns: None,
            ..row
        };
        assert_eq!(state_from_row(&forever).retention_period, None);
        assert_eq!(retention_for_api(Some("720h")), Ok(Some("30d".into())));
        assert_eq!(retention_for_api(Some("0s")), Ok(None));
        assert_eq!(retention_for_api(None), Ok(None));
        assert!(retention_for_api(Some("1.5h")).is_err());
        assert_eq!(retention_ns(None), Some(0));
        assert_eq!(retention_ns(Some("0s")), Some(0));
    }

    #[test]
    fn names_follow_the_server_rules() {
        assert!(validate_name("sensors_1-a").is_ok());
        assert!(validate_name("db/rp").is_ok());
        for bad in ["", "_x", "-x", "a b", "a/b/c", "a/", "é"] {
            assert!(validate_name(bad).is_err(), "{bad}");
        }
    }
}
