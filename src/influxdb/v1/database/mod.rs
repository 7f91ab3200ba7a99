//! A database of InfluxDB 1.x with its retention policies: the state (the block names of the
//! `DrFaust92/influxdb` provider, so its configurations move over as they are), how it is read
//! from the server's rows, the InfluxQL that creates, alters and drops its policies, and the
//! descriptions its resource and data sources share. The Terraform type `influxdb_database` is
//! shared with the Management API and InfluxDB 3 Core (see [`crate::influxdb::dispatch`]).
//!
//! The `autogen` policy the server makes with every database is not part of the state unless
//! the configuration declares it, so it is never drift; a policy made outside Terraform is
//! never dropped by it.

pub mod data_source;
pub mod data_sources;
pub mod resource;

use serde::{Deserialize, Serialize};

use super::influxql::{duration_literal, duration_ns, quote_ident, same_duration};
use super::models::{DatabaseRow, RetentionPolicyRow};

/// The policy `CREATE DATABASE` makes by itself.
pub const AUTOGEN: &str = "autogen";

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct DatabaseState {
    pub name: Option<String>,
    pub retention_policies: Option<Vec<PolicyState>>,
    /// Resource only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_protection: Option<bool>,
}

/// One `retention_policies` block.
#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct PolicyState {
    pub name: Option<String>,
    pub duration: Option<String>,
    pub replication: Option<i64>,
    pub shardgroupduration: Option<String>,
    pub default: Option<bool>,
}

impl PolicyState {
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or_default()
    }

    /// The policy as the server describes it.
    pub fn from_row(row: &RetentionPolicyRow) -> PolicyState {
        PolicyState {
            name: Some(row.name.clone()),
            duration: Some(row.duration.clone()),
            replication: Some(row.replication),
            shardgroupduration: Some(row.shard_group_duration.clone()),
            default: Some(row.default),
        }
    }

    /// The server's policy, in `mine`'s spelling of the durations they both mean.
    pub fn from_row_as(row: &RetentionPolicyRow, mine: &PolicyState) -> PolicyState {
        let keep = |m: &Option<String>, theirs: &str| match m {
            Some(m) if same_duration(m, theirs) => Some(m.clone()),
            _ => Some(theirs.to_owned()),
        };
        PolicyState {
            name: Some(row.name.clone()),
            duration: keep(&mine.duration, &row.duration),
            replication: Some(row.replication),
            shardgroupduration: keep(&mine.shardgroupduration, &row.shard_group_duration),
            default: Some(row.default),
        }
    }

    /// Whether the server's `row` is this policy (durations compared by value; an unknown
    /// shard group duration is the server's choice).
    pub fn matches(&self, row: &RetentionPolicyRow) -> bool {
        self.duration
            .as_deref()
            .is_some_and(|d| same_duration(d, &row.duration))
            && self.replication.unwrap_or(1) == row.replication
            && self
                .shardgroupduration
                .as_deref()
                .is_none_or(|s| same_duration(s, &row.shard_group_duration))
            && (self.default != Some(true) || row.default)
    }

    /// ` DURATION 180d REPLICATION 1 SHARD DURATION 1d DEFAULT`: the policy's settings in a
    /// statement; `make_default` adds `DEFAULT`.
    fn settings(&self, make_default: bool) -> String {
        let ns = self
            .duration
            .as_deref()
            .and_then(|d| duration_ns(d).ok())
            .unwrap_or(0);
        let mut s = format!(
            " DURATION {} REPLICATION {}",
            duration_literal(ns),
            self.replication.unwrap_or(1)
        );
        if let Some(sg) = self
            .shardgroupduration
            .as_deref()
            .and_then(|d| duration_ns(d).ok())
            .filter(|ns| *ns > 0)
        {
            s.push_str(&format!(" SHARD DURATION {}", duration_literal(sg)));
        }
        if make_default {
            s.push_str(" DEFAULT");
        }
        s
    }

    /// `CREATE RETENTION POLICY`, sent again harmlessly (the server accepts a policy that
    /// exists with the same settings).
    pub fn create(&self, db: &str) -> String {
        format!(
            "CREATE RETENTION POLICY {} ON {}{}",
            quote_ident(self.name()),
            quote_ident(db),
            self.settings(self.default == Some(true))
        )
    }

    /// `ALTER RETENTION POLICY` to these settings.
    pub fn alter(&self, db: &str, make_default: bool) -> String {
        format!(
            "ALTER RETENTION POLICY {} ON {}{}",
            quote_ident(self.name()),
            quote_ident(db),
            self.settings(make_default)
        )
    }

    pub fn drop(&self, db: &str) -> String {
        format!(
            "DROP RETENTION POLICY {} ON {}",
            quote_ident(self.name()),
            quote_ident(db)
        )
    }
}

/// The statements that make `planned`'s policies on the server hold what it says, given
/// the server's `current` policies (`None` for a database being created, which has only
/// `autogen`). `known`: the policies the state holds (Terraform's), the only ones dropped
/// when the configuration no longer declares them.
pub fn policy_statements(
    db: &str,
    planned: &[PolicyState],
    current: Option<&[RetentionPolicyRow]>,
    known: &[PolicyState],
) -> Vec<String> {
    let mut out = Vec::new();
    for p in planned {
        let on_server = match current {
            Some(rows) => rows.iter().find(|r| r.name == p.name()),
            // A new database: `autogen` exists, as the server made it.
            None => None,
        };
        let exists = on_server.is_some() || (current.is_none() && p.name() == AUTOGEN);
        match on_server {
            Some(row) if p.matches(row) => {}
            Some(row) => out.push(p.alter(db, p.default == Some(true) && !row.default)),
            None if exists => out.push(p.alter(db, p.default == Some(true))),
            None => out.push(p.create(db)),
        }
    }
    for k in known {
        let still = planned.iter().any(|p| p.name() == k.name());
        let on_server = current.is_none_or(|rows| rows.iter().any(|r| r.name == k.name()));
        if !still && on_server {
            out.push(k.drop(db));
        }
    }
    out
}

/// The state of `row` for the policies `mine` declares (in `mine`'s order and spelling); the
/// server's other policies are left out (never drift, never dropped). A declared policy the
/// server lacks is left out too, so the plan shows it and the apply makes it again.
pub fn policies_as(row: &DatabaseRow, mine: &[PolicyState]) -> Vec<PolicyState> {
    mine.iter()
        .filter_map(|m| {
            row.policies
                .iter()
                .find(|r| r.name == m.name())
                .map(|r| PolicyState::from_row_as(r, m))
        })
        .collect()
}

/// The policies of an imported database: every one but `autogen`.
pub fn imported_policies(row: &DatabaseRow) -> Vec<PolicyState> {
    row.policies
        .iter()
        .filter(|r| r.name != AUTOGEN)
        .map(PolicyState::from_row)
        .collect()
}

/// The descriptions shared by the resource and the data sources.
pub mod doc {
    pub const NAME: &str = "The database name. Any text without a line break: it is quoted in every statement, so names such as `we\"ird 'name` work.";
    pub const POLICIES: &str = "The database's retention policies (the same blocks as the `DrFaust92/influxdb` provider). Created, altered (`ALTER RETENTION POLICY`) and dropped in place: a changed duration never recreates the database or loses its data. The `autogen` policy the server makes with every database is not managed unless declared here; a policy made outside Terraform is left alone.";
    pub const POLICY_NAME: &str = "The policy name (any text without a line break).";
    pub const DURATION: &str = "How long data is kept, as an InfluxQL duration: `\"30d\"`, `\"4320h0m0s\"` (what the server answers), `\"2w\"`, or `\"INF\"` (also `\"0s\"`) for ever. At least one hour. Compared by value, so `\"180d\"` and `\"4320h0m0s\"` are no change.";
    pub const REPLICATION: &str =
        "How many copies of the data a cluster keeps (InfluxDB Enterprise); 1 on OSS. Default 1.";
    pub const SHARD: &str = "The time range of each shard group, such as `\"1d\"`. Unset: the server's choice (from the duration), kept and never shown as a change.";
    pub const DEFAULT: &str = "Whether writes and queries that name no policy use this one. Making another policy the default is the only way a policy stops being it (InfluxQL has no \"not default\"), so set `default = true` on the policy that should be. Default `false`.";
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, duration: &str, default: bool) -> RetentionPolicyRow {
        RetentionPolicyRow {
            name: name.into(),
            duration: duration.into(),
            shard_group_duration: "24h0m0s".into(),
            replication: 1,
            default,
        }
    }

    fn policy(name: &str, duration: &str, default: bool) -> PolicyState {
        PolicyState {
            name: Some(name.into()),
            duration: Some(duration.into()),
            replication: Some(1),
            shardgroupduration: None,
            default: Some(default),
        }
    }

    #[test]
    fn a_new_database_creates_its_policies_and_alters_autogen() {
        let s = policy_statements(
            "db",
            &[policy("long", "180d", true), policy(AUTOGEN, "30d", false)],
            None,
            &[],
        );
        assert_eq!(
            s,
            vec![
                "CREATE RETENTION POLICY \"long\" ON \"db\" DURATION 180d REPLICATION 1 DEFAULT",
                "ALTER RETENTION POLICY \"autogen\" ON \"db\" DURATION 30d REPLICATION 1",
            ]
        );
    }

    #[test]
    fn only_differences_are_sent_and_only_known_policies_dropped() {
        let current = [
            row("long", "4320h0m0s", true),
            row("other", "0s", false),
            row("gone", "0s", false),
        ];
        let known = [policy("long", "180d", true), policy("gone", "INF", false)];
        let s = policy_statements(
            "db",
            &[policy("long", "180d", true)],
            Some(&current),
            &known,
        );
        assert_eq!(s, vec!["DROP RETENTION POLICY \"gone\" ON \"db\""]);
        let s = policy_statements("db", &[policy("long", "90d", true)], Some(&current), &[]);
        assert_eq!(
            s,
            vec!["ALTER RETENTION POLICY \"long\" ON \"db\" DURATION 90d REPLICATION 1"]
        );
    }

    #[test]
    fn reads_keep_the_configured_spelling_and_skip_undeclared_policies() {
        let db = DatabaseRow {
            name: "db".into(),
            policies: vec![row("autogen", "0s", false), row("long", "4320h0m0s", true)],
        };
        let got = policies_as(
            &db,
            &[policy("long", "180d", true), policy("missing", "1d", false)],
        );
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].duration.as_deref(), Some("180d"));
        assert_eq!(got[0].shardgroupduration.as_deref(), Some("24h0m0s"));
        assert_eq!(imported_policies(&db).len(), 1);
    }
}
