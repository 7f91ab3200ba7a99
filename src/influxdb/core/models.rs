//! The `/api/v3` request and answer bodies the client uses, and the rows of the system tables
//! it queries (`system.tokens`, `system.databases`, `system.influxdb_schema`). A null column is
//! absent from its row, so every nullable column is an `Option`.

use serde::{Deserialize, Serialize};

/// `GET /ping`'s body (`product_name` only in recent builds).
#[derive(Clone, Debug, Deserialize)]
pub struct PingBody {
    pub version: Option<String>,
    pub product_name: Option<String>,
}

/// Which server answers: from `/ping`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerInfo {
    pub enterprise: bool,
    pub version: String,
}

impl ServerInfo {
    /// "InfluxDB 3 Core 3.8.4".
    pub fn product(&self) -> String {
        let build = if self.enterprise {
            "Enterprise"
        } else {
            "Core"
        };
        format!("InfluxDB 3 {build} {}", self.version)
    }
}

/// `POST /api/v3/configure/token/named_admin`.
#[derive(Clone, Debug, Serialize)]
pub struct CreateNamedAdminToken {
    pub token_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiry_secs: Option<u64>,
}

/// One permission of an Enterprise resource token.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TokenPermission {
    /// `db` or `system`.
    pub resource_type: String,
    /// Database names (or `health`, `ping`, `metrics`, `ready`), or `["*"]`.
    pub resource_names: Vec<String>,
    /// `read`, `write`.
    pub actions: Vec<String>,
}

/// `POST /api/v3/enterprise/configure/token`.
#[derive(Clone, Debug, Serialize)]
pub struct CreateResourceToken {
    pub token_name: String,
    pub permissions: Vec<TokenPermission>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiry_secs: Option<u64>,
}

/// The answer to every token create: the only time `token` is shown.
#[derive(Clone, Deserialize)]
pub struct CreatedToken {
    pub id: u64,
    pub name: String,
    pub token: Option<String>,
    pub created_at: String,
    pub expiry: Option<String>,
}

impl std::fmt::Debug for CreatedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreatedToken")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("token", &"[REDACTED]")
            .finish_non_exhaustive()
    }
}

impl crate::influxdb::http::WithSecret for CreatedToken {
    /// Tokens are addressed by name.
    fn id(&self) -> &str {
        &self.name
    }
    fn secret(&self) -> Option<&str> {
        self.token.as_deref()
    }
}

/// A row of `system.tokens`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct TokenRow {
    pub token_id: u64,
    pub name: String,
    /// Zone-less UTC (`2025-04-18T14:02:45.331`).
    pub created_at: String,
    pub expiry: Option<String>,
    /// `*:*:*` for admin tokens; on Enterprise, resource permissions (see
    /// [`super::permissions`]).
    pub permissions: Option<String>,
}

/// A row of `system.databases`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct DatabaseRow {
    pub database_name: String,
    pub retention_period_ns: Option<u64>,
    #[serde(default)]
    pub deleted: bool,
}

/// `POST` and `PUT /api/v3/configure/database`; `PUT` without `retention_period` clears it.
#[derive(Clone, Debug, Serialize)]
pub struct DatabaseBody {
    pub db: String,
    pub retention_period: Option<String>,
}

/// A column of a new table.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FieldColumn {
    pub name: String,
    /// `utf8`, `int64`, `uint64`, `float64` or `bool`.
    #[serde(rename = "type")]
    pub kind: String,
}

/// `POST /api/v3/configure/table`.
#[derive(Clone, Debug, Serialize)]
pub struct CreateTable {
    pub db: String,
    pub table: String,
    pub tags: Vec<String>,
    pub fields: Vec<FieldColumn>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retention_period: Option<String>,
}

/// `PUT /api/v3/configure/table` (Enterprise): a table's retention; `None` clears it.
#[derive(Clone, Debug, Serialize)]
pub struct TableRetention {
    pub db: String,
    pub table: String,
    pub retention_period: Option<String>,
}

/// A row of `system.influxdb_schema`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct SchemaRow {
    pub key: String,
    /// `tag`, `time`, `string`, `integer`, `uinteger`, `float`, `boolean`.
    pub data_type: String,
}
