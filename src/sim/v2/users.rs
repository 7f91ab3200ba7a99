//! `/api/v2/users`: list (`name`), create, get, delete (the user's tokens stay, refused).

use serde_json::json;

use super::model::{Store, User};
use super::{error, new_id, reply, valid_id, Call};
use crate::sim::harness::http::{no_content, Resp};

pub(super) fn list(s: &Store, call: &Call<'_>) -> Resp {
    let mut list: Vec<&User> = s.users.values().collect();
    if let Some(name) = call.query.get("name") {
        list.retain(|u| &u.name == name);
    }
    list.retain(|u| call.allowed("read", "users", None, Some(&u.id)));
    reply(
        200,
        &json!({"links": {"self": "/api/v2/users"}, "users": list}),
    )
}

pub(super) fn create(s: &mut Store, call: &Call<'_>) -> Resp {
    if !call.allowed("write", "users", None, None) {
        return error(403, "write:users is unauthorized");
    }
    let Ok(b) = serde_json::from_slice::<serde_json::Value>(call.body) else {
        return error(400, "failed to decode request body");
    };
    let Some(name) = b["name"].as_str().filter(|n| !n.trim().is_empty()) else {
        return error(400, "user name is empty");
    };
    if s.users.values().any(|u| u.name == name) {
        return error(409, "user with name already exists");
    }
    let u = User {
        id: new_id(),
        name: name.into(),
        status: "active".into(),
    };
    s.users.insert(u.id.clone(), u.clone());
    reply(201, &json!(u))
}

/// `/api/v2/users/{id}` with any method.
pub(super) fn one(s: &mut Store, call: &Call<'_>, method: &str, id: &str) -> Resp {
    if !valid_id(id) {
        return error(400, "id must have a length of 16 bytes");
    }
    let Some(user) = s.users.get(id) else {
        return error(404, "user not found");
    };
    match method {
        "GET" if call.allowed("read", "users", None, Some(id)) => reply(200, &json!(user)),
        "DELETE" if call.allowed("write", "users", None, Some(id)) => {
            // Its tokens stop working (they stay, refused).
            s.users.remove(id);
            no_content()
        }
        "GET" | "DELETE" => error(403, "users is unauthorized"),
        _ => error(405, "method not allowed"),
    }
}
