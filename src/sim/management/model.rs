//! The simulator's own types, written from the Management API specs
//! (`management-api-cloud-dedicated.openapi.yml`, `management-api-clustered.openapi.yml`), not
//! from the provider's client: a misreading of the API must not hide on both sides.
//!
//! Request bodies are strict (`deny_unknown_fields`), so that the simulator refuses what the
//! API's schemas do not define. The records hold what the simulator keeps per object, including
//! what the API never shows (a database's data marker and tables).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// `DatabaseTokenPermission`: `{action, resource}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimPermission {
    pub action: String,
    pub resource: String,
}

/// A database token as the simulator keeps it (never its access token: only a hash, elsewhere).
/// Serialised as the API shows it, camelCase, absent fields omitted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_id: Option<String>,
    pub id: String,
    pub description: String,
    pub permissions: Vec<SimPermission>,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<String>,
    /// Only in the answer to the create call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
}

/// `ClusterDatabasePartitionTemplatePart`: one of three `{type, value}` shapes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "lowercase")]
pub enum TemplatePart {
    /// `ClusterDatabasePartitionTemplatePartTagValue`: a tag name.
    Tag(String),
    /// `ClusterDatabasePartitionTemplatePartTimeFormat`: a strftime-like format.
    Time(String),
    /// `ClusterDatabasePartitionTemplatePartBucket`.
    Bucket(BucketValue),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BucketValue {
    pub tag_name: String,
    pub number_of_buckets: i64,
}

/// A table as the simulator keeps it. The API never shows a list of tables; the simulator's
/// state endpoint does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TableRecord {
    pub id: i64,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_template: Option<Vec<TemplatePart>>,
}

/// A database as the simulator keeps it: the API's fields plus its numeric ID (shown only by
/// rename and undelete), its tables and a data marker standing for the data it holds (set with
/// `PUT /__sim/databases/{name}/data`; it moves with the database on a rename and is lost on a
/// delete).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseRecord {
    pub id: i64,
    pub name: String,
    pub max_tables: i64,
    pub max_columns_per_table: i64,
    pub retention_period: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_template: Option<Vec<TemplatePart>>,
    #[serde(default)]
    pub tables: BTreeMap<String, TableRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_marker: Option<String>,
}

/// Body of `CreateClusterDatabase`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateDatabaseBody {
    pub name: String,
    #[serde(default)]
    pub max_tables: Option<i64>,
    #[serde(default)]
    pub max_columns_per_table: Option<i64>,
    #[serde(default)]
    pub retention_period: Option<i64>,
    #[serde(default)]
    pub partition_template: Option<Vec<serde_json::Value>>,
}

/// Body of `UpdateClusterDatabase`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateDatabaseBody {
    #[serde(default)]
    pub max_tables: Option<i64>,
    #[serde(default)]
    pub max_columns_per_table: Option<i64>,
    #[serde(default)]
    pub retention_period: Option<i64>,
}

/// Body of `RenameClusterDatabase` and `RenameClusterDatabaseTable`: `{name}`, required.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenameBody {
    pub name: String,
}

/// Body of `CreateClusterDatabaseTable`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateTableBody {
    pub name: String,
    #[serde(default)]
    pub partition_template: Option<Vec<serde_json::Value>>,
}

/// Body of `CreateDatabaseToken`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateTokenBody {
    pub description: String,
    #[serde(default)]
    pub permissions: Option<Vec<SimPermission>>,
    #[serde(default)]
    pub expires_at: Option<String>,
    /// Sent by the docs' examples, not in the spec: accepted and ignored.
    #[serde(default)]
    pub expiration_type: Option<String>,
}

/// Body of `UpdateDatabaseToken`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateTokenBody {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub permissions: Option<Vec<SimPermission>>,
}

/// The spec's `Error` schema: `{code, message}`.
#[derive(Serialize)]
pub struct ErrorBody {
    pub code: u16,
    pub message: String,
}
