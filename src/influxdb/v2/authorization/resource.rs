//! `influxdb_authorization`: an InfluxDB OSS v2 / Cloud Serverless API token (an
//! *authorization*), created, read, updated and deleted through `/api/v2/authorizations`.
//!
//! The token string is returned only by the create call, so `token` lives in Terraform state
//! for the life of the authorization. Permissions cannot change after creation (a change
//! replaces the authorization); `description` and `status` are updated in place. An
//! authorization deleted outside Terraform is removed from state (the next apply creates a new
//! one); a status flipped outside is restored.
//!
//! `permissions` holds objects whose `resource` has optional attributes, so it is a nested
//! attribute, which Terraform before 1.3 cannot display or plan correctly: the schema requires
//! Terraform 1.3.0 and the engine refuses older versions at validate and plan.
//!
//! The permission attributes, the checks and the create (with its orphan cleanup) are shared
//! with the ephemeral `influxdb_authorization` ([`super::ephemeral`]).

use async_trait::async_trait;

use super::*;
use crate::engine::schema::{Attribute, Nesting};
use crate::engine::{
    Diagnostics, IdentityAttribute, IdentitySchema, PlanChange, Resource, Schema, Type, Value,
};
use crate::influxdb::v2::client::gone_is_ok;
use crate::influxdb::v2::models::UpdateAuthorization;
use crate::influxdb::v2::V2Api;
use crate::influxdb::v2::{attributes, validate_v2_id};

pub struct AuthorizationResource;

#[async_trait]
impl Resource for AuthorizationResource {
    type Client = V2Api;
    type State = AuthorizationState;

    fn type_name(&self) -> &'static str {
        "influxdb_authorization"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "An API token of InfluxDB OSS v2 or Cloud Serverless (an *authorization*). The token string (`token`) is returned by the API only when the authorization is created and is kept, sensitive, in Terraform state. Destroying the resource deletes the authorization. Needs Terraform 1.3.0 or later.",
            vec![
                Attribute::computed("id", Type::String)
                    .describe("The authorization's ID.")
                    .use_state_for_unknown(),
                attributes::org_id("the authorization"),
                Attribute::optional_computed("user_id", Type::String)
                    .describe("The user the token belongs to (it stops working when that user is deleted). Unset: the user of the provider's token. A change replaces the authorization.")
                    .validate_str("Invalid user_id", validate_v2_id)
                    .requires_replace()
                    .use_state_for_unknown(),
                attributes::description("the token is"),
                attributes::status("the token is refused but kept"),
                Attribute::optional_computed("permissions", Type::Dynamic)
                    .describe("The token's permissions: a set of `{ action, resource = { type, id, name, org_id } }`. Order does not matter. The API cannot change them, so a change replaces the authorization (new ID, new token). Required unless `all_access` or `operator` is set, which fill it in. At least one.")
                    .nested(Nesting::Set, permission_attributes())
                    .requires_replace(),
                Attribute::optional("all_access", Type::Bool)
                    .describe("`true`: read and write on every resource type of the organization, as `influx auth create --all-access`. Excludes `permissions` and `operator`. A change replaces the authorization.")
                    .requires_replace(),
                Attribute::optional("operator", Type::Bool)
                    .describe("`true`: read and write on every resource type of every organization, as `influx auth create --operator`. Excludes `permissions` and `all_access`. A change replaces the authorization.")
                    .requires_replace(),
                Attribute::computed("token", Type::String)
                    .describe("The token string, set when the authorization is created and kept for its life. Null after `terraform import`: the API never returns it again.")
                    .sensitive()
                    .use_state_for_unknown(),
                Attribute::computed("created_at", Type::String)
                    .describe("When the authorization was created (RFC 3339).")
                    .use_state_for_unknown(),
                Attribute::computed("updated_at", Type::String)
                    .describe("When the authorization was last changed (RFC 3339)."),
                Attribute::computed("org", Type::String)
                    .describe("The organization's name.")
                    .use_state_for_unknown(),
                Attribute::computed("user", Type::String)
                    .describe("The name of the token's user.")
                    .use_state_for_unknown(),
            ],
        )
        .requires_terraform(
            MIN_TERRAFORM,
            "crashes displaying plans of nested attributes such as `permissions` (hashicorp/terraform#29385, #29382) and plans them wrongly (objchange fixes in 1.1.0 and 1.3.0)",
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        validate_permission_choice(config, diags);
    }

    fn modify_plan(&self, change: &mut PlanChange<'_>, _diags: &mut Diagnostics) {
        if change.is_create() {
            return;
        }
        // Permissions filled in by a shortcut stay as they are while nothing that decides them
        // changes (a status flip must not show them as unknown, nor replace the token).
        let decided_by_shortcut = change.config.attr("permissions").is_null();
        let same = ["all_access", "operator", "org_id", "user_id"]
            .iter()
            .all(|a| change.planned.attr(a) == change.prior.attr(a));
        if decided_by_shortcut && same {
            let prior = change.prior.attr("permissions").clone();
            change.planned.set_attr("permissions", prior);
        }
    }

    async fn create(
        &self,
        api: &V2Api,
        planned: AuthorizationState,
        diags: &mut Diagnostics,
    ) -> Option<AuthorizationState> {
        let v2 = api;
        let shortcut = planned.all_access == Some(true) || planned.operator == Some(true);
        let new = NewAuthorization {
            org_id: planned.org_id.as_deref(),
            user_id: planned.user_id.clone(),
            description: planned.description.clone(),
            status: planned.status.clone(),
            permissions: planned.permissions.as_deref(),
            all_access: planned.all_access == Some(true),
            operator: planned.operator == Some(true),
        };
        let a = create_authorization(v2, new, "Creating the authorization failed", diags).await?;
        // What was configured is what the state holds (when the API agrees).
        let prior = AuthorizationState {
            permissions: (!shortcut).then(|| planned.permissions.clone()).flatten(),
            ..planned
        };
        Some(state_from(a, &prior, None))
    }

    async fn read(
        &self,
        api: &V2Api,
        current: AuthorizationState,
        diags: &mut Diagnostics,
    ) -> Option<AuthorizationState> {
        let client = &api.client;
        let id = current.id.clone().unwrap_or_default();
        match client.read_authorization(&id).await {
            Ok(a) => {
                let token = current.token.clone();
                Some(state_from(a, &current, token))
            }
            Err(e) if e.is_not_found() => {
                diags.warning(
                    "Authorization deleted outside Terraform",
                    format!(
                        "Authorization {:?} ({id}) no longer exists. It is removed from the state and the next apply creates a new one.",
                        current.description.as_deref().unwrap_or("")
                    ),
                );
                None
            }
            Err(e) => {
                diags.error("Reading the authorization failed", e.to_string());
                None
            }
        }
    }

    async fn update(
        &self,
        api: &V2Api,
        prior: AuthorizationState,
        planned: AuthorizationState,
        diags: &mut Diagnostics,
    ) -> Option<AuthorizationState> {
        let client = &api.client;
        let id = prior.id.clone().unwrap_or_default();
        let body = UpdateAuthorization::between(
            (&prior.status, &prior.description),
            (&planned.status, &planned.description),
        );
        if body.is_empty() {
            return Some(prior);
        }
        match client.update_authorization(&id, &body).await {
            Ok(a) => Some(state_from(a, &planned, prior.token)),
            Err(e) => {
                diags.error("Updating the authorization failed", e.to_string());
                None
            }
        }
    }

    async fn delete(&self, api: &V2Api, prior: AuthorizationState, diags: &mut Diagnostics) {
        let client = &api.client;
        let id = prior.id.unwrap_or_default();
        if let Err(e) = gone_is_ok(client.delete_authorization(&id).await) {
            diags.error("Deleting the authorization failed", e.to_string());
        }
    }

    fn identity(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema::new(vec![IdentityAttribute::required(
            "id",
            "The authorization's ID (16 hexadecimal digits).",
        )]))
    }

    async fn import(
        &self,
        api: &V2Api,
        id: &str,
        diags: &mut Diagnostics,
    ) -> Option<AuthorizationState> {
        if let Err(e) = validate_v2_id(id) {
            diags.error(
                "Invalid import ID",
                format!("An authorization is imported by its ID. {e}"),
            );
            return None;
        }
        let client = &api.client;
        match client.get_authorization(id).await {
            Ok(a) => Some(state_from(a, &AuthorizationState::default(), None)),
            Err(e) if e.is_not_found() => None,
            Err(e) => {
                diags.error("Importing the authorization failed", e.to_string());
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::server::plan;

    #[test]
    fn the_schema_follows_terraforms_rules() {
        AuthorizationResource.schema().check().unwrap();
    }

    #[test]
    fn terraform_older_than_1_3_is_refused_with_the_reason() {
        let s = AuthorizationResource.schema();
        let msg = s.terraform_too_old("1.0.3").expect("too old");
        assert!(msg.contains("1.3.0") && msg.contains("1.0.3") && msg.contains("nested"));
        assert!(s.terraform_too_old("1.3.0").is_none());
        assert!(s.terraform_too_old("1.15.5").is_none());
    }

    fn config(pairs: &[(&str, Value)]) -> Value {
        let mut v = Value::empty_object(&AuthorizationResource.schema().ty());
        for (k, x) in pairs {
            v.set_attr(k, x.clone());
        }
        v
    }

    #[test]
    fn status_defaults_to_active_so_a_flip_outside_is_restored() {
        let schema = AuthorizationResource.schema();
        let mut prior = config(&[
            ("id", "0000000000000009".into()),
            ("org_id", "0000000000000001".into()),
            ("user_id", "0000000000000002".into()),
            ("status", "inactive".into()),
            ("all_access", true.into()),
            ("permissions", Value::Set(vec![])),
            ("token", "secret".into()),
            ("created_at", "2026-01-01T00:00:00Z".into()),
            ("updated_at", "2026-01-01T00:00:00Z".into()),
            ("org", "o".into()),
            ("user", "u".into()),
        ]);
        let cfg = config(&[("all_access", true.into())]);
        let mut d = Diagnostics::default();
        let modify =
            |c: &mut PlanChange<'_>, d: &mut Diagnostics| AuthorizationResource.modify_plan(c, d);
        let out = plan(&schema, &prior, &cfg, modify, &mut d);
        assert!(!d.has_errors(), "{d:?}");
        assert_eq!(out.planned.attr("status"), &Value::from("active"));
        assert!(out.requires_replace.is_empty(), "a status flip is in place");
        assert_eq!(out.planned.attr("permissions"), prior.attr("permissions"));
        // Nothing changed: nothing planned.
        prior.set_attr("status", "active".into());
        let out = plan(&schema, &prior, &cfg, modify, &mut d);
        assert_eq!(out.planned, prior);
    }
}
