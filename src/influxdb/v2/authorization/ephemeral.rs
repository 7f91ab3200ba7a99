//! Ephemeral `influxdb_authorization` (Terraform >= 1.10): an InfluxDB OSS v2 / Cloud
//! Serverless API token made for one Terraform run, for CI jobs and for feeding other
//! providers a credential that never lands in state or plan files.
//!
//! Open creates an authorization (as the resource does: same permissions, shortcuts and
//! validation, and no active orphan after an ambiguous create); Close deletes it (already gone
//! is fine). The v2 API has no expiry for authorizations, so unlike the database token there is
//! no safety net if Terraform never calls Close (the process is killed): the authorization
//! stays active until someone deletes it. That is why `description` is required: it is how a
//! leftover is found (`influxdb_authorizations`, `influx auth list`).

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::*;
use crate::engine::schema::{validators, Attribute, Nesting};
use crate::engine::{Diagnostics, EphemeralResource, Opened, Schema, Type, Value};
use crate::influxdb::v2::client::gone_is_ok;
use crate::influxdb::v2::permissions::{self, PermissionModel};
use crate::influxdb::v2::validate_v2_id;
use crate::influxdb::v2::V2Api;

pub struct EphemeralAuthorization;

#[derive(Serialize, Deserialize, Default, Clone, Debug)]
pub struct EphemeralAuthorizationModel {
    pub description: Option<String>,
    pub org_id: Option<String>,
    pub user_id: Option<String>,
    pub permissions: Option<Vec<PermissionModel>>,
    pub all_access: Option<bool>,
    pub operator: Option<bool>,
    pub id: Option<String>,
    pub token: Option<String>,
}

/// What Close needs: the authorization to delete, and its description for the message that
/// asks for a manual delete when Close fails.
#[derive(Serialize, Deserialize)]
pub struct AuthorizationToDelete {
    pub id: String,
    pub description: String,
}

#[async_trait]
impl EphemeralResource for EphemeralAuthorization {
    type Client = V2Api;
    type Model = EphemeralAuthorizationModel;
    type Private = AuthorizationToDelete;

    fn type_name(&self) -> &'static str {
        "influxdb_authorization"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "An InfluxDB OSS v2 or Cloud Serverless API token for one Terraform run (Terraform 1.10 or later). It is created when Terraform opens it, at the start of each plan or apply that uses it, and deleted when Terraform closes it at the end of that run; it is never written to the state or the plan file. The v2 API cannot make a token expire: if Terraform is killed before it closes the authorization, the authorization stays active until it is deleted. Give it a distinctive description so that leftovers can be found.",
            vec![
                Attribute::required("description", Type::String)
                    .describe("What the token is for. Required and must not be empty: it is how a leftover authorization (Terraform killed before it closed it) is found, with the `influxdb_authorizations` data source or `influx auth list`. Make it distinctive, for example `\"terraform ephemeral: ci\"`.")
                    .validate_str("Invalid description", validators::not_empty),
                Attribute::optional_computed("org_id", Type::String)
                    .describe("The organization's ID (16 hexadecimal digits). Unset: the provider's `org` or `org_id`.")
                    .validate_str("Invalid org_id", validate_v2_id),
                Attribute::optional_computed("user_id", Type::String)
                    .describe("The user the token belongs to. Unset: the user of the provider's token.")
                    .validate_str("Invalid user_id", validate_v2_id),
                Attribute::optional_computed("permissions", Type::Dynamic)
                    .describe("The token's permissions: a set of `{ action, resource = { type, id, name, org_id } }`, as for the `influxdb_authorization` resource. Required unless `all_access` or `operator` is set, which fill it in. At least one.")
                    .nested(Nesting::Set, permission_attributes()),
                Attribute::optional("all_access", Type::Bool)
                    .describe("`true`: read and write on every resource type of the organization, as `influx auth create --all-access`. Excludes `permissions` and `operator`."),
                Attribute::optional("operator", Type::Bool)
                    .describe("`true`: read and write on every resource type of every organization, as `influx auth create --operator`. Excludes `permissions` and `all_access`."),
                Attribute::computed("id", Type::String)
                    .describe("The authorization's ID."),
                Attribute::computed("token", Type::String)
                    .describe("The token string. Ephemeral: usable in provider configurations, ephemeral outputs and variables, and write-only attributes, never stored.")
                    .sensitive(),
            ],
        )
        .requires_terraform(
            MIN_TERRAFORM,
            "crashes displaying nested attributes such as `permissions` (every Terraform with ephemeral resources is newer)",
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        validate_permission_choice(config, diags);
    }

    async fn open(
        &self,
        api: &V2Api,
        config: EphemeralAuthorizationModel,
        diags: &mut Diagnostics,
    ) -> Option<Opened<EphemeralAuthorizationModel, AuthorizationToDelete>> {
        let v2 = api;
        let shortcut = config.all_access == Some(true) || config.operator == Some(true);
        let new = NewAuthorization {
            org_id: config.org_id.as_deref(),
            user_id: config.user_id.clone(),
            description: config.description.clone(),
            status: None,
            permissions: config.permissions.as_deref(),
            all_access: config.all_access == Some(true),
            operator: config.operator == Some(true),
        };
        let a = create_authorization(
            v2,
            new,
            "Creating the ephemeral authorization failed",
            diags,
        )
        .await?;
        if let Some(secret) = &a.token {
            crate::log::redact(secret);
        }
        // A shortcut's permissions are shown as the server granted them; configured ones are
        // kept as written (the engine puts the configuration back over the result).
        let granted = shortcut.then(|| permissions::all_from_api(&a.permissions, &a.org_id));
        let private = AuthorizationToDelete {
            id: a.id.clone(),
            description: a.description.clone().unwrap_or_default(),
        };
        Some(Opened {
            result: EphemeralAuthorizationModel {
                org_id: Some(a.org_id),
                user_id: a.user_id,
                permissions: granted.or(config.permissions),
                id: Some(a.id),
                token: a.token,
                ..config
            },
            private,
        })
    }

    async fn close(&self, api: &V2Api, private: AuthorizationToDelete, diags: &mut Diagnostics) {
        let client = &api.client;
        // Cleanup: the authorization is deleted even when Terraform is stopping the provider.
        let deleted = crate::influxdb::http::cleanup(client.delete_authorization(&private.id));
        if let Err(e) = gone_is_ok(deleted.await) {
            diags.error(
                "Deleting the ephemeral authorization failed",
                format!(
                    "{e}\n\nAuthorization {} ({:?}) stays active until it is deleted: the InfluxDB v2 API has no expiry for tokens. Delete it by hand: influx auth delete --id {}",
                    private.id, private.description, private.id
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_is_valid() {
        EphemeralAuthorization.schema().check().unwrap();
    }

    #[test]
    fn the_permissions_are_the_resources() {
        let ours = EphemeralAuthorization.schema();
        let nested = format!("{:?}", ours.attribute("permissions").map(|a| &a.nested));
        let shared = format!("{:?}", permission_attributes());
        assert!(nested.contains(&shared), "{nested}");
    }
}
