//! `influxdb_database_token`: a database token, created, read, updated and revoked through the
//! Management API's tokens endpoints.
//!
//! The API returns the token string only once, when it is created, so `access_token` lives in
//! Terraform state for the life of the token. A token deleted or revoked outside Terraform is
//! removed from state (and created again by the next apply); an expired one is replaced.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::engine::schema::{validators, Attribute};
use crate::engine::{
    AttributePath, Diagnostics, IdentityAttribute, IdentitySchema, PlanChange, Resource, Schema,
    Type, Value,
};
use crate::influxdb::client::{gone_is_ok, ManagementClient};
use crate::influxdb::models::{
    CreateDatabaseToken, DatabaseToken, Permission, UpdateDatabaseToken,
};
use crate::influxdb::names;
use crate::influxdb::provider::Influx;

pub struct DatabaseTokenResource;

#[derive(Serialize, Deserialize, Default, Clone, Debug)]
pub struct TokenState {
    pub id: Option<String>,
    pub description: Option<String>,
    pub permissions: Option<Vec<Permission>>,
    pub expires_at: Option<String>,
    pub access_token: Option<String>,
    pub created_at: Option<String>,
    pub account_id: Option<String>,
    pub cluster_id: Option<String>,
}

pub fn permission_type() -> Type {
    Type::object([("action", Type::String), ("resource", Type::String)])
}

/// The shared description of the attributes a token exposes, used by the resource and the
/// data sources alike.
pub const PERMISSIONS_DOC: &str = "The token's permissions: a set of `{ action, resource }` objects. `action` is `\"read\"` or `\"write\"`; `resource` is a database name or `\"*\"` for all databases. Order does not matter; an empty set (`permissions = []`) is a token with no access.";

/// Checks every permission in a configured set, naming the offending value.
pub fn validate_permissions(v: &Value, path: &AttributePath, diags: &mut Diagnostics) {
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for el in v.elements().unwrap_or_default() {
        let (action, resource) = (el.attr("action"), el.attr("resource"));
        for (field, value, check) in [
            (
                "action",
                action,
                names::validate_action as fn(&str) -> Result<(), String>,
            ),
            ("resource", resource, names::validate_permission_resource),
        ] {
            if value.is_null() {
                diags.attribute_error(
                    path.clone(),
                    format!("Missing permission {field}"),
                    format!("Every permission needs an {field}."),
                );
            } else if let Some(Err(e)) = value.as_str().map(check) {
                diags.attribute_error(path.clone(), format!("Invalid permission {field}"), e);
            }
        }
        if let (Some(a), Some(r)) = (action.as_str(), resource.as_str()) {
            if seen.contains(&(a, r)) {
                diags.attribute_error(
                    path.clone(),
                    "Duplicate permission",
                    format!(
                        "The permission {{ action = {a:?}, resource = {r:?} }} is listed twice."
                    ),
                );
            }
            seen.push((a, r));
        }
    }
}

/// The same instant at the API's precision (it keeps milliseconds), whatever the offset or the
/// number of fractional digits written.
fn same_instant(a: &Value, b: &Value) -> bool {
    let millis = |v: &Value| {
        let t = names::parse_rfc3339(v.as_str()?).ok()?;
        Some(t.unix_timestamp_nanos().div_euclid(1_000_000))
    };
    matches!((millis(a), millis(b)), (Some(a), Some(b)) if a == b)
}

fn expires_in_past(v: &Value) -> Option<OffsetDateTime> {
    let t = names::parse_rfc3339(v.as_str()?).ok()?;
    (t <= OffsetDateTime::now_utc()).then_some(t)
}

pub(crate) fn sorted(mut p: Vec<Permission>) -> Vec<Permission> {
    p.sort();
    p.dedup();
    p
}

/// The state of a token as the API describes it. `access_token` is not in API responses
/// except the create response, so it is carried over from what Terraform already holds.
pub(crate) fn state_from(t: DatabaseToken, access_token: Option<String>) -> TokenState {
    TokenState {
        id: Some(t.id),
        description: Some(t.description),
        permissions: Some(sorted(t.permissions)),
        expires_at: t.expires_at,
        access_token: t.access_token.or(access_token),
        created_at: Some(t.created_at),
        account_id: t.account_id,
        cluster_id: t.cluster_id,
    }
}

#[async_trait]
impl Resource for DatabaseTokenResource {
    type Client = Influx;
    type State = TokenState;

    fn type_name(&self) -> &'static str {
        "influxdb_database_token"
    }

    fn check_provider(&self, influx: &Influx, _config: &Value, diags: &mut Diagnostics) {
        influx.require_management(self.type_name(), diags);
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "A database token for InfluxDB 3 Cloud Dedicated or Clustered. The token string (`access_token`) is returned by the API only when the token is created and is kept, sensitive, in Terraform state. Destroying the resource revokes the token.",
            vec![
                Attribute::computed("id", Type::String)
                    .describe("The token's ID (a UUID). Stable across updates.")
                    .use_state_for_unknown(),
                Attribute::required("description", Type::String)
                    .describe("What the token is for. Must not be empty. Updated in place.")
                    .validate_str("Invalid description", validators::not_empty),
                Attribute::required("permissions", Type::set(permission_type()))
                    .describe(&format!("{PERMISSIONS_DOC} A permission may not be listed twice. Updated in place: the token keeps its `id` and `access_token`."))
                    .validate(validate_permissions),
                Attribute::optional("expires_at", Type::String)
                    .describe("When the token expires, as an RFC 3339 timestamp with any offset and optional fractional seconds (`2030-01-01T00:00:00Z`, `2030-01-01T02:00:00+02:00`). Must be in the future when the token is created. Unset means never. The API cannot change it, so a change replaces the token (a new `id` and `access_token`; the old token is revoked). The same instant written another way is not a change, and the state keeps what you wrote.")
                    .validate_str("Invalid expires_at", |s| names::parse_rfc3339(s).map(|_| ()))
                    .semantic_equality(same_instant)
                    .requires_replace(),
                Attribute::computed("access_token", Type::String)
                    .describe("The token string, set when the token is created and kept for its life. Null after `terraform import`: the API never returns it again.")
                    .sensitive()
                    .use_state_for_unknown(),
                Attribute::computed("created_at", Type::String)
                    .describe("When the token was created (RFC 3339, UTC, milliseconds).")
                    .use_state_for_unknown(),
                Attribute::computed("account_id", Type::String)
                    .describe("The Cloud Dedicated account ID; null on Clustered.")
                    .use_state_for_unknown(),
                Attribute::computed("cluster_id", Type::String)
                    .describe("The Cloud Dedicated cluster ID; null on Clustered.")
                    .use_state_for_unknown(),
            ],
        )
    }

    fn identity(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema::new(vec![
            IdentityAttribute::required("id", "The token's ID (a UUID)."),
            IdentityAttribute::optional("account_id", "The Cloud Dedicated account ID; null on Clustered. When given in an import identity, it must be the provider's, or the import fails naming it."),
            IdentityAttribute::optional("cluster_id", "The Cloud Dedicated cluster ID; null on Clustered. When given in an import identity, it must be the provider's, or the import fails naming it."),
        ]))
    }

    fn modify_plan(&self, change: &mut PlanChange<'_>, diags: &mut Diagnostics) {
        let expires = change.config.attr("expires_at");
        let path = AttributePath::root("expires_at");
        if change.is_create() {
            if let Some(t) = expires_in_past(expires) {
                diags.attribute_error(
                    path,
                    "expires_at is in the past",
                    format!(
                        "{} is in the past, so the token would be expired as soon as it is created. Set a future time, or remove expires_at for a token that never expires.",
                        names::format_api_timestamp(t)
                    ),
                );
            }
            return;
        }
        // An existing token that has expired must be replaced.
        if let Some(t) = expires_in_past(change.prior.attr("expires_at")) {
            let id = change.prior.attr("id").as_str().unwrap_or("?").to_owned();
            if same_instant(expires, change.prior.attr("expires_at")) {
                diags.attribute_error(
                    path,
                    "Database token expired",
                    format!(
                        "Token {id} expired at {}. Terraform must replace it, but its expires_at is in the past, so the new token would be expired too. Set expires_at to a future time, or remove it for a token that never expires.",
                        names::format_api_timestamp(t)
                    ),
                );
            } else {
                diags.warning(
                    "Database token expired",
                    format!(
                        "Token {id} expired at {}; it will be replaced.",
                        names::format_api_timestamp(t)
                    ),
                );
                change.force_replace("id");
            }
        }
    }

    async fn create(
        &self,
        influx: &Influx,
        planned: TokenState,
        diags: &mut Diagnostics,
    ) -> Option<TokenState> {
        let client = influx.client(diags)?;
        let description = planned.description.clone().unwrap_or_default();
        let permissions = sorted(planned.permissions.clone().unwrap_or_default());
        let expires_at = match planned.expires_at.as_deref().map(names::parse_rfc3339) {
            Some(Ok(t)) => Some(names::format_api_timestamp(t)),
            Some(Err(e)) => {
                diags.attribute_error(AttributePath::root("expires_at"), "Invalid expires_at", e);
                return None;
            }
            None => None,
        };
        let body = CreateDatabaseToken {
            description,
            permissions,
            expires_at,
        };
        let started = OffsetDateTime::now_utc();
        match client.create_token(&body).await {
            Ok(token) => Some(state_from(token, None)),
            Err(e) if e.may_have_been_created() => {
                let cleanup = revoke_orphans(client, &body, started).await;
                diags.error(
                    "Creating the database token failed",
                    format!("{e}\n\n{cleanup}"),
                );
                None
            }
            Err(e) => {
                diags.error("Creating the database token failed", e.to_string());
                None
            }
        }
    }

    async fn read(
        &self,
        influx: &Influx,
        current: TokenState,
        diags: &mut Diagnostics,
    ) -> Option<TokenState> {
        let client = influx.client(diags)?;
        let id = current.id.clone().unwrap_or_default();
        let label = format!("{:?} ({id})", current.description.as_deref().unwrap_or(""));
        // From this process's snapshot of the list; a token not in it is confirmed by a GET.
        match client.read_token(&id).await {
            Ok(t) if t.revoked_at.is_some() => {
                diags.warning(
                    "Database token revoked outside Terraform",
                    format!(
                        "Token {label} was revoked at {}. It is removed from the state and the next apply creates a new one.",
                        t.revoked_at.as_deref().unwrap_or("?")
                    ),
                );
                None
            }
            Ok(t) => Some(state_from(t, current.access_token)),
            Err(e) if e.is_not_found() => {
                diags.warning(
                    "Database token deleted outside Terraform",
                    format!("Token {label} no longer exists. It is removed from the state and the next apply creates a new one."),
                );
                None
            }
            Err(e) => {
                diags.error("Reading the database token failed", e.to_string());
                None
            }
        }
    }

    async fn update(
        &self,
        influx: &Influx,
        prior: TokenState,
        planned: TokenState,
        diags: &mut Diagnostics,
    ) -> Option<TokenState> {
        let client = influx.client(diags)?;
        let id = prior.id.clone().unwrap_or_default();
        let changed = |a: &Option<Vec<Permission>>, b: &Option<Vec<Permission>>| {
            sorted(a.clone().unwrap_or_default()) != sorted(b.clone().unwrap_or_default())
        };
        // PATCH only what changed; the API replaces the whole permission set.
        let body = UpdateDatabaseToken {
            description: (planned.description != prior.description)
                .then(|| planned.description.clone().unwrap_or_default()),
            permissions: changed(&planned.permissions, &prior.permissions)
                .then(|| sorted(planned.permissions.clone().unwrap_or_default())),
        };
        if body.description.is_none() && body.permissions.is_none() {
            return Some(TokenState {
                id: Some(id),
                ..prior
            });
        }
        match client.update_token(&id, &body).await {
            Ok(t) => Some(state_from(t, prior.access_token)),
            Err(e) => {
                diags.error("Updating the database token failed", e.to_string());
                None
            }
        }
    }

    async fn delete(&self, influx: &Influx, prior: TokenState, diags: &mut Diagnostics) {
        let Some(client) = influx.client(diags) else {
            return;
        };
        let id = prior.id.unwrap_or_default();
        if let Err(e) = gone_is_ok(client.delete_token(&id).await) {
            diags.error("Revoking the database token failed", e.to_string());
        }
    }

    async fn import(
        &self,
        influx: &Influx,
        id: &str,
        diags: &mut Diagnostics,
    ) -> Option<TokenState> {
        if let Err(e) = crate::influxdb::provider::validate_uuid(id) {
            diags.error(
                "Invalid import ID",
                format!("A database token is imported by its ID. {e}"),
            );
            return None;
        }
        let client = influx.client(diags)?;
        match client.get_token(id).await {
            Ok(t) if t.revoked_at.is_some() => {
                diags.error(
                    "Cannot import a revoked token",
                    format!(
                        "Token {id} was revoked at {}; it can no longer be used.",
                        t.revoked_at.as_deref().unwrap_or("?")
                    ),
                );
                None
            }
            Ok(t) => Some(state_from(t, None)),
            Err(e) if e.is_not_found() => None,
            Err(e) => {
                diags.error("Importing the database token failed", e.to_string());
                None
            }
        }
    }
}

/// After a create whose outcome is unknown (timeout, connection lost), finds tokens the server
/// may have created for it (same description, permissions and expiry, created around the time
/// of the call, not revoked) and revokes them, so that no active token exists outside state.
/// Returns a sentence for the error message.
pub(crate) async fn revoke_orphans(
    client: &ManagementClient,
    body: &CreateDatabaseToken,
    started: OffsetDateTime,
) -> String {
    // Generous skew allowance between our clock and the server's.
    let window = time::Duration::minutes(2);
    let tokens = match client.list_tokens().await {
        Ok(t) => t,
        Err(e) => {
            return format!(
                "A token may have been created on the server, and it could not be checked ({e}). List the tokens (influxctl token list) and revoke any token described {:?} that Terraform does not know.",
                body.description
            )
        }
    };
    let now = OffsetDateTime::now_utc();
    let expires = body
        .expires_at
        .as_deref()
        .and_then(|s| names::parse_rfc3339(s).ok());
    let orphans: Vec<_> = tokens
        .into_iter()
        .filter(|t| {
            t.revoked_at.is_none()
                && t.description == body.description
                && sorted(t.permissions.clone()) == body.permissions
                && t.expires_at
                    .as_deref()
                    .and_then(|s| names::parse_rfc3339(s).ok())
                    == expires
                && names::parse_rfc3339(&t.created_at)
                    .map(|c| c >= started - window && c <= now + window)
                    .unwrap_or(false)
        })
        .collect();
    if orphans.is_empty() {
        return "No token was created on the server. Run terraform apply again.".into();
    }
    let mut lines = Vec::new();
    for t in orphans {
        match client.delete_token(&t.id).await {
            Ok(()) => lines.push(format!(
                "The server had created token {} before the connection failed; it was revoked, because its secret was lost. Run terraform apply again.",
                t.id
            )),
            Err(e) => lines.push(format!(
                "The server created token {} but revoking it failed ({e}); revoke it by hand (influxctl token revoke {}).",
                t.id, t.id
            )),
        }
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::server::plan;

    fn obj(pairs: &[(&str, Value)]) -> Value {
        let schema = DatabaseTokenResource.schema();
        let mut v = Value::empty_object(&schema.ty());
        for (k, x) in pairs {
            v.set_attr(k, x.clone());
        }
        v
    }

    fn perms(list: &[(&str, &str)]) -> Value {
        Value::Set(list.iter().map(|(a, r)| obj_perm(a, r)).collect())
    }

    fn obj_perm(a: &str, r: &str) -> Value {
        let mut m = std::collections::BTreeMap::new();
        m.insert("action".to_owned(), Value::from(a));
        m.insert("resource".to_owned(), Value::from(r));
        Value::Object(m)
    }

    #[test]
    fn invalid_permissions_are_reported_on_the_attribute() {
        let schema = DatabaseTokenResource.schema();
        let config = obj(&[
            ("description", "x".into()),
            ("permissions", perms(&[("admin", "db"), ("read", "_bad")])),
        ]);
        let mut d = Diagnostics::default();
        schema.validate(&config, &mut d);
        let errs: Vec<_> = d.iter().collect();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert!(errs
            .iter()
            .all(|e| e.attribute == Some(AttributePath::root("permissions"))));
        assert!(errs[0].detail.contains("\"admin\""));
    }

    #[test]
    fn instants_compare_at_the_apis_millisecond_precision() {
        let v = |s: &str| Value::from(s);
        assert!(same_instant(
            &v("2030-01-01T02:00:00+02:00"),
            &v("2030-01-01T00:00:00.000Z")
        ));
        assert!(same_instant(
            &v("2030-01-01T00:00:00.527405140Z"),
            &v("2030-01-01T00:00:00.527Z")
        ));
        assert!(!same_instant(
            &v("2030-01-01T00:00:00.528Z"),
            &v("2030-01-01T00:00:00.527Z")
        ));
        assert!(same_instant(
            &v("1969-12-31T23:59:59.9999Z"),
            &v("1969-12-31T23:59:59.999Z")
        ));
        assert!(!same_instant(&v("not a time"), &v("not a time")));
    }

    #[test]
    fn past_expiry_fails_at_plan_for_a_new_token() {
        let schema = DatabaseTokenResource.schema();
        let config = obj(&[
            ("description", "x".into()),
            ("permissions", perms(&[])),
            ("expires_at", "2001-01-01T00:00:00Z".into()),
        ]);
        let mut d = Diagnostics::default();
        plan(
            &schema,
            &Value::Null,
            &config,
            |c, d| DatabaseTokenResource.modify_plan(c, d),
            &mut d,
        );
        assert!(d.has_errors());
        assert_eq!(d.0[0].attribute, Some(AttributePath::root("expires_at")));
    }

    #[test]
    fn same_instant_in_another_offset_is_no_change() {
        let schema = DatabaseTokenResource.schema();
        let prior = obj(&[
            ("id", "id-1".into()),
            ("description", "x".into()),
            ("permissions", perms(&[("read", "a"), ("write", "b")])),
            ("expires_at", "2030-01-01T02:00:00+02:00".into()),
            ("access_token", "apiv1_secret".into()),
            ("created_at", "2026-01-01T00:00:00.000Z".into()),
        ]);
        let mut config = obj(&[
            ("description", "x".into()),
            ("permissions", perms(&[("write", "b"), ("read", "a")])),
            ("expires_at", "2030-01-01T00:00:00.000Z".into()),
        ]);
        let mut d = Diagnostics::default();
        let out = plan(
            &schema,
            &prior,
            &config,
            |c, d| DatabaseTokenResource.modify_plan(c, d),
            &mut d,
        );
        assert!(!d.has_errors(), "{d:?}");
        assert_eq!(
            out.planned, prior,
            "no change, so the plan is the prior state"
        );
        assert!(out.requires_replace.is_empty());

        // A real change of instant replaces the token.
        config.set_attr("expires_at", "2031-01-01T00:00:00Z".into());
        let out = plan(
            &schema,
            &prior,
            &config,
            |c, d| DatabaseTokenResource.modify_plan(c, d),
            &mut d,
        );
        assert_eq!(
            out.requires_replace,
            vec![AttributePath::root("expires_at")]
        );
    }
}
