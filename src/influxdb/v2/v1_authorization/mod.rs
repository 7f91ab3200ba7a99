//! A v1 authorization of InfluxDB OSS v2 (`/private/legacy/authorizations`): the user name
//! (`token`) and password with which 1.x clients log in to `/query` and `/write` (URL `u`/`p`
//! or basic auth), with bucket permissions. Its state, its rules, and its create, which never
//! leaves a live v1 authorization behind when the answer is lost.
//!
//! The permissions have the shape and validation of `influxdb_authorization`'s
//! ([`super::authorization::permission_attributes`], [`super::permissions`]); a v1 client
//! reads and writes buckets only, so every permission's type must be `buckets`. The password
//! is write-only, set with the password endpoint: it is never in the plan or the state.

pub mod resource;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::client::gone_is_ok;
use super::models_influxql::{CreateLegacyAuthorization, LegacyAuthorization};
use super::permissions::{self, PermissionModel};
use super::V2Client;
use crate::engine::{AttributePath, Diagnostics, Value};
use crate::influxdb::timestamp;

#[derive(Serialize, Deserialize, Default, Clone, Debug)]
pub struct V1AuthorizationState {
    pub id: Option<String>,
    pub org_id: Option<String>,
    pub user_id: Option<String>,
    pub token: Option<String>,
    pub description: Option<String>,
    pub status: Option<String>,
    pub permissions: Option<Vec<PermissionModel>>,
    /// Only ever set in what the engine hands to create and update (from the configuration).
    pub password_wo: Option<String>,
    pub password_wo_version: Option<i64>,
}

/// A v1 user name: not empty, no `:` (which `Authorization: Token u:p` would split on).
pub fn check_token(s: &str) -> Result<(), String> {
    if s.trim().is_empty() {
        Err("The v1 user name must not be empty.".into())
    } else if s.contains(':') {
        Err(format!(
            "{s:?} contains `:`, which 1.x clients cannot send as a user name."
        ))
    } else {
        Ok(())
    }
}

/// Every permission must be on `buckets`: a v1 client reads and writes buckets only.
pub fn validate_permissions(config: &Value, diags: &mut Diagnostics) {
    let Some(perms) = config.attr("permissions").elements() else {
        return;
    };
    if perms.is_empty() {
        diags.attribute_error(
            AttributePath::root("permissions"),
            "Empty permissions",
            "A v1 authorization needs at least one permission.",
        );
    }
    for p in perms {
        if let Some(kind) = p.attr("resource").attr("type").as_str() {
            if kind != "buckets" {
                diags.attribute_error(
                    AttributePath::root("permissions"),
                    "Invalid permission resource type",
                    format!("A v1 authorization grants read or write on buckets only (what 1.x clients use), so its permissions' resource type must be \"buckets\", not {kind:?}."),
                );
            }
        }
    }
}

/// The state of `a` as the API describes it; permissions that match what the state holds
/// keep the state's form; the password version is the settings'.
pub fn state_from(a: LegacyAuthorization, prior: &V1AuthorizationState) -> V1AuthorizationState {
    let permissions = permissions::kept(prior.permissions.as_ref(), &a.permissions, &a.org_id);
    V1AuthorizationState {
        id: Some(a.id),
        org_id: Some(a.org_id),
        user_id: a.user_id,
        token: Some(a.token),
        description: a.description.filter(|d| !d.is_empty()),
        status: Some(a.status.unwrap_or_else(|| "active".into())),
        permissions: Some(permissions),
        password_wo: None,
        password_wo_version: prior.password_wo_version,
    }
}

/// After a create whose outcome is unknown: the v1 authorization with this user name, if the
/// server made it for this call (same organization and description, created around the time
/// of the call), is deleted, so that no live v1 authorization is left outside the state.
/// Returns a sentence for the error message. Runs as cleanup (see
/// [`crate::influxdb::http::stop`]).
pub async fn delete_if_created(
    client: &V2Client,
    body: &CreateLegacyAuthorization,
    started: OffsetDateTime,
) -> String {
    crate::influxdb::http::cleanup(async {
        let found = match client.find_legacy_authorization(&body.token).await {
            Ok(f) => f,
            Err(e) => {
                return format!("A v1 authorization may have been created on the server, and it could not be checked ({e}). List them (influx v1 auth list) and delete the one with user name {:?} if Terraform does not know it.", body.token)
            }
        };
        let Some(a) = found else {
            return "No v1 authorization was created on the server. Run terraform apply again."
                .into();
        };
        let window = time::Duration::minutes(2);
        let now = OffsetDateTime::now_utc();
        let ours = a.org_id == body.org_id
            && a.description.as_deref().unwrap_or("") == body.description.as_deref().unwrap_or("")
            && a.created_at
                .as_deref()
                .and_then(|c| timestamp::parse_rfc3339(c).ok())
                .is_some_and(|c| c >= started - window && c <= now + window);
        if !ours {
            return format!("A v1 authorization with user name {:?} exists ({}), but it was not made by this apply, so it was left alone. Import it or choose another token.", body.token, a.id);
        }
        match gone_is_ok(client.delete_legacy_authorization(&a.id).await) {
            Ok(()) => format!("The server had created v1 authorization {} before the connection failed; it was deleted, so that nothing is left outside the state. Run terraform apply again.", a.id),
            Err(e) => format!("The server created v1 authorization {} but deleting it failed ({e}); delete it by hand (influx v1 auth delete --id {}).", a.id, a.id),
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names_follow_the_servers_rules() {
        assert!(check_token("grafana").is_ok());
        assert!(check_token("").is_err() && check_token("a:b").is_err());
    }
}
