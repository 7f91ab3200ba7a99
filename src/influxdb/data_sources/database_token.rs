//! `influxdb_database_token` data source: one database token, by ID.
//!
//! It never exposes a token string: the API returns it only in the response to the create
//! call, so there is nothing to read, and the data source has no `access_token` attribute at
//! all (an always-null attribute would suggest otherwise). Revoked tokens are returned too, with
//! `revoked_at` set.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::engine::schema::Attribute;
use crate::engine::{DataSource, Diagnostics, Schema, Type};
use crate::influxdb::models::{DatabaseToken, Permission};
use crate::influxdb::provider::{validate_uuid, Influx};
use crate::influxdb::resources::database_token::{permission_type, PERMISSIONS_DOC};

pub struct DatabaseTokenDataSource;

/// A token as the data sources describe it: the resource's attributes minus `access_token`,
/// plus `revoked_at`.
#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct TokenModel {
    pub id: Option<String>,
    pub description: Option<String>,
    pub permissions: Option<Vec<Permission>>,
    pub expires_at: Option<String>,
    pub created_at: Option<String>,
    pub revoked_at: Option<String>,
    pub account_id: Option<String>,
    pub cluster_id: Option<String>,
}

/// The model of a token; its access token, if the API ever sent one, is dropped.
pub fn token_model(t: DatabaseToken) -> TokenModel {
    let mut permissions = t.permissions;
    permissions.sort();
    permissions.dedup();
    TokenModel {
        id: Some(t.id),
        description: Some(t.description),
        permissions: Some(permissions),
        expires_at: t.expires_at,
        created_at: Some(t.created_at),
        revoked_at: t.revoked_at,
        account_id: t.account_id,
        cluster_id: t.cluster_id,
    }
}

/// The attributes after `id` (all computed): name, type, description.
pub fn token_fields() -> Vec<(&'static str, Type, &'static str)> {
    vec![
        ("description", Type::String, "What the token is for."),
        ("permissions", Type::set(permission_type()), PERMISSIONS_DOC),
        (
            "expires_at",
            Type::String,
            "When the token expires (RFC 3339, UTC); null if it never expires.",
        ),
        (
            "created_at",
            Type::String,
            "When the token was created (RFC 3339, UTC).",
        ),
        (
            "revoked_at",
            Type::String,
            "When the token was revoked (RFC 3339, UTC); null while it is active.",
        ),
        (
            "account_id",
            Type::String,
            "The Cloud Dedicated account ID; null on Clustered.",
        ),
        (
            "cluster_id",
            Type::String,
            "The Cloud Dedicated cluster ID; null on Clustered.",
        ),
    ]
}

/// The object type of one token in `influxdb_database_tokens`.
pub fn token_type() -> Type {
    let mut attrs = vec![("id", Type::String)];
    attrs.extend(token_fields().into_iter().map(|(n, t, _)| (n, t)));
    Type::object(attrs)
}

#[async_trait]
impl DataSource for DatabaseTokenDataSource {
    type Client = Influx;
    type Model = TokenModel;

    fn type_name(&self) -> &'static str {
        "influxdb_database_token"
    }

    fn check_provider(
        &self,
        influx: &Influx,
        _config: &crate::engine::Value,
        diags: &mut Diagnostics,
    ) {
        influx.require_management(self.type_name(), diags);
    }

    fn schema(&self) -> Schema {
        let mut attributes = vec![Attribute::required("id", Type::String)
            .describe("The token's ID (a UUID).")
            .validate_str("Invalid token id", validate_uuid)];
        attributes.extend(
            token_fields()
                .into_iter()
                .map(|(n, t, d)| Attribute::computed(n, t).describe(d)),
        );
        Schema::new(
            "Reads one database token by ID. The token string is never available: the API returns it only when the token is created, so this data source has no `access_token` attribute. Revoked tokens are found too, with `revoked_at` set.",
            attributes,
        )
    }

    async fn read(
        &self,
        influx: &Influx,
        config: TokenModel,
        diags: &mut Diagnostics,
    ) -> Option<TokenModel> {
        let client = influx.client(diags)?;
        let id = config.id.unwrap_or_default();
        match client.read_token(&id).await {
            Ok(t) => Some(token_model(t)),
            Err(e) if e.is_not_found() => {
                diags.error(
                    "Database token not found",
                    format!("No database token with ID {id} exists in this cluster."),
                );
                None
            }
            Err(e) => {
                diags.error("Reading the database token failed", e.to_string());
                None
            }
        }
    }
}
