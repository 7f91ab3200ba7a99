//! `list "influxdb_authorization"`: the authorizations of InfluxDB OSS v2 / Cloud Serverless
//! as `influxdb_authorization` resources, for `terraform query`, so that tokens made with
//! `influx auth create` can be adopted. The token strings are not in the results (the API
//! returns a token only when it is created).

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::*;
use crate::engine::schema::Attribute;
use crate::engine::{Diagnostics, ListResource, Listed, Schema};
use crate::influxdb::v2::client::AuthorizationFilter;
use crate::influxdb::v2::{validate_v2_id, V2Api};

pub struct AuthorizationList;

#[derive(Serialize, Deserialize, Default)]
pub struct AuthorizationListConfig {
    pub org_id: Option<String>,
    pub user_id: Option<String>,
}

#[async_trait]
impl ListResource for AuthorizationList {
    type Client = V2Api;
    type Config = AuthorizationListConfig;
    type State = AuthorizationState;

    fn type_name(&self) -> &'static str {
        "influxdb_authorization"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Lists the authorizations the provider's token can see, for `terraform query` (Terraform 1.14 or later), optionally only those of one organization or one user. The results carry no token string.",
            vec![
                Attribute::optional("org_id", Type::String)
                    .describe("Only the authorizations of this organization.")
                    .validate_str("Invalid org_id", validate_v2_id),
                Attribute::optional("user_id", Type::String)
                    .describe("Only the authorizations of this user.")
                    .validate_str("Invalid user_id", validate_v2_id),
            ],
        )
    }

    async fn list(
        &self,
        api: &V2Api,
        config: AuthorizationListConfig,
        diags: &mut Diagnostics,
    ) -> Vec<Listed<AuthorizationState>> {
        let filter = AuthorizationFilter {
            org_id: config.org_id,
            user_id: config.user_id,
            ..Default::default()
        };
        let list = match api.client.list_authorizations(&filter).await {
            Ok(l) => l,
            Err(e) => {
                diags.error("Listing the authorizations failed", e.to_string());
                return Vec::new();
            }
        };
        let mut out: Vec<Listed<AuthorizationState>> = list
            .into_iter()
            .map(|a| {
                let state = state_from(a, &AuthorizationState::default(), None);
                let id = state.id.clone().unwrap_or_default();
                let display_name = match state.description.as_deref() {
                    Some(d) => format!("{d} ({id})"),
                    None => id,
                };
                Listed {
                    display_name,
                    state,
                }
            })
            .collect();
        out.sort_by(|a, b| a.state.id.cmp(&b.state.id));
        out
    }
}
