//! `/private/legacy/authorizations`: InfluxDB OSS 2.x's v1 authorizations, written from
//! `v1/authorization/http_server.go`, `service.go`, `service_password.go` and
//! `storage_authorization.go`. OSS only: Cloud Serverless answers 404.
//!
//! Create (`token` = the v1 user name, required and unique: 422 "token already exists";
//! permissions required; the caller must be allowed to write authorizations in the org and
//! hold every permission it grants), list (filters `userID`, `user`, `orgID`, `org`, `id`,
//! `token`; an `id` or `token` that matches nothing answers 404 "authorization not found",
//! not an empty list), get, patch (`status`, `description`), delete, and `POST
//! {id}/password` (204; at least 8 characters). The token (user name) is shown in every
//! answer; the password is kept as a SHA-512 and never shown.

use serde::Deserialize;
use serde_json::json;

use super::authorizations::permissions_view;
use super::model::{LegacyAuthorization, Permission, Store, RESOURCE_TYPES};
use super::{error, error_code, new_id, now, owner_filters, reply, valid_id, Call};
use crate::sim::harness::http::{no_content, sha512_hex, Resp};

/// A v1 authorization as the API shows it, with the names the server fills in.
pub(super) fn view(s: &Store, a: &LegacyAuthorization) -> serde_json::Value {
    let permissions = permissions_view(s, &a.permissions);
    json!({
        "id": a.id,
        "token": a.token,
        "status": a.status,
        "description": a.description,
        "orgID": a.org_id,
        "org": s.orgs.get(&a.org_id).map(|o| o.name.clone()).unwrap_or_default(),
        "userID": a.user_id,
        "user": s.users.get(&a.user_id).map(|u| u.name.clone()).unwrap_or_default(),
        "permissions": permissions,
        "links": {
            "self": format!("/private/legacy/authorizations/{}", a.id),
            "user": format!("/api/v2/users/{}", a.user_id),
        },
        "createdAt": a.created_at,
        "updatedAt": a.updated_at,
    })
}

/// The router of `/private/legacy/...` (`rest`: the path after `/private/legacy/`).
pub(super) fn route(s: &mut Store, call: &Call<'_>, method: &str, rest: &str) -> Resp {
    if s.cloud {
        return error(404, "path not found");
    }
    let segs: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    match (method, segs.as_slice()) {
        ("GET", ["authorizations"]) => list(s, call),
        ("POST", ["authorizations"]) => create(s, call),
        (m, ["authorizations", id]) => one(s, call, m, id),
        ("POST", ["authorizations", id, "password"]) => set_password(s, call, id),
        _ => error(404, "path not found"),
    }
}

fn list(s: &Store, call: &Call<'_>) -> Resp {
    let q = &call.query;
    for k in ["userID", "orgID", "id"] {
        if q.get(k).is_some_and(|v| !valid_id(v)) {
            return error(400, "id must have a length of 16 bytes");
        }
    }
    if let Some(id) = q.get("id") {
        if !s.legacy_authorizations.contains_key(id) {
            return error(404, "authorization not found");
        }
    }
    if let Some(token) = q.get("token") {
        if !s.legacy_authorizations.values().any(|a| &a.token == token) {
            return error(404, "authorization not found");
        }
    }
    let (user_id, org_id) = match owner_filters(s, q) {
        Ok(filters) => filters,
        Err(r) => return r,
    };
    let list: Vec<_> = s
        .legacy_authorizations
        .values()
        .filter(|a| q.get("id").is_none_or(|i| &a.id == i))
        .filter(|a| q.get("token").is_none_or(|t| &a.token == t))
        .filter(|a| user_id.as_ref().is_none_or(|u| &a.user_id == u))
        .filter(|a| org_id.as_ref().is_none_or(|o| &a.org_id == o))
        .filter(|a| call.allowed("read", "authorizations", Some(&a.org_id), Some(&a.id)))
        .map(|a| view(s, a))
        .collect();
    reply(
        200,
        &json!({"links": {"self": "/private/legacy/authorizations"}, "authorizations": list}),
    )
}

fn create(s: &mut Store, call: &Call<'_>) -> Resp {
    #[derive(Deserialize)]
    struct Body {
        #[serde(default)]
        token: String,
        #[serde(default)]
        status: String,
        #[serde(rename = "orgID", default)]
        org_id: String,
        #[serde(rename = "userID", default)]
        user_id: Option<String>,
        #[serde(default)]
        description: String,
        #[serde(default)]
        permissions: Vec<Permission>,
    }
    let b: Body = match serde_json::from_slice(call.body) {
        Ok(b) => b,
        Err(_) => return error(400, "invalid json structure"),
    };
    if b.permissions.is_empty() {
        return error(400, "authorization must include permissions");
    }
    for p in &b.permissions {
        if (p.action != "read" && p.action != "write")
            || !RESOURCE_TYPES.contains(&p.resource.kind.as_str())
            || p.resource.org_id.as_deref().is_some_and(|o| !valid_id(o))
            || p.resource.id.as_deref().is_some_and(|i| !valid_id(i))
        {
            return error(400, "invalid permission");
        }
    }
    if !valid_id(&b.org_id) {
        return error(400, "org id required");
    }
    let status = if b.status.is_empty() {
        "active".to_owned()
    } else {
        b.status
    };
    if status != "active" && status != "inactive" {
        return error(400, "invalid status");
    }
    if b.token.is_empty() {
        return error(400, "token required for v1 user authorization type");
    }
    let caller = &call.caller;
    let user_id = b
        .user_id
        .filter(|u| valid_id(u))
        .unwrap_or_else(|| caller.user_id.clone());
    if !s.users.contains_key(&user_id) || !s.orgs.contains_key(&b.org_id) {
        return error(400, "unable to create token");
    }
    if !call.allowed("write", "authorizations", Some(&b.org_id), None) {
        return error(403, "write:authorizations is unauthorized");
    }
    if let Some(p) = b.permissions.iter().find(|p| !caller.allows(p)) {
        return error(
            403,
            &format!(
                "permission {}:{} is unauthorized",
                p.action, p.resource.kind
            ),
        );
    }
    if s.legacy_authorizations.values().any(|a| a.token == b.token) {
        return error_code(422, "conflict", "token already exists");
    }
    let t = now();
    let mut permissions = b.permissions;
    for p in &mut permissions {
        p.resource.org = None;
        p.resource.name = None;
    }
    let a = LegacyAuthorization {
        id: new_id(),
        token: b.token,
        status,
        description: b.description,
        org_id: b.org_id,
        user_id,
        permissions,
        created_at: t.clone(),
        updated_at: t,
        password_sha512: None,
    };
    s.legacy_authorizations.insert(a.id.clone(), a.clone());
    reply(201, &view(s, &a))
}

fn one(s: &mut Store, call: &Call<'_>, method: &str, id: &str) -> Resp {
    if !valid_id(id) {
        return error(400, "authorization ID is invalid");
    }
    let Some(mut a) = s.legacy_authorizations.get(id).cloned() else {
        return error(404, "authorization not found");
    };
    let action = if method == "GET" { "read" } else { "write" };
    if !call.allowed(action, "authorizations", Some(&a.org_id), Some(id)) {
        return error(403, &format!("{action}:authorizations is unauthorized"));
    }
    match method {
        "GET" => reply(200, &view(s, &a)),
        "PATCH" => {
            #[derive(Deserialize)]
            struct Body {
                status: Option<String>,
                description: Option<String>,
            }
            let Ok(b) = serde_json::from_slice::<Body>(call.body) else {
                return error(400, "invalid json structure");
            };
            if let Some(st) = b.status {
                if st != "active" && st != "inactive" {
                    return error(400, "unknown authorization status");
                }
                a.status = st;
            }
            if let Some(d) = b.description {
                a.description = d;
            }
            a.updated_at = now();
            s.legacy_authorizations.insert(a.id.clone(), a.clone());
            reply(200, &view(s, &a))
        }
        "DELETE" => {
            s.legacy_authorizations.remove(id);
            no_content()
        }
        _ => error(405, "method not allowed"),
    }
}

fn set_password(s: &mut Store, call: &Call<'_>, id: &str) -> Resp {
    #[derive(Deserialize)]
    struct Body {
        #[serde(default)]
        password: String,
    }
    let Ok(b) = serde_json::from_slice::<Body>(call.body) else {
        return error(400, "invalid json structure");
    };
    if !valid_id(id) {
        return error(500, "invalid authorization ID provided in route");
    }
    let Some(a) = s.legacy_authorizations.get_mut(id) else {
        return error(404, "authorization not found");
    };
    if !call.allowed("write", "users", None, Some(&a.user_id.clone())) {
        return error(403, "write:users is unauthorized");
    }
    if b.password.chars().count() < 8 {
        return error(400, "passwords must be at least 8 characters long");
    }
    a.password_sha512 = Some(sha512_hex(&b.password));
    no_content()
}

/// The v1 authorization whose user name is `user`, when `password` is its password: `Ok`;
/// `Err(true)` when there is no v1 authorization of that name (the v2 token is tried next),
/// `Err(false)` when the password is wrong.
pub(super) fn login(s: &Store, user: &str, password: &str) -> Result<LegacyAuthorization, bool> {
    let Some(a) = s.legacy_authorizations.values().find(|a| a.token == user) else {
        return Err(true);
    };
    match &a.password_sha512 {
        Some(h) if *h == sha512_hex(password) => Ok(a.clone()),
        _ => Err(false),
    }
}
