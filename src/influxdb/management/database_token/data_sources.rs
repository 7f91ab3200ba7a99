//! `influxdb_database_tokens` data source: every database token of the account and cluster
//! (Cloud Dedicated) or of the cluster (Clustered). Like `influxdb_database_token`, it never
//! exposes token strings.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::*;
use crate::engine::schema::Attribute;
use crate::engine::{DataSource, Diagnostics, Schema, Type};
use crate::influxdb::management::ManagementClient;

pub struct DatabaseTokensDataSource;

#[derive(Serialize, Deserialize, Default, Clone, Debug)]
pub struct TokensModel {
    pub include_revoked: Option<bool>,
    pub tokens: Option<Vec<TokenModel>>,
}

#[async_trait]
impl DataSource for DatabaseTokensDataSource {
    type Client = ManagementClient;
    type Model = TokensModel;

    fn type_name(&self) -> &'static str {
        "influxdb_database_tokens"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Lists the database tokens. Token strings are never available (the API returns one only when its token is created), so the tokens have no `access_token` attribute.",
            vec![
                Attribute::optional_computed("include_revoked", Type::Bool)
                    .describe("Whether revoked tokens are listed too. Defaults to `false`: only tokens that are not revoked are listed (expired tokens that were not revoked are listed)."),
                Attribute::computed("tokens", Type::list(token_type()))
                    .describe("The tokens, oldest first (by `created_at`, then `id`). Each has the attributes of the `influxdb_database_token` data source, with the same meanings; none has a token string."),
            ],
        )
    }

    async fn read(
        &self,
        client: &ManagementClient,
        config: TokensModel,
        diags: &mut Diagnostics,
    ) -> Option<TokensModel> {
        let include_revoked = config.include_revoked.unwrap_or(false);
        let list = match client.tokens_snapshot().await {
            Ok(l) => l.items().to_vec(),
            Err(e) => {
                diags.error("Listing the database tokens failed", e.to_string());
                return None;
            }
        };
        let mut tokens: Vec<TokenModel> = list
            .into_iter()
            .filter(|t| include_revoked || t.revoked_at.is_none())
            .map(token_model)
            .collect();
        tokens.sort_by(|a, b| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id)));
        Some(TokensModel {
            include_revoked: Some(include_revoked),
            tokens: Some(tokens),
        })
    }
}
