//! `influxdb_v1_authorization`: a v1 user name and password of InfluxDB OSS v2 for 1.x clients
//! (`/private/legacy/authorizations`).
//!
//! - `token` (the user name), `org_id` and `permissions` replace it (the API cannot change
//!   them); `description` and `status` change in place; a status changed outside is restored.
//! - `password_wo` is write-only (Terraform 1.11 or later): sent with the password endpoint
//!   after the create and whenever `password_wo_version` changes, never in plan or state.
//! - A lost create answer leaves no live v1 authorization: it is found by its unique user name
//!   and deleted ([`super::delete_if_created`]).
//! - InfluxDB Cloud Serverless has none (a v1 client sends an API token as its password
//!   there): refused at plan, naming the product.
//! - Refreshes read from one list per provider process ([`crate::influxdb::v2::snapshots`]).

use async_trait::async_trait;
use time::OffsetDateTime;

use super::*;
use crate::engine::schema::{Attribute, Nesting};
use crate::engine::{IdentityAttribute, IdentitySchema, Resource, Schema, Type};
use crate::influxdb::v2::authorization::permission_attributes;
use crate::influxdb::v2::models::UpdateAuthorization;
use crate::influxdb::v2::{attributes, password};
use crate::influxdb::v2::{validate_v2_id, V2Api};

pub struct V1AuthorizationResource;

/// Whose password an error names.
const WHOSE: &str = "the v1 authorization's";

#[async_trait]
impl Resource for V1AuthorizationResource {
    type Client = V2Api;
    type State = V1AuthorizationState;

    fn type_name(&self) -> &'static str {
        "influxdb_v1_authorization"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "A v1 authorization of InfluxDB OSS v2: the user name (`token`) and password with which 1.x clients (Grafana's InfluxQL data source, Telegraf's `influxdb` output, 1.x client libraries) log in, with read or write permissions on buckets. The password is a write-only argument, never stored in the plan or the state. Destroying the resource deletes the v1 authorization. Not on InfluxDB Cloud Serverless (fails at plan), where a 1.x client sends an API token as its password. Needs Terraform 1.11.0 or later.",
            vec![
                Attribute::computed("id", Type::String)
                    .describe("The v1 authorization's ID.")
                    .use_state_for_unknown(),
                attributes::org_id("the v1 authorization"),
                Attribute::required("token", Type::String)
                    .describe("The v1 user name (InfluxDB calls it the token), unique on the server: 1.x clients send it as `u` or as the basic-auth user. Not a secret. A change replaces the v1 authorization.")
                    .validate_str("Invalid token", check_token)
                    .requires_replace(),
                attributes::description("the credentials are"),
                attributes::status("logins are refused, the authorization is kept"),
                Attribute::required("permissions", Type::Dynamic)
                    .describe("The permissions: a set of `{ action, resource = { type = \"buckets\", id, name, org_id } }` as in `influxdb_authorization`, on buckets only (what 1.x clients read and write). Order does not matter. The API cannot change them, so a change replaces the v1 authorization. At least one.")
                    .nested(Nesting::Set, permission_attributes())
                    .requires_replace(),
                Attribute::computed("user_id", Type::String)
                    .describe("The user the v1 authorization belongs to: the user of the provider's token.")
                    .use_state_for_unknown(),
            ]
            .into_iter()
            .chain(password::attributes("The password, at least 8 characters. Write-only: sent to InfluxDB after the v1 authorization is created and whenever `password_wo_version` changes, never stored in the plan or the state. Unset: no password (set one with `influx v1 auth set-password`), so logins fail."))
            .collect(),
        )
        .requires_terraform("1.11.0", "has no write-only attributes, which `password_wo` is (so that the password is never stored in the state)")
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        validate_permissions(config, diags);
        password::validate(config, diags);
    }

    /// InfluxDB Cloud Serverless has no v1 authorizations: refused at plan, naming it.
    async fn check_server(&self, api: &V2Api, _planned: &Value, diags: &mut Diagnostics) {
        api.refuse_on_cloud(
            "influxdb_v1_authorization",
            "Cloud Serverless makes v1 credentials another way: a 1.x client sends an API token (influxdb_authorization) as its password, with any user name.",
            diags,
        )
        .await;
    }

    fn identity(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema::new(vec![IdentityAttribute::required(
            "id",
            "The v1 authorization's ID (16 hexadecimal digits).",
        )]))
    }

    async fn create(
        &self,
        api: &V2Api,
        planned: V1AuthorizationState,
        diags: &mut Diagnostics,
    ) -> Option<V1AuthorizationState> {
        let org_id = api
            .org_id(planned.org_id.as_deref(), "org_id", diags)
            .await?;
        let body = CreateLegacyAuthorization {
            token: planned.token.clone().unwrap_or_default(),
            description: planned.description.clone(),
            status: planned.status.clone().unwrap_or_else(|| "active".into()),
            permissions: planned
                .permissions
                .iter()
                .flatten()
                .map(|p| permissions::to_api(p, &org_id))
                .collect(),
            org_id,
        };
        let client = &api.client;
        let started = OffsetDateTime::now_utc();
        let created = match client.create_legacy_authorization(&body).await {
            Ok(a) => a,
            Err(e) if e.may_have_been_created() => {
                let cleanup = delete_if_created(client, &body, started).await;
                diags.error(
                    "Creating the v1 authorization failed",
                    format!("{e}\n\n{cleanup}"),
                );
                return None;
            }
            Err(e) if e.error.status() == Some(422) => {
                let import = match client.find_legacy_authorization(&body.token).await {
                    Ok(Some(a)) => format!(
                        " To manage it with Terraform, import it: terraform import ADDRESS {}",
                        a.id
                    ),
                    _ => String::new(),
                };
                diags.attribute_error(
                    AttributePath::root("token"),
                    "v1 user name already taken",
                    format!(
                        "{}\n\nA v1 authorization with user name {:?} already exists.{import}",
                        e.error, body.token
                    ),
                );
                return None;
            }
            Err(e) => {
                diags.error("Creating the v1 authorization failed", e.to_string());
                return None;
            }
        };
        let state = state_from(created, &planned);
        if let (Some(id), Some(pw)) = (&state.id, &planned.password_wo) {
            // On failure it exists: it is recorded (tainted, so replaced), never orphaned.
            password::taken(client.set_legacy_password(id, pw).await, WHOSE, diags);
        }
        Some(state)
    }

    async fn read(
        &self,
        api: &V2Api,
        current: V1AuthorizationState,
        diags: &mut Diagnostics,
    ) -> Option<V1AuthorizationState> {
        let id = current.id.clone().unwrap_or_default();
        match api.client.read_legacy_authorization(&id).await {
            Ok(a) => Some(state_from(a, &current)),
            Err(e) if e.is_not_found() => {
                diags.warning(
                    "v1 authorization deleted outside Terraform",
                    format!("The v1 authorization {:?} ({id}) no longer exists. It is removed from the state and the next apply creates it again (with the configured password).", current.token.as_deref().unwrap_or("")),
                );
                None
            }
            Err(e) => {
                diags.error("Reading the v1 authorization failed", e.to_string());
                None
            }
        }
    }

    async fn update(
        &self,
        api: &V2Api,
        prior: V1AuthorizationState,
        planned: V1AuthorizationState,
        diags: &mut Diagnostics,
    ) -> Option<V1AuthorizationState> {
        let id = prior.id.clone().unwrap_or_default();
        let body = UpdateAuthorization::between(
            (&prior.status, &prior.description),
            (&planned.status, &planned.description),
        );
        let mut state = V1AuthorizationState {
            password_wo: None,
            ..prior.clone()
        };
        if !body.is_empty() {
            match api.client.update_legacy_authorization(&id, &body).await {
                Ok(a) => state = state_from(a, &planned),
                Err(e) => {
                    diags.error("Updating the v1 authorization failed", e.to_string());
                    return None;
                }
            }
        }
        state.password_wo_version = prior.password_wo_version;
        let versions = (prior.password_wo_version, planned.password_wo_version);
        if let Some(pw) = password::to_resend(versions, planned.password_wo.as_deref()) {
            let sent = api.client.set_legacy_password(&id, pw).await;
            if !password::taken(sent, WHOSE, diags) {
                // The old version stays in the state, so the next apply tries again.
                return Some(state);
            }
        }
        state.password_wo_version = planned.password_wo_version;
        Some(state)
    }

    async fn delete(&self, api: &V2Api, prior: V1AuthorizationState, diags: &mut Diagnostics) {
        let id = prior.id.unwrap_or_default();
        if let Err(e) = gone_is_ok(api.client.delete_legacy_authorization(&id).await) {
            diags.error("Deleting the v1 authorization failed", e.to_string());
        }
    }

    async fn import(
        &self,
        api: &V2Api,
        id: &str,
        diags: &mut Diagnostics,
    ) -> Option<V1AuthorizationState> {
        if let Err(e) = validate_v2_id(id) {
            diags.error(
                "Invalid import ID",
                format!("A v1 authorization is imported by its ID (influx v1 auth list). {e}"),
            );
            return None;
        }
        match api.client.get_legacy_authorization(id).await {
            Ok(a) => Some(state_from(a, &V1AuthorizationState::default())),
            Err(e) if e.is_not_found() => None,
            Err(e) => {
                diags.error("Importing the v1 authorization failed", e.to_string());
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_follows_terraforms_rules_and_needs_1_11() {
        let s = V1AuthorizationResource.schema();
        s.check().unwrap();
        assert!(s.terraform_too_old("1.10.5").is_some());
        assert!(s.terraform_too_old("1.11.0").is_none());
    }
}
