//! `influxdb_database_token` data source: one database token, by ID.
//!
//! It never exposes a token string: the API returns it only in the response to the create
//! call, so there is nothing to read, and the data source has no `access_token` attribute at
//! all (an always-null attribute would suggest otherwise). Revoked tokens are returned too, with
//! `revoked_at` set.

use async_trait::async_trait;

use super::*;
use crate::engine::schema::Attribute;
use crate::engine::{DataSource, Diagnostics, Schema, Type};
use crate::influxdb::management::validate_uuid;
use crate::influxdb::management::ManagementClient;

pub struct DatabaseTokenDataSource;

#[async_trait]
impl DataSource for DatabaseTokenDataSource {
    type Client = ManagementClient;
    type Model = TokenModel;

    fn type_name(&self) -> &'static str {
        "influxdb_database_token"
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
        client: &ManagementClient,
        config: TokenModel,
        diags: &mut Diagnostics,
    ) -> Option<TokenModel> {
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
