//! The JSON bodies of InfluxDB's InfluxQL access: DBRP mappings (`/api/v2/dbrps`, the v2
//! OpenAPI's `DBRP`, `DBRPCreate`, `DBRPUpdate`, `DBRPs`, `DBRPGet`) and v1 (legacy)
//! authorizations (`/private/legacy/authorizations`, InfluxDB OSS 2.x's
//! `v1/authorization/http_server.go`). Unknown fields are ignored.

use serde::{Deserialize, Serialize};

use super::models::Permission;

/// A DBRP mapping: database and retention policy of InfluxQL to a bucket.
#[derive(Clone, Debug, Deserialize)]
pub struct Dbrp {
    pub id: String,
    pub database: String,
    pub retention_policy: String,
    /// Whether it is its database's default (the server's answer, see [`super::dbrp`]).
    #[serde(default)]
    pub default: bool,
    #[serde(rename = "orgID")]
    pub org_id: String,
    #[serde(rename = "bucketID")]
    pub bucket_id: String,
    /// The server's own mapping of a bucket (one per bucket, ID = the bucket's).
    #[serde(rename = "virtual", default)]
    pub is_virtual: bool,
}

/// `GET /api/v2/dbrps/{id}` and `PATCH` answer `{ "content": {...} }`.
#[derive(Clone, Debug, Deserialize)]
pub struct DbrpContent {
    pub content: Dbrp,
}

/// `GET /api/v2/dbrps` answers `{ "content": [...] }`.
#[derive(Clone, Debug, Deserialize)]
pub struct Dbrps {
    #[serde(default)]
    pub content: Vec<Dbrp>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CreateDbrp {
    #[serde(rename = "orgID")]
    pub org_id: String,
    #[serde(rename = "bucketID")]
    pub bucket_id: String,
    pub database: String,
    pub retention_policy: String,
    pub default: bool,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct UpdateDbrp {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retention_policy: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<bool>,
}

/// A v1 authorization: `token` is the v1 user name (shown in every answer); the password is
/// set apart and never shown.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LegacyAuthorization {
    pub id: String,
    pub token: String,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(rename = "orgID")]
    pub org_id: String,
    #[serde(rename = "userID", default)]
    pub user_id: Option<String>,
    #[serde(default)]
    pub permissions: Vec<Permission>,
    #[serde(default)]
    pub created_at: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct LegacyAuthorizations {
    #[serde(default)]
    pub authorizations: Vec<LegacyAuthorization>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CreateLegacyAuthorization {
    pub token: String,
    #[serde(rename = "orgID")]
    pub org_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub status: String,
    pub permissions: Vec<Permission>,
}
