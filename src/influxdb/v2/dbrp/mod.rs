//! A DBRP mapping of InfluxDB OSS v2 / Cloud Serverless: an InfluxQL database and retention
//! policy mapped to a bucket, so that 1.x clients (Grafana's InfluxQL data source, Telegraf's
//! `influxdb` output) reach the bucket. Its state and the server's *default rule*, which the
//! provider models so that it never shows as a diff.
//!
//! The default rule (InfluxDB 2.7 `dbrp/service.go`): a database has exactly one default
//! mapping, the one InfluxQL uses when a query names no retention policy.
//! - the first mapping of a database is its default, whatever the create asked;
//! - a new or updated mapping asking to be the default takes it over from the old one, which
//!   stops being the default (no error);
//! - un-defaulting a mapping hands the default to another mapping of the database; when there
//!   is none, the PATCH is ignored although its answer says `default: false`;
//! - deleting the default mapping hands the default to another one.
//!
//! So `default` is what the configuration asks: `true` means "this mapping must be the
//! default" (a default taken away outside Terraform is shown and put back); `false` (unset)
//! means "leave it to the server": the server may still make this mapping the default, which
//! is never a diff. `is_default` says what the server says now. Virtual mappings (the server's
//! own, one per bucket, with the bucket's ID) are not managed.

pub mod list;
pub mod resource;

use serde::{Deserialize, Serialize};

use super::models_influxql::Dbrp;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct DbrpState {
    pub id: Option<String>,
    pub org_id: Option<String>,
    pub bucket_id: Option<String>,
    pub database: Option<String>,
    pub retention_policy: Option<String>,
    pub default: Option<bool>,
    pub is_default: Option<bool>,
    #[serde(rename = "virtual")]
    pub is_virtual: Option<bool>,
}

/// The state of mapping `d` for a configuration that asks `asked_default`: when it asks for
/// the default, `default` is the server's answer (so that a default taken away shows);
/// otherwise it stays `false`, whatever the server chose.
pub fn state_from(d: Dbrp, asked_default: bool) -> DbrpState {
    DbrpState {
        id: Some(d.id),
        org_id: Some(d.org_id),
        bucket_id: Some(d.bucket_id),
        database: Some(d.database),
        retention_policy: Some(d.retention_policy),
        default: Some(asked_default && d.default),
        is_default: Some(d.default),
        is_virtual: Some(d.is_virtual),
    }
}

/// A database or retention policy name as InfluxDB accepts it (`DBRPMapping.Validate`):
/// printable, not empty, not `.` or `..`, without `/` or `\`.
pub fn validate_name(s: &str) -> Result<(), String> {
    if s.is_empty() || s == "." || s == ".." {
        Err(format!(
            "{s:?} is not a name InfluxDB accepts (empty, `.` and `..` are not)."
        ))
    } else if s.contains(['/', '\\']) {
        Err(format!("{s:?} contains `/` or `\\`, which InfluxDB does not allow here (a bucket named `db/rp` is mapped by the server itself, as a virtual mapping)."))
    } else if s.chars().any(|c| c.is_control()) {
        Err(format!(
            "{s:?} contains a control character, which InfluxDB does not allow."
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dbrp(default: bool) -> Dbrp {
        Dbrp {
            id: "00000000000000d1".into(),
            database: "telegraf".into(),
            retention_policy: "autogen".into(),
            default,
            org_id: "00000000000000a1".into(),
            bucket_id: "00000000000000b1".into(),
            is_virtual: false,
        }
    }

    #[test]
    fn a_default_the_server_chose_is_not_what_the_configuration_asked() {
        let s = state_from(dbrp(true), false);
        assert_eq!((s.default, s.is_default), (Some(false), Some(true)));
        let s = state_from(dbrp(false), true);
        assert_eq!(
            (s.default, s.is_default),
            (Some(false), Some(false)),
            "a default taken away shows"
        );
        let s = state_from(dbrp(true), true);
        assert_eq!((s.default, s.is_default), (Some(true), Some(true)));
    }

    #[test]
    fn names_follow_the_servers_rule() {
        for ok in ["telegraf", "my db", "a.b", "autogen"] {
            assert!(validate_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", ".", "..", "a/b", "a\\b", "a\nb"] {
            assert!(validate_name(bad).is_err(), "{bad:?}");
        }
    }
}
