//! `/api/v2/orgs`: list (`org`, `orgID`, `userID`), create (with its system buckets, the
//! caller's user made owner), get, patch (`name`, `description`), delete (with its buckets
//! and mappings); and `/orgs/{id}/members` and `/owners` (list, add, remove). Written from
//! InfluxDB 2.x `tenant/http_server_org.go`, `service_org.go` and `http_handler_urm.go`.

use serde_json::{json, Value};

use super::buckets::add_system_buckets;
use super::model::{Mapping, Org, Store};
use super::{error, error_code, found, new_id, now, paged, reply, valid_id, Call, BAD_ID};
use crate::sim::harness::http::{no_content, Resp};

/// An organization as the API shows it.
pub(super) fn view(o: &Org) -> Value {
    let base = format!("/api/v2/orgs/{}", o.id);
    json!({
        "links": {
            "self": base,
            "logs": format!("{base}/logs"),
            "members": format!("{base}/members"),
            "owners": format!("{base}/owners"),
            "secrets": format!("{base}/secrets"),
            "labels": format!("{base}/labels"),
            "buckets": format!("/api/v2/buckets?org={}", o.name),
            "tasks": format!("/api/v2/tasks?org={}", o.name),
            "dashboards": format!("/api/v2/dashboards?org={}", o.name),
        },
        "id": o.id,
        "name": o.name,
        "description": o.description,
        "createdAt": o.created_at,
        "updatedAt": o.updated_at,
    })
}

pub(super) fn list(s: &Store, call: &Call<'_>) -> Resp {
    let q = &call.query;
    let mut list: Vec<&Org> = s.orgs.values().collect();
    if let Some(name) = q.get("org") {
        list.retain(|o| &o.name == name);
        if list.is_empty() {
            return error(404, &format!("organization name \"{name}\" not found"));
        }
    }
    // An unparsable orgID or userID is ignored, as the real server does.
    if let Some(id) = q.get("orgID").filter(|i| valid_id(i)) {
        list.retain(|o| &o.id == id);
        if list.is_empty() {
            return error(404, "organization not found");
        }
    }
    if let Some(user) = q.get("userID").filter(|i| valid_id(i)) {
        list.retain(|o| {
            s.mappings
                .iter()
                .any(|m| &m.user_id == user && m.resource_id == o.id)
        });
    }
    let visible = list
        .into_iter()
        .filter(|o| call.allowed("read", "orgs", None, Some(&o.id)));
    let orgs: Vec<Value> = paged(visible, q).into_iter().map(view).collect();
    reply(
        200,
        &json!({"links": {"self": "/api/v2/orgs"}, "orgs": orgs}),
    )
}

fn name_in(b: &Value) -> Option<&str> {
    b.get("name").and_then(Value::as_str)
}

pub(super) fn create(s: &mut Store, call: &Call<'_>) -> Resp {
    if !call.allowed("write", "orgs", None, None) {
        return error(403, "write:orgs is unauthorized");
    }
    let Ok(b) = serde_json::from_slice::<Value>(call.body) else {
        return error(400, "failed to decode request body");
    };
    let Some(name) = name_in(&b).map(str::trim).filter(|n| !n.is_empty()) else {
        return error(400, "org name is empty");
    };
    if s.orgs.values().any(|o| o.name == name) {
        return error_code(
            422,
            "conflict",
            &format!("organization with name {name} already exists"),
        );
    }
    let t = now();
    let o = Org {
        id: new_id(),
        name: name.into(),
        description: b
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or("")
            .into(),
        created_at: t.clone(),
        updated_at: t,
    };
    s.orgs.insert(o.id.clone(), o.clone());
    add_system_buckets(s, &o.id);
    s.mappings.push(Mapping {
        resource_id: o.id.clone(),
        user_id: call.caller.user_id.clone(),
        role: "owner",
    });
    reply(201, &view(&o))
}

/// `/api/v2/orgs/{id}` with any method.
pub(super) fn one(s: &mut Store, call: &Call<'_>, method: &str, id: &str) -> Resp {
    let at = (method, "orgs", id);
    let mut o = match found(
        call,
        at,
        &s.orgs,
        |_| None,
        (BAD_ID, "organization not found"),
    ) {
        Ok(o) => o,
        Err(r) => return r,
    };
    match method {
        "GET" => reply(200, &view(&o)),
        "PATCH" => {
            let Ok(b) = serde_json::from_slice::<Value>(call.body) else {
                return error(400, "failed to decode request body");
            };
            if let Some(name) = name_in(&b) {
                let name = name.trim();
                if name.is_empty() {
                    return error(400, "org name is empty");
                }
                if name != o.name && s.orgs.values().any(|x| x.name == name) {
                    return error_code(
                        422,
                        "conflict",
                        &format!("organization with name {name} already exists"),
                    );
                }
                o.name = name.into();
            }
            if let Some(d) = b.get("description").and_then(Value::as_str) {
                o.description = d.into();
            }
            o.updated_at = now();
            s.orgs.insert(o.id.clone(), o.clone());
            reply(200, &view(&o))
        }
        "DELETE" => {
            s.orgs.remove(id);
            // All its buckets (the real server removes only the first page of them).
            s.buckets.retain(|_, b| b.org_id != id);
            s.mappings.retain(|m| m.resource_id != id);
            no_content()
        }
        _ => error(405, "method not allowed"),
    }
}

/// `/api/v2/orgs/{id}/members` or `/owners` (`role`), optionally `/{userID}`.
pub(super) fn members(
    s: &mut Store,
    call: &Call<'_>,
    method: &str,
    org_id: &str,
    role: &'static str,
    user_id: Option<&str>,
) -> Resp {
    if s.cloud {
        return error(404, "path not found");
    }
    if !valid_id(org_id) {
        return error(400, "id must have a length of 16 bytes");
    }
    if !s.orgs.contains_key(org_id) {
        return error(404, "organization not found");
    }
    let action = if method == "GET" { "read" } else { "write" };
    if !call.allowed(action, "orgs", None, Some(org_id)) {
        return error(403, &format!("{action}:orgs is unauthorized"));
    }
    let plural = if role == "owner" { "owners" } else { "members" };
    let member = |s: &Store, uid: &str| {
        let u = s.users.get(uid);
        json!({
            "role": role,
            "links": {"self": format!("/api/v2/users/{uid}")},
            "id": uid,
            "name": u.map(|u| u.name.clone()).unwrap_or_default(),
            "status": u.map(|u| u.status.clone()).unwrap_or_else(|| "active".into()),
        })
    };
    match (method, user_id) {
        ("GET", None) => {
            let users: Vec<Value> = s
                .mappings
                .iter()
                .filter(|m| m.resource_id == org_id && m.role == role)
                .map(|m| member(s, &m.user_id))
                .collect();
            reply(
                200,
                &json!({"links": {"self": format!("/api/v2/orgs/{org_id}/{plural}")}, "users": users}),
            )
        }
        ("POST", None) => {
            let b = serde_json::from_slice::<Value>(call.body).unwrap_or_default();
            let Some(uid) = b.get("id").and_then(Value::as_str).filter(|i| valid_id(i)) else {
                return error(400, "user id missing or invalid");
            };
            if !s.users.contains_key(uid) {
                return error(404, "user not found");
            }
            if s.mappings
                .iter()
                .any(|m| m.resource_id == org_id && m.user_id == uid)
            {
                return error(500, &format!("Unexpected error when assigning user to a resource: mapping for user {uid} already exists"));
            }
            s.mappings.push(Mapping {
                resource_id: org_id.into(),
                user_id: uid.into(),
                role,
            });
            reply(201, &member(s, uid))
        }
        ("DELETE", Some(uid)) => {
            let before = s.mappings.len();
            s.mappings
                .retain(|m| !(m.resource_id == org_id && m.user_id == uid));
            if s.mappings.len() == before {
                return error(404, "user to resource mapping not found");
            }
            no_content()
        }
        _ => error(405, "method not allowed"),
    }
}
