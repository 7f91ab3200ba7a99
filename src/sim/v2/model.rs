//! What the OSS v2 family keeps, written from the v2 OpenAPI and the InfluxDB 2.x sources:
//! organizations, users, buckets and authorizations with their permissions, and InfluxDB's
//! rule for when a held permission allows another.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The resource types of InfluxDB OSS 2.7 (`GET /api/v2/resources`).
pub const RESOURCE_TYPES: &[&str] = &[
    "authorizations",
    "buckets",
    "dashboards",
    "orgs",
    "sources",
    "tasks",
    "telegrafs",
    "users",
    "variables",
    "scrapers",
    "secrets",
    "labels",
    "views",
    "documents",
    "notificationRules",
    "notificationEndpoints",
    "checks",
    "dbrp",
    "notebooks",
    "annotations",
    "remotes",
    "replications",
    "instance",
];

/// What a permission is about: a type, and optionally one org's or one object's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    /// One of [`RESOURCE_TYPES`].
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Filled in by the server for a bucket ID; never stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "orgID", default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// Filled in by the server from `orgID`; never stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<String>,
}

/// `{action, resource}`, `action` being `read` or `write`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permission {
    pub action: String,
    pub resource: Resource,
}

impl Permission {
    /// A permission on `kind`, in `org_id` if any, on the object `id` if any.
    pub fn new(action: &str, kind: &str, org_id: Option<&str>, id: Option<&str>) -> Permission {
        Permission {
            action: action.into(),
            resource: Resource {
                kind: kind.into(),
                id: id.map(Into::into),
                name: None,
                org_id: org_id.map(Into::into),
                org: None,
            },
        }
    }

    /// InfluxDB's `Permission.Matches`: does this held permission allow `want`? Type and
    /// action equal; then no org and no ID = every one; an org = everything of the org; an ID
    /// = that one.
    pub fn matches(&self, want: &Permission) -> bool {
        if self.action != want.action || self.resource.kind != want.resource.kind {
            return false;
        }
        match (&self.resource.org_id, &self.resource.id) {
            (None, None) => true,
            (Some(o), None) => want.resource.org_id.as_ref() == Some(o),
            (_, Some(id)) => want.resource.id.as_ref() == Some(id),
        }
    }
}

/// An authorization (a token, as v2 calls it); the token itself is kept as a SHA-512.
#[derive(Clone, Debug)]
pub struct Authorization {
    pub id: String,
    /// `active` or `inactive`.
    pub status: String,
    pub description: String,
    pub org_id: String,
    pub user_id: String,
    pub permissions: Vec<Permission>,
    pub created_at: String,
    pub updated_at: String,
    pub token_sha512: String,
}

impl Authorization {
    /// Whether one of its permissions allows `want`.
    pub fn allows(&self, want: &Permission) -> bool {
        self.permissions.iter().any(|p| p.matches(want))
    }
}

/// An organization. Orgs have no status; `description` is always shown (possibly empty).
#[derive(Clone, Debug)]
pub struct Org {
    pub id: String,
    pub name: String,
    pub description: String,
    pub created_at: String,
    pub updated_at: String,
}

/// A user; the password is kept as a SHA-512 and never shown. Users have no timestamps.
#[derive(Clone, Debug)]
pub struct User {
    pub id: String,
    pub name: String,
    /// `active` or `inactive`.
    pub status: String,
    pub password_sha512: Option<String>,
}

/// A bucket. OSS has no schema type; Cloud Serverless has `implicit` or `explicit`.
#[derive(Clone, Debug)]
pub struct Bucket {
    pub id: String,
    pub org_id: String,
    pub name: String,
    /// Empty: the key is left out of answers (`omitempty`).
    pub description: String,
    /// `user` or `system`.
    pub kind: &'static str,
    /// 0 = keep forever.
    pub every_seconds: i64,
    /// As stored: normalised on create, raw after a PATCH (as the real server keeps it).
    pub shard_group_seconds: i64,
    pub schema_type: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// A task: a Flux script run on a schedule read from its `option task = {...}`.
#[derive(Clone, Debug)]
pub struct Task {
    pub id: String,
    pub org_id: String,
    pub owner_id: String,
    /// From the script's `name` option.
    pub name: String,
    /// Empty: left out of answers.
    pub description: String,
    /// `active` or `inactive`.
    pub status: String,
    /// The script as sent (InfluxDB 2.7 stores it unchanged).
    pub flux: String,
    /// The `every` option as written (a Flux duration literal), or empty.
    pub every: String,
    /// The `cron` option, or empty.
    pub cron: String,
    /// The `offset` option in nanoseconds (0: none).
    pub offset_ns: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// A user-resource mapping: a user's role (`member` or `owner`) on an org.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mapping {
    pub resource_id: String,
    pub user_id: String,
    pub role: &'static str,
}

/// A DBRP mapping (physical: the server's virtual ones are made from buckets when shown).
/// Whether it is its database's default is kept apart, in `Store::dbrp_defaults`.
#[derive(Clone, Debug)]
pub struct Dbrp {
    pub id: String,
    pub org_id: String,
    pub bucket_id: String,
    pub database: String,
    pub retention_policy: String,
}

/// A v1 (legacy) authorization: `token` is the v1 user name, kept as sent and shown; the
/// password is kept as a SHA-512 and never shown.
#[derive(Clone, Debug)]
pub struct LegacyAuthorization {
    pub id: String,
    pub token: String,
    /// `active` or `inactive`.
    pub status: String,
    pub description: String,
    pub org_id: String,
    pub user_id: String,
    pub permissions: Vec<Permission>,
    pub created_at: String,
    pub updated_at: String,
    pub password_sha512: Option<String>,
}

impl LegacyAuthorization {
    /// The same rule as [`Authorization::allows`].
    pub fn allows(&self, want: &Permission) -> bool {
        self.permissions.iter().any(|p| p.matches(want))
    }
}

/// Everything the family keeps, by ID (in memory only).
#[derive(Default)]
pub struct Store {
    pub orgs: BTreeMap<String, Org>,
    pub users: BTreeMap<String, User>,
    pub buckets: BTreeMap<String, Bucket>,
    pub authorizations: BTreeMap<String, Authorization>,
    pub mappings: Vec<Mapping>,
    pub dbrps: BTreeMap<String, Dbrp>,
    /// The default mapping's ID of each (org ID, database).
    pub dbrp_defaults: BTreeMap<(String, String), String>,
    pub legacy_authorizations: BTreeMap<String, LegacyAuthorization>,
    pub tasks: BTreeMap<String, Task>,
    /// Secrets by org ID, then key: the SHA-512 of each value (values are never shown).
    pub secrets: BTreeMap<String, BTreeMap<String, String>>,
    /// Cloud Serverless rather than OSS.
    pub cloud: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions_match_as_influxdb_matches_them() {
        let held = Permission::new;
        let want = held(
            "read",
            "buckets",
            Some("0000000000000001"),
            Some("00000000000000aa"),
        );
        assert!(held("read", "buckets", None, None).matches(&want));
        assert!(held("read", "buckets", Some("0000000000000001"), None).matches(&want));
        assert!(!held("read", "buckets", Some("0000000000000002"), None).matches(&want));
        assert!(held("read", "buckets", None, Some("00000000000000aa")).matches(&want));
        assert!(!held("write", "buckets", None, None).matches(&want));
    }
}
