//! `list "influxdb_admin_token"`: the named admin tokens of an InfluxDB 3 Core/Enterprise
//! server (not the operator token `_admin`, not resource tokens), as `influxdb_admin_token`
//! resources. A listed token has no `access_token`: the server shows a token string only
//! when the token is created.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::{is_admin, state_from_row, AdminTokenState, OPERATOR};
use crate::engine::schema::Attribute;
use crate::engine::{Diagnostics, ListResource, Listed, OrError, Schema, Type};
use crate::influxdb::core::models::TokenRow;
use crate::influxdb::core::named_token::listed;
use crate::influxdb::core::CoreClient;

pub struct AdminTokenList;

#[derive(Serialize, Deserialize, Default)]
pub struct AdminTokenListConfig {
    pub name_prefix: Option<String>,
}

#[async_trait]
impl ListResource for AdminTokenList {
    type Client = CoreClient;
    type Config = AdminTokenListConfig;
    type State = AdminTokenState;

    fn type_name(&self) -> &'static str {
        "influxdb_admin_token"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Lists the named admin tokens of InfluxDB 3 Core or Enterprise for `terraform query` (Terraform 1.14 or later), oldest first. The operator token `_admin` and resource tokens are not listed. Listed tokens have no `access_token`: the server shows a token string only when the token is created.",
            vec![Attribute::optional("name_prefix", Type::String).describe(
                "Only tokens whose name starts with this text (case-sensitive). Unset: every named admin token.",
            )],
        )
    }

    async fn list(
        &self,
        client: &CoreClient,
        config: AdminTokenListConfig,
        diags: &mut Diagnostics,
    ) -> Vec<Listed<AdminTokenState>> {
        let summary = "Listing the admin tokens failed";
        let Some(rows) = client.list_tokens().await.or_error(diags, summary) else {
            return Vec::new();
        };
        let prefix = config.name_prefix.unwrap_or_default();
        let keep = |t: &TokenRow| is_admin(t) && t.name != OPERATOR && t.name.starts_with(&prefix);
        listed(rows, keep, state_from_row)
    }
}
