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
//! with the ephemeral `influxdb_authorization` (`crate::influxdb::ephemeral::authorization`).

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::engine::schema::{validators, Attribute, Nesting};
use crate::engine::{
    AttributePath, Diagnostics, IdentityAttribute, IdentitySchema, PlanChange, Resource, Schema,
    Type, Value,
};
use crate::influxdb::names;
use crate::influxdb::product::{missing_org, validate_v2_id, V2Target};
use crate::influxdb::provider::Influx;
use crate::influxdb::v2::client::{gone_is_ok, AuthorizationFilter};
use crate::influxdb::v2::models::{Authorization, CreateAuthorization, UpdateAuthorization};
use crate::influxdb::v2::permissions::{self, PermissionModel, ACTIONS, RESOURCE_TYPES};
use crate::influxdb::v2::V2Client;

pub struct AuthorizationResource;

/// The oldest Terraform that displays and plans nested attributes correctly.
pub const MIN_TERRAFORM: &str = "1.3.0";

#[derive(Serialize, Deserialize, Default, Clone, Debug)]
pub struct AuthorizationState {
    pub id: Option<String>,
    pub org_id: Option<String>,
    pub user_id: Option<String>,
    pub description: Option<String>,
    pub status: Option<String>,
    pub permissions: Option<Vec<PermissionModel>>,
    pub all_access: Option<bool>,
    pub operator: Option<bool>,
    pub token: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub org: Option<String>,
    pub user: Option<String>,
}

/// The `permissions` attribute's nested attributes, shared with the docs.
pub fn permission_attributes() -> Vec<Attribute> {
    vec![
        Attribute::required("action", Type::String)
            .describe("`\"read\"` or `\"write\"`.")
            .validate_str("Invalid permission action", validators::one_of(ACTIONS)),
        Attribute::required("resource", Type::Dynamic)
            .describe("What the permission applies to.")
            .nested(
                Nesting::Single,
                vec![
                    Attribute::required("type", Type::String)
                        .describe(&format!("The resource type: {}.", permissions::types_in_words()))
                        .validate_str("Invalid permission resource type", validators::one_of(RESOURCE_TYPES)),
                    Attribute::optional("id", Type::String)
                        .describe("One resource by ID (16 hexadecimal digits). Unset: every resource of the type.")
                        .validate_str("Invalid permission resource id", validate_v2_id),
                    Attribute::optional("name", Type::String)
                        .describe("One resource by name (for example a bucket's).")
                        .validate_str("Invalid permission resource name", validators::not_empty),
                    Attribute::optional("org_id", Type::String)
                        .describe("The organization of the resources. Unset: the authorization's organization.")
                        .validate_str("Invalid permission resource org_id", validate_v2_id),
                ],
            ),
    ]
}

fn is_true(v: &Value) -> bool {
    matches!(v, Value::Bool(true))
}

/// The state of an authorization as the API describes it. The token string is not in API
/// responses except the create response, so it is carried over; permissions that match what
/// the state holds keep the state's form.
fn state_from(
    a: Authorization,
    prior: &AuthorizationState,
    token: Option<String>,
) -> AuthorizationState {
    let permissions = match &prior.permissions {
        Some(p) if permissions::same(p, &a.permissions, &a.org_id) => p.clone(),
        _ => {
            let mut p: Vec<_> = a
                .permissions
                .iter()
                .map(|p| permissions::from_api(p, &a.org_id))
                .collect();
            p.sort();
            p
        }
    };
    AuthorizationState {
        id: Some(a.id),
        org_id: Some(a.org_id),
        user_id: a.user_id,
        description: a.description.filter(|d| !d.is_empty()),
        status: Some(a.status.unwrap_or_else(|| "active".into())),
        permissions: Some(permissions),
        all_access: prior.all_access,
        operator: prior.operator,
        token: a.token.or(token),
        created_at: a.created_at,
        updated_at: a.updated_at,
        org: a.org,
        user: a.user,
    }
}

#[async_trait]
impl Resource for AuthorizationResource {
    type Client = Influx;
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
                Attribute::optional_computed("org_id", Type::String)
                    .describe("The organization's ID (16 hexadecimal digits). Unset: the provider's `org` or `org_id`. A change replaces the authorization.")
                    .validate_str("Invalid org_id", validate_v2_id)
                    .requires_replace()
                    .use_state_for_unknown(),
                Attribute::optional_computed("user_id", Type::String)
                    .describe("The user the token belongs to (it stops working when that user is deleted). Unset: the user of the provider's token. A change replaces the authorization.")
                    .validate_str("Invalid user_id", validate_v2_id)
                    .requires_replace()
                    .use_state_for_unknown(),
                Attribute::optional("description", Type::String)
                    .describe("What the token is for. Must not be empty. Updated in place.")
                    .validate_str("Invalid description", validators::not_empty),
                Attribute::optional_computed("status", Type::String)
                    .describe("`\"active\"` (the default) or `\"inactive\"` (the token is refused but kept). Updated in place; a status changed outside Terraform is restored.")
                    .validate_str("Invalid status", validators::one_of(&["active", "inactive"]))
                    .default("active"),
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

    fn check_provider(&self, influx: &Influx, config: &Value, diags: &mut Diagnostics) {
        check_v2_provider(influx, self.type_name(), config, diags);
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
        influx: &Influx,
        planned: AuthorizationState,
        diags: &mut Diagnostics,
    ) -> Option<AuthorizationState> {
        let v2 = influx.v2(diags)?;
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
        influx: &Influx,
        current: AuthorizationState,
        diags: &mut Diagnostics,
    ) -> Option<AuthorizationState> {
        let client = influx.v2(diags)?.client(diags)?;
        let id = current.id.clone().unwrap_or_default();
        match client.get_authorization(&id).await {
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
        influx: &Influx,
        prior: AuthorizationState,
        planned: AuthorizationState,
        diags: &mut Diagnostics,
    ) -> Option<AuthorizationState> {
        let client = influx.v2(diags)?.client(diags)?;
        let id = prior.id.clone().unwrap_or_default();
        let body = UpdateAuthorization {
            status: (planned.status != prior.status)
                .then(|| planned.status.clone().unwrap_or_else(|| "active".into())),
            // An unset description is the API's empty one.
            description: (planned.description != prior.description)
                .then(|| planned.description.clone().unwrap_or_default()),
        };
        if body.status.is_none() && body.description.is_none() {
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

    async fn delete(&self, influx: &Influx, prior: AuthorizationState, diags: &mut Diagnostics) {
        let Some(client) = influx.v2(diags).and_then(|v2| v2.client(diags)) else {
            return;
        };
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
        influx: &Influx,
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
        let client = influx.v2(diags)?.client(diags)?;
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

/// The cross-attribute rules of `permissions`, `all_access` and `operator`, shared with the
/// ephemeral `influxdb_authorization` (values may be unknown).
pub fn validate_permission_choice(config: &Value, diags: &mut Diagnostics) {
    let (all, op, perms) = (
        config.attr("all_access"),
        config.attr("operator"),
        config.attr("permissions"),
    );
    if is_true(all) && is_true(op) {
        diags.attribute_error(
            AttributePath::root("operator"),
            "all_access and operator are mutually exclusive",
            "An operator token already has every permission of every organization; set only one of all_access and operator.",
        );
    }
    for (name, flag) in [("all_access", all), ("operator", op)] {
        if is_true(flag) && !perms.is_null() {
            diags.attribute_error(
                AttributePath::root(name),
                format!("{name} conflicts with permissions"),
                format!("{name} = true grants a fixed set of permissions; remove either {name} or permissions."),
            );
        }
    }
    let shortcut = is_true(all) || is_true(op) || !all.is_known() || !op.is_known();
    if perms.is_null() && !shortcut {
        diags.attribute_error(
            AttributePath::root("permissions"),
            "Missing permissions",
            "Set permissions, or all_access = true (every permission of the organization), or operator = true (every permission of every organization).",
        );
    }
    if perms.elements().is_some_and(|e| e.is_empty()) {
        diags.attribute_error(
            AttributePath::root("permissions"),
            "Empty permissions",
            "An authorization needs at least one permission.",
        );
    }
}

/// The provider checks of every v2 authorization (resource and ephemeral): the provider block
/// must be for InfluxDB v2, and an organization must be known.
pub fn check_v2_provider(
    influx: &Influx,
    type_name: &str,
    config: &Value,
    diags: &mut Diagnostics,
) {
    influx.require_v2(type_name, diags);
    let mut quiet = Diagnostics::default();
    if let Some(v2) = influx.v2(&mut quiet) {
        if config.attr("org_id").is_null() && !v2.has_org() {
            diags.push(missing_org("org_id"));
        }
    }
}

/// What an authorization is created from: the configured attributes that the resource and the
/// ephemeral resource share.
pub struct NewAuthorization<'a> {
    pub org_id: Option<&'a str>,
    pub user_id: Option<String>,
    pub description: Option<String>,
    /// Unset: `active`.
    pub status: Option<String>,
    pub permissions: Option<&'a [PermissionModel]>,
    pub all_access: bool,
    pub operator: bool,
}

/// Creates an authorization: resolves the organization, expands the `all_access` and
/// `operator` shortcuts, and never leaves an active orphan: after a create whose outcome is
/// unknown it finds and deletes what the server may have made. `failed` titles the error.
pub async fn create_authorization(
    v2: &V2Target,
    new: NewAuthorization<'_>,
    failed: &str,
    diags: &mut Diagnostics,
) -> Option<Authorization> {
    let org_id = v2.org_id(new.org_id, "org_id", diags).await?;
    let client = v2.client(diags)?;
    let perms = if new.all_access || new.operator {
        let types = match client.resource_types().await {
            Ok(t) => t,
            Err(e) => {
                diags.error("Listing the server's resource types failed", e.to_string());
                return None;
            }
        };
        let scope = new.all_access.then_some(org_id.as_str());
        permissions::expand(&types, scope)
    } else {
        new.permissions
            .iter()
            .copied()
            .flatten()
            .map(|p| permissions::to_api(p, &org_id))
            .collect()
    };
    let body = CreateAuthorization {
        org_id,
        user_id: new.user_id,
        description: new.description,
        status: new.status.unwrap_or_else(|| "active".into()),
        permissions: perms,
    };
    let started = OffsetDateTime::now_utc();
    match client.create_authorization(&body).await {
        Ok(a) => Some(a),
        Err(e) if e.may_have_been_created() => {
            let cleanup = delete_orphans(client, &body, started).await;
            diags.error(failed, format!("{e}\n\n{cleanup}"));
            None
        }
        Err(e) => {
            diags.error(failed, e.to_string());
            None
        }
    }
}

/// After a create whose outcome is unknown (timeout, connection lost), finds authorizations
/// the server may have created for it (same org, user, description and permissions, created
/// around the time of the call) and deletes them, so that no active token exists outside
/// state. Returns a sentence for the error message.
async fn delete_orphans(
    client: &V2Client,
    body: &CreateAuthorization,
    started: OffsetDateTime,
) -> String {
    let window = time::Duration::minutes(2);
    let filter = AuthorizationFilter {
        org_id: Some(body.org_id.clone()),
        ..Default::default()
    };
    let list = match client.list_authorizations(&filter).await {
        Ok(l) => l,
        Err(e) => {
            return format!(
                "An authorization may have been created on the server, and it could not be checked ({e}). List the authorizations (influx auth list) and delete any described {:?} that Terraform does not know.",
                body.description.as_deref().unwrap_or("")
            )
        }
    };
    let key = |p: &crate::influxdb::v2::models::Permission| {
        (
            p.action.clone(),
            p.resource.kind.clone(),
            p.resource.id.clone(),
            p.resource.org_id.clone(),
        )
    };
    let mut sent: Vec<_> = body.permissions.iter().map(key).collect();
    sent.sort();
    let now = OffsetDateTime::now_utc();
    let orphans: Vec<_> = list
        .into_iter()
        .filter(|a| {
            let mut got: Vec<_> = a.permissions.iter().map(key).collect();
            got.sort();
            a.description.as_deref().unwrap_or("") == body.description.as_deref().unwrap_or("")
                && body
                    .user_id
                    .as_ref()
                    .is_none_or(|u| a.user_id.as_ref() == Some(u))
                && got == sent
                && a.created_at
                    .as_deref()
                    .and_then(|c| names::parse_rfc3339(c).ok())
                    .is_some_and(|c| c >= started - window && c <= now + window)
        })
        .collect();
    if orphans.is_empty() {
        return "No authorization was created on the server. Run terraform apply again.".into();
    }
    let mut lines = Vec::new();
    for a in orphans {
        match gone_is_ok(client.delete_authorization(&a.id).await) {
            Ok(()) => lines.push(format!(
                "The server had created authorization {} before the connection failed; it was deleted, because its token was lost. Run terraform apply again.",
                a.id
            )),
            Err(e) => lines.push(format!(
                "The server created authorization {} but deleting it failed ({e}); delete it by hand (influx auth delete --id {}).",
                a.id, a.id
            )),
        }
    }
    lines.join("\n")
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
        let out = plan(
            &schema,
            &prior,
            &cfg,
            |c, d| AuthorizationResource.modify_plan(c, d),
            &mut d,
        );
        assert!(!d.has_errors(), "{d:?}");
        assert_eq!(out.planned.attr("status"), &Value::from("active"));
        assert!(out.requires_replace.is_empty(), "a status flip is in place");
        assert_eq!(out.planned.attr("permissions"), prior.attr("permissions"));
        // Nothing changed: nothing planned.
        prior.set_attr("status", "active".into());
        let out = plan(
            &schema,
            &prior,
            &cfg,
            |c, d| AuthorizationResource.modify_plan(c, d),
            &mut d,
        );
        assert_eq!(out.planned, prior);
    }
}
