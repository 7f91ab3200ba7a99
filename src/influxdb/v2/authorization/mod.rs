//! An InfluxDB v2 authorization (API token): its state, its permission attributes and rules,
//! and its create (with the cleanup of an orphan left by a lost answer), shared by its
//! resource, data sources and ephemeral resource.

pub mod data_source;
pub mod data_sources;
pub mod ephemeral;
pub mod list;
pub mod resource;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::client::{gone_is_ok, AuthorizationFilter};
use super::models::{self, Authorization, CreateAuthorization};
use super::permissions::{self, PermissionModel, ACTIONS, RESOURCE_TYPES};
use super::{validate_v2_id, V2Api, V2Client};
use crate::engine::schema::{validators, Attribute, Nesting};
use crate::engine::{AttributePath, Diagnostics, Type, Value};
use crate::influxdb::timestamp;

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

pub(super) fn is_true(v: &Value) -> bool {
    matches!(v, Value::Bool(true))
}

/// The state of an authorization as the API describes it. The token string is not in API
/// responses except the create response, so it is carried over; permissions that match what
/// the state holds keep the state's form.
pub(super) fn state_from(
    a: Authorization,
    prior: &AuthorizationState,
    token: Option<String>,
) -> AuthorizationState {
    let permissions = permissions::kept(prior.permissions.as_ref(), &a.permissions, &a.org_id);
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
    v2: &V2Api,
    new: NewAuthorization<'_>,
    failed: &str,
    diags: &mut Diagnostics,
) -> Option<Authorization> {
    let org_id = v2.org_id(new.org_id, "org_id", diags).await?;
    let client = &v2.client;
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
/// state. Returns a sentence for the error message. Runs as cleanup: on its own short
/// deadline, even when Terraform is stopping the provider (see [`crate::influxdb::http::stop`]).
async fn delete_orphans(
    client: &V2Client,
    body: &CreateAuthorization,
    started: OffsetDateTime,
) -> String {
    crate::influxdb::http::cleanup(find_and_delete(client, body, started)).await
}

async fn find_and_delete(
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
                    .and_then(|c| timestamp::parse_rfc3339(c).ok())
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

// ---------------------------------------------------------------------------------------------
// The data sources' model of an authorization (no token: data sources never expose it).

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ResourceOut {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub id: Option<String>,
    pub name: Option<String>,
    pub org_id: Option<String>,
    pub org: Option<String>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct PermissionOut {
    pub action: Option<String>,
    pub resource: Option<ResourceOut>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug)]
pub struct AuthorizationModel {
    pub id: Option<String>,
    pub org_id: Option<String>,
    pub org: Option<String>,
    pub user_id: Option<String>,
    pub user: Option<String>,
    pub description: Option<String>,
    pub status: Option<String>,
    pub permissions: Option<Vec<PermissionOut>>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
}

pub fn permission_type() -> Type {
    Type::object([
        ("action", Type::String),
        (
            "resource",
            Type::object([
                ("type", Type::String),
                ("id", Type::String),
                ("name", Type::String),
                ("org_id", Type::String),
                ("org", Type::String),
            ]),
        ),
    ])
}

/// The attributes of one authorization, for this data source and the list.
pub fn authorization_type() -> Type {
    Type::object([
        ("id", Type::String),
        ("org_id", Type::String),
        ("org", Type::String),
        ("user_id", Type::String),
        ("user", Type::String),
        ("description", Type::String),
        ("status", Type::String),
        ("permissions", Type::set(permission_type())),
        ("created_at", Type::String),
        ("updated_at", Type::String),
    ])
}

pub(super) fn permission_out(p: &models::Permission) -> PermissionOut {
    let r = &p.resource;
    PermissionOut {
        action: Some(p.action.clone()),
        resource: Some(ResourceOut {
            kind: Some(r.kind.clone()),
            id: r.id.clone(),
            name: r.name.clone(),
            org_id: r.org_id.clone(),
            org: r.org.clone(),
        }),
    }
}

/// The model of an authorization; the token, if the API sent one, is dropped.
pub fn model(a: Authorization) -> AuthorizationModel {
    let mut permissions: Vec<_> = a.permissions.iter().map(permission_out).collect();
    permissions.sort();
    AuthorizationModel {
        id: Some(a.id),
        org_id: Some(a.org_id),
        org: a.org,
        user_id: a.user_id,
        user: a.user,
        description: a.description,
        status: Some(a.status.unwrap_or_else(|| "active".into())),
        permissions: Some(permissions),
        created_at: a.created_at,
        updated_at: a.updated_at,
    }
}

pub const PERMISSIONS_DOC: &str = "The permissions: a set of `{ action, resource = { type, id, name, org_id, org } }`, as the server reports them (`org` is the organization's name; unset fields are null).";
