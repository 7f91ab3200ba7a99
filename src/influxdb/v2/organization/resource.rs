//! `influxdb_organization`: an organization of InfluxDB OSS v2 / Cloud Serverless, through
//! `/api/v2/orgs`. A rename and a description change are one PATCH (same ID). InfluxDB gives
//! every new organization its system buckets, and makes the provider's user its owner.
//! Deleting an organization deletes its buckets and their data. InfluxDB Cloud Serverless makes
//! one organization per account and creates none through the API: a create there fails at plan.

use async_trait::async_trait;

use super::*;
use crate::engine::schema::{validators, Attribute};
use crate::engine::{
    AttributePath, Diagnostics, IdentityAttribute, IdentitySchema, Resource, Schema, Type, Value,
};
use crate::influxdb::http::gone_is_ok;
use crate::influxdb::v2::models::OrganizationBody;
use crate::influxdb::v2::{validate_v2_id, V2Api};

pub struct OrganizationResource;

#[async_trait]
impl Resource for OrganizationResource {
    type Client = V2Api;
    type State = OrganizationState;

    fn type_name(&self) -> &'static str {
        "influxdb_organization"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "An organization of InfluxDB OSS v2 or Cloud Serverless. Destroying the resource deletes the organization with all its buckets and their data.",
            vec![
                Attribute::computed("id", Type::String)
                    .describe("The organization's ID.")
                    .use_state_for_unknown(),
                Attribute::required("name", Type::String)
                    .describe("The organization's name, unique on the server. A change renames it in place (same ID).")
                    .validate_str("Invalid name", validators::not_empty),
                Attribute::optional("description", Type::String)
                    .describe("What the organization is for. Updated in place.")
                    .validate_str("Invalid description", validators::not_empty),
            ],
        )
    }

    fn identity(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema::new(vec![IdentityAttribute::required(
            "id",
            "The organization's ID (16 hexadecimal digits).",
        )]))
    }

    /// Cloud Serverless creates no organization through `POST /api/v2/orgs` (its API reference:
    /// "doesn't allow you to use this endpoint to create organizations"): a create or a
    /// replacement there fails at plan, naming the product. Its organization can still be
    /// imported, renamed and described.
    async fn check_server(&self, api: &V2Api, _planned: &Value, diags: &mut Diagnostics) {
        if api.server_is_cloud().await {
            diags.error(
                "Creating an organization is not available on InfluxDB Cloud Serverless",
                "InfluxDB Cloud Serverless makes one organization per account and creates none through its API (POST /api/v2/orgs), and this provider talks to InfluxDB Cloud Serverless (its /ping answers X-Influxdb-Build: Cloud). Nothing was changed: to manage the account's organization (its name and description), import it (terraform import ADDRESS ORG_ID); to read it, use the influxdb_organization data source.",
            );
        }
    }

    async fn create(
        &self,
        api: &V2Api,
        planned: OrganizationState,
        diags: &mut Diagnostics,
    ) -> Option<OrganizationState> {
        let name = planned.name.clone().unwrap_or_default();
        let body = OrganizationBody {
            name: Some(name.clone()),
            description: planned.description.clone(),
        };
        match api.client.create_org(&body).await {
            Ok(o) => Some(state_from(o)),
            // The outcome is unknown: names are unique, so look it up.
            Err(e) if e.may_have_been_created() => match api.client.find_org(&name).await {
                Ok(Some(o)) => Some(state_from(o)),
                _ => {
                    diags.error("Creating the organization failed", format!("{e}\n\nNo organization named {name:?} exists; run terraform apply again."));
                    None
                }
            },
            Err(e) if e.error.status() == Some(422) => {
                diags.attribute_error(
                    AttributePath::root("name"),
                    "Organization already exists",
                    format!("{}\n\nTo manage it with Terraform, import it: terraform import ADDRESS {name}", e.error),
                );
                None
            }
            Err(e) => {
                diags.error("Creating the organization failed", e.to_string());
                None
            }
        }
    }

    async fn read(
        &self,
        api: &V2Api,
        current: OrganizationState,
        diags: &mut Diagnostics,
    ) -> Option<OrganizationState> {
        let id = current.id.clone().unwrap_or_default();
        match api.client.get_org(&id).await {
            Ok(o) => Some(state_from(o)),
            Err(e) if e.is_not_found() => {
                diags.warning(
                    "Organization deleted outside Terraform",
                    format!("The organization {:?} ({id}) no longer exists. It is removed from the state and the next apply creates it again.", current.name.as_deref().unwrap_or("")),
                );
                None
            }
            Err(e) => {
                diags.error("Reading the organization failed", e.to_string());
                None
            }
        }
    }

    async fn update(
        &self,
        api: &V2Api,
        prior: OrganizationState,
        planned: OrganizationState,
        diags: &mut Diagnostics,
    ) -> Option<OrganizationState> {
        let id = prior.id.clone().unwrap_or_default();
        let body = OrganizationBody {
            name: (planned.name != prior.name).then(|| planned.name.clone().unwrap_or_default()),
            description: (planned.description != prior.description)
                .then(|| planned.description.clone().unwrap_or_default()),
        };
        match api.client.update_org(&id, &body).await {
            Ok(o) => Some(state_from(o)),
            Err(e) => {
                diags.error("Updating the organization failed", e.to_string());
                None
            }
        }
    }

    async fn delete(&self, api: &V2Api, prior: OrganizationState, diags: &mut Diagnostics) {
        let id = prior.id.unwrap_or_default();
        if let Err(e) = gone_is_ok(api.client.delete_org(&id).await) {
            diags.error("Deleting the organization failed", e.to_string());
        }
    }

    /// By ID, or by name.
    async fn import(
        &self,
        api: &V2Api,
        id: &str,
        diags: &mut Diagnostics,
    ) -> Option<OrganizationState> {
        let found = if validate_v2_id(id).is_ok() {
            match api.client.get_org(id).await {
                Ok(o) => Ok(Some(o)),
                Err(e) if e.is_not_found() => api.client.find_org(id).await,
                Err(e) => Err(e),
            }
        } else {
            api.client.find_org(id).await
        };
        match found {
            Ok(o) => o.map(state_from),
            Err(e) => {
                diags.error("Importing the organization failed", e.to_string());
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_follows_terraforms_rules() {
        OrganizationResource.schema().check().unwrap();
    }
}
