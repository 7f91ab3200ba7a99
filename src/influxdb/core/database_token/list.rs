//! `list "influxdb_database_token"` on InfluxDB 3 Enterprise: the resource tokens of the server
//! (not admin tokens), as `influxdb_database_token` resources, oldest first. A listed token has
//! no `access_token`: the server shows a token string only when the token is created. On Core,
//! which has no resource tokens, the list fails naming Enterprise.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::*;
use crate::engine::schema::Attribute;
use crate::engine::{ListResource, Listed, OrError, Schema, Type};
use crate::influxdb::core::admin_token::is_admin;
use crate::influxdb::core::edition;
use crate::influxdb::core::named_token::listed;
use crate::influxdb::core::CoreClient;

pub struct DatabaseTokenList;

#[derive(Serialize, Deserialize, Default)]
pub struct TokenListConfig {
    pub description_prefix: Option<String>,
}

#[async_trait]
impl ListResource for DatabaseTokenList {
    type Client = CoreClient;
    type Config = TokenListConfig;
    type State = TokenState;

    fn type_name(&self) -> &'static str {
        TYPE
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Lists the resource tokens of InfluxDB 3 Enterprise for `terraform query` (Terraform 1.14 or later), oldest first, without `access_token`.",
            vec![Attribute::optional("description_prefix", Type::String).describe(
                "Only tokens whose description (on Enterprise: name) starts with this text (case-sensitive). Unset: every token.",
            )],
        )
    }

    async fn list(
        &self,
        client: &CoreClient,
        config: TokenListConfig,
        diags: &mut Diagnostics,
    ) -> Vec<Listed<TokenState>> {
        let summary = "Listing the database tokens failed";
        if edition::enterprise(client, TYPE, summary, diags)
            .await
            .is_none()
        {
            return Vec::new();
        }
        let Some(rows) = client.list_tokens().await.or_error(diags, summary) else {
            return Vec::new();
        };
        let prefix = config.description_prefix.unwrap_or_default();
        listed(
            rows,
            |t| !is_admin(t) && t.name.starts_with(&prefix),
            state_from_row,
        )
    }
}
