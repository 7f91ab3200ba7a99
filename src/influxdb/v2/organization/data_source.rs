//! `influxdb_organization` data source: an organization of InfluxDB OSS v2 / Cloud Serverless
//! by name, so that `org_id = data.influxdb_organization.main.id` works.

use async_trait::async_trait;

use super::*;
use crate::engine::schema::{validators, Attribute};
use crate::engine::{DataSource, Diagnostics, Schema, Type};
use crate::influxdb::v2::V2Api;

pub struct OrganizationDataSource;

#[async_trait]
impl DataSource for OrganizationDataSource {
    type Client = V2Api;
    type Model = OrganizationState;

    fn type_name(&self) -> &'static str {
        "influxdb_organization"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "One organization of InfluxDB OSS v2 or Cloud Serverless, by name. Fails when the provider's token sees no organization of that name.",
            vec![
                Attribute::required("name", Type::String)
                    .describe("The organization's name.")
                    .validate_str("Invalid name", validators::not_empty),
                Attribute::computed("id", Type::String).describe("The organization's ID."),
                Attribute::computed("description", Type::String)
                    .describe("The organization's description; null when empty."),
            ],
        )
    }

    async fn read(
        &self,
        api: &V2Api,
        config: OrganizationState,
        diags: &mut Diagnostics,
    ) -> Option<OrganizationState> {
        let name = config.name.unwrap_or_default();
        match api.client.find_org(&name).await {
            Ok(Some(o)) => Some(state_from(o)),
            Ok(None) => {
                diags.error(
                    "Organization not found",
                    format!("InfluxDB has no organization named {name:?} visible to the provider's token."),
                );
                None
            }
            Err(e) => {
                diags.error("Reading the organization failed", e.to_string());
                None
            }
        }
    }
}
