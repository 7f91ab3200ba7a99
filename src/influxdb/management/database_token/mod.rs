//! A database token of the Management API: what it is (its state, its permissions and their
//! rules), shared by its resource, data sources, ephemeral resource and list resource; and how
//! an orphan left by a lost create answer is found and revoked.

pub mod data_source;
pub mod data_sources;
pub mod ephemeral;
pub mod list;
pub mod resource;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::client::ManagementClient;
use super::models::{CreateDatabaseToken, DatabaseToken, Permission};
use super::validation;
use crate::engine::{AttributePath, Diagnostics, Type, Value};
use crate::influxdb::timestamp;

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
                validation::validate_action as fn(&str) -> Result<(), String>,
            ),
            (
                "resource",
                resource,
                validation::validate_permission_resource,
            ),
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
pub(super) fn same_instant(a: &Value, b: &Value) -> bool {
    let millis = |v: &Value| {
        let t = timestamp::parse_rfc3339(v.as_str()?).ok()?;
        Some(t.unix_timestamp_nanos().div_euclid(1_000_000))
    };
    matches!((millis(a), millis(b)), (Some(a), Some(b)) if a == b)
}

pub(super) fn expires_in_past(v: &Value) -> Option<OffsetDateTime> {
    let t = timestamp::parse_rfc3339(v.as_str()?).ok()?;
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

/// After a create whose outcome is unknown (timeout, connection lost), finds tokens the server
/// may have created for it (same description, permissions and expiry, created around the time
/// of the call, not revoked) and revokes them, so that no active token exists outside state.
/// Returns a sentence for the error message. Runs as cleanup: on its own short deadline, even
/// when Terraform is stopping the provider (see [`crate::influxdb::http::stop`]).
pub(crate) async fn revoke_orphans(
    client: &ManagementClient,
    body: &CreateDatabaseToken,
    started: OffsetDateTime,
) -> String {
    crate::influxdb::http::cleanup(find_and_revoke(client, body, started)).await
}

async fn find_and_revoke(
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
        .and_then(|s| timestamp::parse_rfc3339(s).ok());
    let orphans: Vec<_> = tokens
        .into_iter()
        .filter(|t| {
            t.revoked_at.is_none()
                && t.description == body.description
                && sorted(t.permissions.clone()) == body.permissions
                && t.expires_at
                    .as_deref()
                    .and_then(|s| timestamp::parse_rfc3339(s).ok())
                    == expires
                && timestamp::parse_rfc3339(&t.created_at)
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

// ---------------------------------------------------------------------------------------------
// The data sources' model of a token (no access token: data sources never expose it).

/// A token as the data sources describe it: the resource's attributes minus `access_token`,
/// plus `revoked_at`.
pub type TokenModel = crate::influxdb::database_token::TokenItem<Permission>;

/// The model of a token; its access token, if the API ever sent one, is dropped.
pub fn token_model(t: DatabaseToken) -> TokenModel {
    let mut permissions = t.permissions;
    permissions.sort();
    permissions.dedup();
    TokenModel {
        id: Some(t.id),
        description: Some(t.description),
        permissions: Some(permissions),
        expires_at: t.expires_at,
        created_at: Some(t.created_at),
        revoked_at: t.revoked_at,
        account_id: t.account_id,
        cluster_id: t.cluster_id,
    }
}

/// The attributes after `id` (all computed): name, type, description.
pub fn token_fields() -> Vec<(&'static str, Type, &'static str)> {
    vec![
        ("description", Type::String, "What the token is for."),
        ("permissions", Type::set(permission_type()), PERMISSIONS_DOC),
        (
            "expires_at",
            Type::String,
            "When the token expires (RFC 3339, UTC); null if it never expires.",
        ),
        (
            "created_at",
            Type::String,
            "When the token was created (RFC 3339, UTC).",
        ),
        (
            "revoked_at",
            Type::String,
            "When the token was revoked (RFC 3339, UTC); null while it is active.",
        ),
        (
            "account_id",
            Type::String,
            "The Cloud Dedicated account ID; null on Clustered.",
        ),
        (
            "cluster_id",
            Type::String,
            "The Cloud Dedicated cluster ID; null on Clustered.",
        ),
    ]
}

/// The object type of one token in `influxdb_database_tokens`.
pub fn token_type() -> Type {
    let mut attrs = vec![("id", Type::String)];
    attrs.extend(token_fields().into_iter().map(|(n, t, _)| (n, t)));
    Type::object(attrs)
}
