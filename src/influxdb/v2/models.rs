//! The `/api/v2` JSON bodies this provider sends and reads (from the InfluxDB v2 OpenAPI:
//! `Authorization`, `AuthorizationPostRequest`, `AuthorizationUpdateRequest`, `Permission`,
//! `Resource`, `Organization`, `Bucket`, `User`, `ResourceMember`, `Error`). Unknown fields are
//! ignored, so newer servers work.

use serde::{Deserialize, Serialize};

/// What a permission applies to. `id` and `org_id` absent mean "every one" of the type.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Resource {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "orgID", default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// The organization's name; the server fills it in, it is never sent.
    #[serde(default, skip_serializing)]
    pub org: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Permission {
    pub action: String,
    pub resource: Resource,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Authorization {
    pub id: String,
    /// Present only in the create response (OSS 2.9 and Cloud keep a hash of it).
    #[serde(default)]
    pub token: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(rename = "orgID")]
    pub org_id: String,
    #[serde(default)]
    pub org: Option<String>,
    #[serde(rename = "userID", default)]
    pub user_id: Option<String>,
    #[serde(default)]
    pub user: Option<String>,
    #[serde(default)]
    pub permissions: Vec<Permission>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
}

impl Authorization {
    /// Whether the token may be used (`status` defaults to active).
    pub fn is_active(&self) -> bool {
        self.status.as_deref().unwrap_or("active") == "active"
    }
}

#[derive(Clone, Debug, Deserialize)]
pub struct Authorizations {
    #[serde(default)]
    pub authorizations: Vec<Authorization>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CreateAuthorization {
    #[serde(rename = "orgID")]
    pub org_id: String,
    #[serde(rename = "userID", skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub status: String,
    pub permissions: Vec<Permission>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct UpdateAuthorization {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl UpdateAuthorization {
    /// What changed from `prior` to `planned`, each a `(status, description)`: an unset
    /// status is `"active"`, an unset description the API's empty one.
    pub fn between(
        prior: (&Option<String>, &Option<String>),
        planned: (&Option<String>, &Option<String>),
    ) -> Self {
        UpdateAuthorization {
            status: (planned.0 != prior.0)
                .then(|| planned.0.clone().unwrap_or_else(|| "active".into())),
            description: (planned.1 != prior.1).then(|| planned.1.clone().unwrap_or_default()),
        }
    }

    /// Nothing changes.
    pub fn is_empty(&self) -> bool {
        self.status.is_none() && self.description.is_none()
    }
}

#[derive(Clone, Debug, Deserialize)]
pub struct Organization {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Organizations {
    #[serde(default)]
    pub orgs: Vec<Organization>,
}

/// The v2 error body: `{ "code": "not found", "message": "..." }`.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ErrorBody {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub message: String,
}

impl crate::influxdb::http::WithSecret for Authorization {
    fn id(&self) -> &str {
        &self.id
    }
    fn secret(&self) -> Option<&str> {
        self.token.as_deref()
    }
}

// ---- Buckets (`Bucket`, `PostBucketRequest`, `PatchBucketRequest`, `RetentionRule`) ----

/// A retention rule: `everySeconds` 0 = keep forever. OSS returns the shard-group duration;
/// Cloud Serverless does not use it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionRule {
    #[serde(rename = "type", default = "expire")]
    pub kind: String,
    #[serde(rename = "everySeconds", default)]
    pub every_seconds: i64,
    #[serde(
        rename = "shardGroupDurationSeconds",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub shard_group_duration_seconds: Option<i64>,
}

fn expire() -> String {
    "expire".into()
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bucket {
    pub id: String,
    #[serde(rename = "orgID")]
    pub org_id: String,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    /// `user` or `system`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub retention_rules: Vec<RetentionRule>,
    /// Cloud only.
    #[serde(default)]
    pub schema_type: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Buckets {
    #[serde(default)]
    pub buckets: Vec<Bucket>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateBucket {
    #[serde(rename = "orgID")]
    pub org_id: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub retention_rules: Vec<RetentionRule>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema_type: Option<String>,
}

/// Only what is set is sent; an empty `retentionRules` would mean "no change", so an
/// infinite retention is sent as a rule of 0 seconds.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateBucket {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retention_rules: Option<Vec<RetentionRule>>,
}

// ---- Organizations, users, members ----

#[derive(Clone, Debug, Default, Serialize)]
pub struct OrganizationBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct User {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub status: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct UserBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Users {
    #[serde(default)]
    pub users: Vec<User>,
}

/// A member or owner of an organization (`ResourceMember` / `ResourceOwner`).
#[derive(Clone, Debug, Deserialize)]
pub struct Member {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub role: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Members {
    #[serde(default)]
    pub users: Vec<Member>,
}
