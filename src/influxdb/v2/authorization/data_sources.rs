//! `influxdb_authorizations` data source: the authorizations of InfluxDB OSS v2 / Cloud
//! Serverless visible to the provider's token, filtered by user or organization as
//! `GET /api/v2/authorizations` does. Never exposes token strings.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::*;
use crate::engine::schema::{validators, Attribute};
use crate::engine::{AttributePath, DataSource, Diagnostics, Schema, Type, Value};
use crate::influxdb::v2::client::AuthorizationFilter;
use crate::influxdb::v2::validate_v2_id;
use crate::influxdb::v2::V2Api;

pub struct AuthorizationsDataSource;

#[derive(Serialize, Deserialize, Default, Clone, Debug)]
pub struct AuthorizationsModel {
    pub user_id: Option<String>,
    pub user: Option<String>,
    pub org_id: Option<String>,
    pub org: Option<String>,
    pub authorizations: Option<Vec<AuthorizationModel>>,
}

#[async_trait]
impl DataSource for AuthorizationsDataSource {
    type Client = V2Api;
    type Model = AuthorizationsModel;

    fn type_name(&self) -> &'static str {
        "influxdb_authorizations"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Lists the authorizations (API tokens) of InfluxDB OSS v2 or Cloud Serverless that the provider's token can see, optionally only those of one user or one organization. Token strings are never available.",
            vec![
                Attribute::optional("user_id", Type::String)
                    .describe("Only the authorizations of this user (by ID).")
                    .validate_str("Invalid user_id", validate_v2_id),
                Attribute::optional("user", Type::String)
                    .describe("Only the authorizations of this user (by name). Not with `user_id`.")
                    .validate_str("Invalid user", validators::not_empty),
                Attribute::optional("org_id", Type::String)
                    .describe("Only the authorizations of this organization (by ID).")
                    .validate_str("Invalid org_id", validate_v2_id),
                Attribute::optional("org", Type::String)
                    .describe("Only the authorizations of this organization (by name). Not with `org_id`.")
                    .validate_str("Invalid org", validators::not_empty),
                Attribute::computed("authorizations", Type::list(authorization_type()))
                    .describe("The authorizations, oldest first (by `created_at`, then `id`). Each has the attributes of the `influxdb_authorization` data source: `id`, `org_id`, `org`, `user_id`, `user`, `description`, `status`, `permissions`, `created_at`, `updated_at`."),
            ],
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        for (a, b) in [("user_id", "user"), ("org_id", "org")] {
            if !config.attr(a).is_null() && !config.attr(b).is_null() {
                diags.attribute_error(
                    AttributePath::root(b),
                    format!("Both {a} and {b} are set"),
                    format!("Filter by {a} or by {b}, not both."),
                );
            }
        }
    }

    async fn read(
        &self,
        api: &V2Api,
        config: AuthorizationsModel,
        diags: &mut Diagnostics,
    ) -> Option<AuthorizationsModel> {
        let client = &api.client;
        let filter = AuthorizationFilter {
            user_id: config.user_id.clone(),
            user: config.user.clone(),
            org_id: config.org_id.clone(),
            org: config.org.clone(),
        };
        let list = match client.list_authorizations(&filter).await {
            Ok(l) => l,
            Err(e) => {
                diags.error("Listing the authorizations failed", e.to_string());
                return None;
            }
        };
        let mut out: Vec<_> = list.into_iter().map(model).collect();
        out.sort_by(|a, b| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id)));
        Some(AuthorizationsModel {
            authorizations: Some(out),
            ..config
        })
    }
}
