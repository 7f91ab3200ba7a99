//! `list "influxdb_database_token"`: the database tokens of the account and cluster (Cloud
//! Dedicated) or of the cluster (Clustered), as `influxdb_database_token` resources.
//!
//! A listed token has no `access_token`: the API returns a token string only when the token is
//! created, so a token brought under management this way never has one in state.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::*;
use crate::engine::schema::Attribute;
use crate::engine::{Diagnostics, ListResource, Listed, Schema, Type};
use crate::influxdb::management::ManagementClient;

pub struct DatabaseTokenList;

#[derive(Serialize, Deserialize, Default)]
pub struct TokenListConfig {
    pub include_revoked: Option<bool>,
    pub description_prefix: Option<String>,
}

#[async_trait]
impl ListResource for DatabaseTokenList {
    type Client = ManagementClient;
    type Config = TokenListConfig;
    type State = TokenState;

    fn type_name(&self) -> &'static str {
        "influxdb_database_token"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Lists database tokens for `terraform query` (Terraform 1.14 or later), oldest first. Listed tokens have no `access_token`: the API returns a token string only when its token is created.",
            vec![
                Attribute::optional("include_revoked", Type::Bool).describe(
                    "Whether revoked tokens are listed too. Defaults to `false`: only active tokens (expired tokens that were not revoked are listed too). A revoked token cannot be imported.",
                ),
                Attribute::optional("description_prefix", Type::String).describe(
                    "Only tokens whose description starts with this text (case-sensitive). Unset: every token.",
                ),
            ],
        )
    }

    async fn list(
        &self,
        client: &ManagementClient,
        config: TokenListConfig,
        diags: &mut Diagnostics,
    ) -> Vec<Listed<TokenState>> {
        let mut tokens = match client.list_tokens().await {
            Ok(t) => t,
            Err(e) => {
                diags.error("Listing the database tokens failed", e.to_string());
                return Vec::new();
            }
        };
        let include_revoked = config.include_revoked.unwrap_or(false);
        let prefix = config.description_prefix.unwrap_or_default();
        tokens.retain(|t| {
            (include_revoked || t.revoked_at.is_none()) && t.description.starts_with(&prefix)
        });
        tokens.sort_by(|a, b| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id)));
        tokens
            .into_iter()
            .map(|t| Listed {
                display_name: format!("{} ({})", t.description, t.id),
                state: state_from(t, None),
            })
            .collect()
    }
}
