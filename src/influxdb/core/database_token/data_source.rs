//! `influxdb_database_token` data source on InfluxDB 3 Enterprise: one resource token, by id
//! (`token_id`) or name, from the `system.tokens` snapshot. It has no `access_token`: the
//! server shows a token string only when the token is created. On Core it fails naming
//! Enterprise.

use async_trait::async_trait;

use super::resource::permission_type;
use super::*;
use crate::engine::schema::{validators, Attribute};
use crate::engine::{DataSource, OrError, Schema, Type};
use crate::influxdb::core::admin_token::is_admin;
use crate::influxdb::core::edition;
use crate::influxdb::core::CoreClient;

pub struct DatabaseTokenDataSource;

#[async_trait]
impl DataSource for DatabaseTokenDataSource {
    type Client = CoreClient;
    type Model = TokenState;

    fn type_name(&self) -> &'static str {
        TYPE
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Reads one resource token of InfluxDB 3 Enterprise by id (`token_id`) or by name. No token string is available.",
            vec![
                Attribute::required("id", Type::String)
                    .describe("The token's id (`token_id` of `system.tokens`) or its name.")
                    .validate_str("Invalid token id", validators::not_empty),
                Attribute::computed("description", Type::String)
                    .describe("On Enterprise, the token's name."),
                Attribute::computed("permissions", Type::set(permission_type())).describe(
                    "The token's permissions: `{ action, resource }`, `resource` a database name, `\"*\"` or `\"system:NAME\"`.",
                ),
                Attribute::computed("expires_at", Type::String)
                    .describe("When the token expires (RFC 3339, UTC); null if never."),
                Attribute::computed("created_at", Type::String)
                    .describe("When the token was created (RFC 3339, UTC)."),
            ],
        )
    }

    async fn read(
        &self,
        client: &CoreClient,
        config: TokenState,
        diags: &mut Diagnostics,
    ) -> Option<TokenState> {
        let summary = "Reading the database token failed";
        edition::enterprise(client, TYPE, summary, diags).await?;
        let id = config.id.unwrap_or_default();
        let tokens = client.tokens_snapshot().await.or_error(diags, summary)?;
        let found = tokens.get(&id).cloned().or_else(|| {
            tokens
                .items()
                .iter()
                .find(|t| t.token_id.to_string() == id)
                .cloned()
        });
        match found {
            Some(row) if !is_admin(&row) => Some(TokenState {
                name: None,
                access_token: None,
                ..state_from_row(&row)
            }),
            _ => {
                diags.error(
                    "Database token not found",
                    format!("The server has no resource token with id or name {id:?}."),
                );
                None
            }
        }
    }
}
