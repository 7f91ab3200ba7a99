//! `influxdb_database_tokens` data source on InfluxDB 3 Enterprise: every resource token (not
//! admin tokens), oldest first, from the `system.tokens` snapshot. Each element has the object
//! type of the Management family's `influxdb_database_tokens`, so one module reads both; the
//! attributes Enterprise does not have (`revoked_at`, `account_id`, `cluster_id`) are null.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::*;
use crate::engine::schema::Attribute;
use crate::engine::{DataSource, OrError, Schema, Type};
use crate::influxdb::core::admin_token::is_admin;
use crate::influxdb::core::edition;
use crate::influxdb::core::CoreClient;

pub struct DatabaseTokensDataSource;

/// One element: the shared object type.
pub type TokenItem = crate::influxdb::database_token::TokenItem<Permission>;

#[derive(Serialize, Deserialize, Default, Clone, Debug)]
pub struct TokensModel {
    pub tokens: Option<Vec<TokenItem>>,
}

/// The element type every family's `influxdb_database_tokens` shares (the dispatch refuses to
/// serve two types under one attribute, so it is taken from where it is defined).
fn element_type() -> Type {
    crate::influxdb::management::database_token::token_type()
}

#[async_trait]
impl DataSource for DatabaseTokensDataSource {
    type Client = CoreClient;
    type Model = TokensModel;

    fn type_name(&self) -> &'static str {
        "influxdb_database_tokens"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Lists the resource tokens of InfluxDB 3 Enterprise (not admin tokens), oldest first. No token strings.",
            vec![Attribute::computed("tokens", Type::list(element_type()))
                .describe("The tokens, oldest first. On Enterprise each has `id`, `description` (its name), `permissions`, `expires_at` and `created_at`; the Cloud Dedicated attributes are null.")],
        )
    }

    async fn read(
        &self,
        client: &CoreClient,
        _config: TokensModel,
        diags: &mut Diagnostics,
    ) -> Option<TokensModel> {
        let summary = "Listing the database tokens failed";
        edition::enterprise(client, "influxdb_database_tokens", summary, diags).await?;
        let list = client.tokens_snapshot().await.or_error(diags, summary)?;
        let mut rows: Vec<_> = list.items().iter().filter(|t| !is_admin(t)).collect();
        rows.sort_by_key(|t| t.token_id);
        let tokens = rows
            .into_iter()
            .map(|t| {
                let s = state_from_row(t);
                TokenItem {
                    id: s.id,
                    description: s.description,
                    permissions: s.permissions,
                    expires_at: s.expires_at,
                    created_at: s.created_at,
                    // Enterprise has none of these.
                    revoked_at: None,
                    account_id: None,
                    cluster_id: None,
                }
            })
            .collect();
        Some(TokensModel {
            tokens: Some(tokens),
        })
    }
}
