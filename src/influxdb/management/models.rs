//! Management API bodies, exactly as the Cloud Dedicated and Clustered OpenAPI specs define
//! them (camelCase on the wire). Clustered responses carry no `accountId`/`clusterId`, so those
//! are optional here and omitted when absent.
//!
//! Response types tolerate unknown fields (the API may grow); the request types and the
//! partition-template parts are strict so that the simulator can reject what the API rejects.

use serde::{Deserialize, Serialize};

/// One `{action, resource}` pair of a database token. `action` is `read` or `write`;
/// `resource` is a database name or `*` for all databases.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Permission {
    pub action: String,
    pub resource: String,
}

impl Permission {
    pub fn new(action: impl Into<String>, resource: impl Into<String>) -> Self {
        Permission {
            action: action.into(),
            resource: resource.into(),
        }
    }
}

/// A database token as returned by the API. `access_token` is present only in the response to
/// the create call: the server keeps a hash, never the secret.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseToken {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_id: Option<String>,
    pub id: String,
    pub description: String,
    pub permissions: Vec<Permission>,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
}

// Manual so that `{:?}` can never print the access token.
impl std::fmt::Debug for DatabaseToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseToken")
            .field("account_id", &self.account_id)
            .field("cluster_id", &self.cluster_id)
            .field("id", &self.id)
            .field("description", &self.description)
            .field("permissions", &self.permissions)
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .field("revoked_at", &self.revoked_at)
            .field(
                "access_token",
                &self.access_token.as_ref().map(|_| "[REDACTED]"),
            )
            .finish()
    }
}

/// Body of `POST .../tokens`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateDatabaseToken {
    pub description: String,
    pub permissions: Vec<Permission>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
}

/// Body of `PATCH .../tokens/{tokenId}`: at least one field; `permissions` replaces the whole
/// set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateDatabaseToken {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Vec<Permission>>,
}

/// One part of a database partition template.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(
    tag = "type",
    content = "value",
    rename_all = "lowercase",
    deny_unknown_fields
)]
pub enum PartitionPart {
    /// Partition by the value of this tag.
    Tag(String),
    /// Partition by time, formatted with this strftime-like format.
    Time(String),
    /// Partition by a hash of the tag's value into a number of buckets.
    Bucket(BucketPart),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BucketPart {
    pub tag_name: String,
    pub number_of_buckets: i64,
}

/// A database as returned by the API. `retention_period` is in nanoseconds; 0 means infinite.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Database {
    /// The numeric database ID: in the rename and undelete answers; the list's schema has none,
    /// so it is read when a server reports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_id: Option<String>,
    pub name: String,
    pub max_tables: i64,
    pub max_columns_per_table: i64,
    pub retention_period: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_template: Option<Vec<PartitionPart>>,
}

/// Body of `POST .../databases`; unset fields take the server's defaults.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateDatabase {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tables: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_columns_per_table: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_period: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_template: Option<Vec<PartitionPart>>,
}

/// Body of `PATCH .../databases/{databaseName}`: at least one field. The name and the
/// partition template cannot be changed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateDatabase {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tables: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_columns_per_table: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_period: Option<i64>,
}

/// Body of `PUT .../databases/{databaseName}/rename` and of
/// `PUT .../databases/{databaseName}/tables/{tableName}/rename`: the new name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Rename {
    pub name: String,
}

/// Body of `POST .../databases/{databaseName}/tables`. Without a partition template the table
/// inherits the database's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateTable {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_template: Option<Vec<PartitionPart>>,
}

/// A table as the create and rename calls return it (the API has no call that reads a table).
/// The rename response carries a numeric `id`, the create response none.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Table {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_id: Option<String>,
    pub database_name: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_template: Option<Vec<PartitionPart>>,
}

/// The API's error body, `{"code": 404, "message": "not found"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    pub code: i64,
    pub message: String,
}

impl crate::influxdb::http::WithSecret for DatabaseToken {
    fn id(&self) -> &str {
        &self.id
    }
    fn secret(&self) -> Option<&str> {
        self.access_token.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn token_round_trips_in_camel_case_without_empty_fields() {
        let t = DatabaseToken {
            account_id: None,
            cluster_id: None,
            id: "55555555-5555-4555-8555-555555555555".into(),
            description: "d".into(),
            permissions: vec![Permission::new("read", "*")],
            created_at: "2023-12-21T17:32:28.000Z".into(),
            expires_at: None,
            revoked_at: None,
            access_token: Some("apiv1_secret_value".into()),
        };
        let v = serde_json::to_value(&t).unwrap();
        assert_eq!(
            v,
            json!({"id": "55555555-5555-4555-8555-555555555555", "description": "d",
                   "permissions": [{"action": "read", "resource": "*"}],
                   "createdAt": "2023-12-21T17:32:28.000Z", "accessToken": "apiv1_secret_value"})
        );
        assert!(!format!("{t:?}").contains("apiv1_secret_value"));
        let back: DatabaseToken = serde_json::from_value(v).unwrap();
        assert_eq!(back, t);
    }

    #[test]
    fn partition_parts_use_the_spec_shape() {
        let parts = vec![
            PartitionPart::Time("%Y".into()),
            PartitionPart::Tag("a".into()),
            PartitionPart::Bucket(BucketPart {
                tag_name: "c".into(),
                number_of_buckets: 10,
            }),
        ];
        assert_eq!(
            serde_json::to_value(&parts).unwrap(),
            json!([{"type": "time", "value": "%Y"}, {"type": "tag", "value": "a"},
                   {"type": "bucket", "value": {"tagName": "c", "numberOfBuckets": 10}}])
        );
        assert!(
            serde_json::from_value::<PartitionPart>(json!({"type": "month", "value": "x"}))
                .is_err()
        );
    }

    #[test]
    fn database_response_parses_without_optional_fields() {
        let d: Database = serde_json::from_value(json!({"name": "db", "maxTables": 500,
            "maxColumnsPerTable": 200, "retentionPeriod": 0, "extra": true}))
        .unwrap();
        assert_eq!(d.partition_template, None);
        assert_eq!(d.account_id, None);
    }
}
