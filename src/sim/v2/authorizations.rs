//! `/api/v2/authorizations`: list (`userID`, `user`, `orgID`, `org`), create (a token can only
//! grant what it holds; the only answer with the token), get, patch (`status`,
//! `description`, other keys ignored), delete; and how an authorization is shown. The
//! authorizations of a deleted user stay, refused: the list leaves them out and a GET answers
//! 404 "user not found", as InfluxDB 2.x does.

use serde::Deserialize;
use serde_json::json;

use super::model::{Authorization, Permission, Store, RESOURCE_TYPES};
use super::{error, new_id, now, owner_filters, reply, valid_id, Call};
use crate::sim::harness::http::{no_content, sha512_hex, Resp};

/// A new token: 64 random bytes, URL-safe base64, like InfluxDB's.
fn new_token() -> String {
    use base64::Engine;
    let bytes: Vec<u8> = (0..64).map(|_| fastrand::u8(..)).collect();
    base64::engine::general_purpose::URL_SAFE.encode(bytes)
}

/// Permissions as the API shows them: a bucket's `name` and an org's name (`org`) filled in
/// (v2 and v1 authorizations alike).
pub(super) fn permissions_view(s: &Store, permissions: &[Permission]) -> Vec<Permission> {
    permissions
        .iter()
        .map(|p| {
            let mut p = p.clone();
            if p.resource.kind == "buckets" {
                if let Some(b) = p.resource.id.as_ref().and_then(|id| s.buckets.get(id)) {
                    p.resource.name = Some(b.name.clone());
                }
            }
            p.resource.org = p
                .resource
                .org_id
                .as_ref()
                .and_then(|o| s.orgs.get(o))
                .map(|o| o.name.clone());
            p
        })
        .collect()
}

/// An authorization as the API shows it, with the names the server fills in (a bucket's
/// `name`, an org's `org`).
pub(super) fn view(s: &Store, a: &Authorization) -> serde_json::Value {
    let permissions = permissions_view(s, &a.permissions);
    json!({
        "id": a.id,
        "status": a.status,
        "description": a.description,
        "orgID": a.org_id,
        "org": s.orgs.get(&a.org_id).map(|o| o.name.clone()),
        "userID": a.user_id,
        "user": s.users.get(&a.user_id).map(|u| u.name.clone()),
        "permissions": permissions,
        "createdAt": a.created_at,
        "updatedAt": a.updated_at,
        "links": {
            "self": format!("/api/v2/authorizations/{}", a.id),
            "user": format!("/api/v2/users/{}", a.user_id),
        },
    })
}

pub(super) fn list(s: &Store, call: &Call<'_>) -> Resp {
    let q = &call.query;
    for k in ["userID", "orgID"] {
        if q.get(k).is_some_and(|v| !valid_id(v)) {
            return error(400, &format!("{k} must have a length of 16 bytes"));
        }
    }
    let (user_id, org_id) = match owner_filters(s, q) {
        Ok(filters) => filters,
        Err(r) => return r,
    };
    let list: Vec<_> = s
        .authorizations
        .values()
        .filter(|a| user_id.as_ref().is_none_or(|u| &a.user_id == u))
        .filter(|a| org_id.as_ref().is_none_or(|o| &a.org_id == o))
        .filter(|a| s.users.contains_key(&a.user_id))
        .filter(|a| call.allowed("read", "authorizations", Some(&a.org_id), Some(&a.id)))
        .map(|a| view(s, a))
        .collect();
    reply(
        200,
        &json!({"links": {"self": "/api/v2/authorizations"}, "authorizations": list}),
    )
}

pub(super) fn create(s: &mut Store, call: &Call<'_>) -> Resp {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Body {
        #[serde(rename = "orgID")]
        org_id: Option<String>,
        #[serde(rename = "userID")]
        user_id: Option<String>,
        description: Option<String>,
        status: Option<String>,
        permissions: Option<Vec<Permission>>,
    }
    let b: Body = match serde_json::from_slice(call.body) {
        Ok(b) => b,
        Err(e) => return error(400, &format!("failed to decode request body: {e}")),
    };
    let Some(org_id) = b.org_id else {
        return error(400, "orgID is required");
    };
    if !valid_id(&org_id) {
        return error(400, "orgID must have a length of 16 bytes");
    }
    if !s.orgs.contains_key(&org_id) {
        return error(400, &format!("organization {org_id} not found"));
    }
    let status = b.status.unwrap_or_else(|| "active".into());
    if status != "active" && status != "inactive" {
        return error(400, "status must be active or inactive");
    }
    let permissions = b.permissions.unwrap_or_default();
    if permissions.is_empty() {
        return error(400, "expected at least one permission");
    }
    for p in &permissions {
        if p.action != "read" && p.action != "write" {
            return error(400, "invalid action type for permission");
        }
        if !RESOURCE_TYPES.contains(&p.resource.kind.as_str()) {
            return error(400, "invalid resource type for permission");
        }
        if p.resource.org_id.as_deref().is_some_and(|o| !valid_id(o)) {
            return error(400, "invalid org id for permission");
        }
        if p.resource.id.as_deref().is_some_and(|i| !valid_id(i)) {
            return error(400, "invalid id for permission");
        }
    }
    let caller = &call.caller;
    let user_id = b.user_id.unwrap_or_else(|| caller.user_id.clone());
    if !valid_id(&user_id) {
        return error(400, "userID must have a length of 16 bytes");
    }
    if !s.users.contains_key(&user_id) {
        return error(400, &format!("user {user_id} not found"));
    }
    if !call.allowed("write", "authorizations", Some(&org_id), None) {
        return error(403, "write:authorizations is unauthorized");
    }
    if let Some(p) = permissions.iter().find(|p| !caller.allows(p)) {
        return error(
            403,
            &format!(
                "permission {}:{} is unauthorized",
                p.action, p.resource.kind
            ),
        );
    }
    let token = new_token();
    let t = now();
    let mut stored = permissions;
    for p in &mut stored {
        // Names the server fills in are not stored.
        p.resource.org = None;
    }
    let a = Authorization {
        id: new_id(),
        status,
        description: b.description.unwrap_or_default(),
        org_id,
        user_id,
        permissions: stored,
        created_at: t.clone(),
        updated_at: t,
        token_sha512: sha512_hex(&token),
    };
    s.authorizations.insert(a.id.clone(), a.clone());
    let mut v = view(s, &a);
    v["token"] = json!(token);
    reply(201, &v)
}

/// `/api/v2/authorizations/{id}` with any method.
pub(super) fn one(s: &mut Store, call: &Call<'_>, method: &str, id: &str) -> Resp {
    if !valid_id(id) {
        return error(400, "id must have a length of 16 bytes");
    }
    let Some(a) = s.authorizations.get(id).cloned() else {
        return error(404, "authorization not found");
    };
    let action = if method == "GET" { "read" } else { "write" };
    if !call.allowed(action, "authorizations", Some(&a.org_id), Some(id)) {
        return error(403, &format!("{action}:authorizations is unauthorized"));
    }
    match method {
        "GET" if !s.users.contains_key(&a.user_id) => error(404, "user not found"),
        "GET" => reply(200, &view(s, &a)),
        "PATCH" => patch(s, a, call.body),
        "DELETE" => {
            s.authorizations.remove(id);
            no_content()
        }
        _ => error(405, "method not allowed"),
    }
}

/// Only `status` and `description` change; every other key (`id`, `token`, `orgID`,
/// `permissions`, `createdAt`, `links`, ...) is ignored, as InfluxDB's
/// `AuthorizationUpdate` decodes only those two (clients such as InfluxData's Python client
/// send the whole authorization back). The status is not validated there either.
fn patch(s: &mut Store, mut a: Authorization, body: &[u8]) -> Resp {
    let Ok(b) = serde_json::from_slice::<serde_json::Value>(body) else {
        return error(400, "failed to decode request body");
    };
    let Some(obj) = b.as_object() else {
        return error(400, "failed to decode request body");
    };
    match obj.get("status") {
        None | Some(serde_json::Value::Null) => {}
        Some(serde_json::Value::String(v)) => a.status = v.clone(),
        Some(_) => {
            return error(
                400,
                "failed to decode request body: status must be a string",
            )
        }
    }
    match obj.get("description") {
        None | Some(serde_json::Value::Null) => {}
        Some(serde_json::Value::String(d)) => a.description = d.clone(),
        Some(_) => {
            return error(
                400,
                "failed to decode request body: description must be a string",
            )
        }
    }
    a.updated_at = now();
    s.authorizations.insert(a.id.clone(), a.clone());
    reply(200, &view(s, &a))
}
