//! `influxdb_authorization` data source: one InfluxDB OSS v2 / Cloud Serverless authorization
//! by ID. It never exposes the token string (the API returns it only at creation). Its
//! permissions are a plain typed attribute (every field always present, null when unset), so
//! it works with every Terraform version.

use async_trait::async_trait;

use super::*;
use crate::engine::schema::Attribute;
use crate::engine::{DataSource, Diagnostics, Schema, Type};
use crate::influxdb::v2::validate_v2_id;
use crate::influxdb::v2::V2Api;

pub struct AuthorizationDataSource;

#[async_trait]
impl DataSource for AuthorizationDataSource {
    type Client = V2Api;
    type Model = AuthorizationModel;

    fn type_name(&self) -> &'static str {
        "influxdb_authorization"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "One authorization (API token) of InfluxDB OSS v2 or Cloud Serverless, by ID. The token string is never available: the API returns it only when the authorization is created.",
            vec![
                Attribute::required("id", Type::String)
                    .describe("The authorization's ID (16 hexadecimal digits). An unknown ID is an error.")
                    .validate_str("Invalid id", validate_v2_id),
                Attribute::computed("org_id", Type::String).describe("The organization's ID."),
                Attribute::computed("org", Type::String).describe("The organization's name."),
                Attribute::computed("user_id", Type::String).describe("The ID of the token's user."),
                Attribute::computed("user", Type::String).describe("The name of the token's user."),
                Attribute::computed("description", Type::String).describe("What the token is for."),
                Attribute::computed("status", Type::String).describe("`active` or `inactive`."),
                Attribute::computed("permissions", Type::set(permission_type())).describe(PERMISSIONS_DOC),
                Attribute::computed("created_at", Type::String).describe("When it was created (RFC 3339)."),
                Attribute::computed("updated_at", Type::String).describe("When it was last changed (RFC 3339)."),
            ],
        )
    }

    async fn read(
        &self,
        api: &V2Api,
        config: AuthorizationModel,
        diags: &mut Diagnostics,
    ) -> Option<AuthorizationModel> {
        let client = &api.client;
        let id = config.id.unwrap_or_default();
        match client.get_authorization(&id).await {
            Ok(a) => Some(model(a)),
            Err(e) if e.is_not_found() => {
                diags.error(
                    "Authorization not found",
                    format!("No authorization with ID {id} exists (or the provider's token may not read it)."),
                );
                None
            }
            Err(e) => {
                diags.error("Reading the authorization failed", e.to_string());
                None
            }
        }
    }
}
