//! `/api/v2/orgs`: list (`org`, `orgID`), create, get.

use serde_json::json;

use super::model::{Org, Store};
use super::{error, new_id, now, reply, valid_id, Call};
use crate::sim::harness::http::Resp;

pub(super) fn list(s: &Store, call: &Call<'_>) -> Resp {
    let mut list: Vec<&Org> = s
        .orgs
        .values()
        .filter(|o| call.allowed("read", "orgs", None, Some(&o.id)))
        .collect();
    if let Some(name) = call.query.get("org") {
        list.retain(|o| &o.name == name);
        if list.is_empty() {
            return error(404, &format!("organization name \"{name}\" not found"));
        }
    }
    if let Some(id) = call.query.get("orgID") {
        if !valid_id(id) {
            return error(400, "id must have a length of 16 bytes");
        }
        list.retain(|o| &o.id == id);
    }
    reply(
        200,
        &json!({"links": {"self": "/api/v2/orgs"}, "orgs": list}),
    )
}

pub(super) fn create(s: &mut Store, call: &Call<'_>) -> Resp {
    if !call.allowed("write", "orgs", None, None) {
        return error(403, "write:orgs is unauthorized");
    }
    let Ok(b) = serde_json::from_slice::<serde_json::Value>(call.body) else {
        return error(400, "failed to decode request body");
    };
    let Some(name) = b["name"].as_str().filter(|n| !n.trim().is_empty()) else {
        return error(422, "org name is empty");
    };
    if s.orgs.values().any(|o| o.name == name) {
        return error(
            409,
            &format!("organization with name {name} already exists"),
        );
    }
    let o = Org {
        id: new_id(),
        name: name.into(),
        created_at: now(),
    };
    s.orgs.insert(o.id.clone(), o.clone());
    reply(201, &json!(o))
}

pub(super) fn get(s: &Store, call: &Call<'_>, id: &str) -> Resp {
    if !valid_id(id) {
        return error(400, "id must have a length of 16 bytes");
    }
    match s.orgs.get(id) {
        Some(o) if call.allowed("read", "orgs", None, Some(id)) => reply(200, &json!(o)),
        Some(_) => error(403, "read:orgs is unauthorized"),
        None => error(404, "organization not found"),
    }
}
