//! `/api/v2/users`: list (`id`, `name`, paging), create, get, patch (`name`, `status`), delete
//! (with the user's password and mappings; its tokens stay, refused), `POST
//! /users/{id}/password` (204; at least 8 characters); and `POST /api/v2/signin` with Basic
//! auth, which tells whether a password is the user's. Written from InfluxDB 2.x
//! `tenant/http_server_user.go`, `service_user.go` and `storage_user.go`. OSS only: Cloud
//! Serverless manages users in its UI.

use serde_json::{json, Value};

use super::model::{Store, User};
use super::{error, error_code, found, new_id, paged, reply, valid_id, Call, BAD_ID};
use crate::sim::harness::http::{no_content, sha512_hex, Resp};

/// The shortest password InfluxDB accepts.
const MIN_PASSWORD_LEN: usize = 8;

/// A user as the API shows it (never the password).
pub(super) fn view(u: &User) -> Value {
    json!({
        "links": {"self": format!("/api/v2/users/{}", u.id)},
        "id": u.id,
        "name": u.name,
        "status": u.status,
    })
}

pub(super) fn list(s: &Store, call: &Call<'_>) -> Resp {
    if s.cloud {
        return error(404, "path not found");
    }
    let q = &call.query;
    let mut list: Vec<&User> = s.users.values().collect();
    if let Some(id) = q.get("id") {
        list.retain(|u| &u.id == id);
    }
    if let Some(name) = q.get("name") {
        list.retain(|u| &u.name == name);
    }
    if (q.contains_key("id") || q.contains_key("name")) && list.is_empty() {
        return error(404, "user not found");
    }
    if let Some(after) = q.get("after") {
        list.retain(|u| &u.id > after);
    }
    let visible = list
        .into_iter()
        .filter(|u| call.allowed("read", "users", None, Some(&u.id)));
    let users: Vec<Value> = paged(visible, q).into_iter().map(view).collect();
    reply(
        200,
        &json!({"links": {"self": "/api/v2/users"}, "users": users}),
    )
}

pub(super) fn create(s: &mut Store, call: &Call<'_>) -> Resp {
    if s.cloud {
        return error(404, "path not found");
    }
    if !call.allowed("write", "users", None, None) {
        return error(403, "write:users is unauthorized");
    }
    let Ok(b) = serde_json::from_slice::<Value>(call.body) else {
        // A plain decode error: the real server answers 500.
        return error(500, "failed to decode request body");
    };
    let Some(name) = b["name"].as_str().filter(|n| !n.trim().is_empty()) else {
        return error(400, "user name is empty");
    };
    if s.users.values().any(|u| u.name == name) {
        return error_code(
            422,
            "conflict",
            &format!("user with name {name} already exists"),
        );
    }
    // A valid ID in the body is used, as the real server's storage does.
    let id = b["id"]
        .as_str()
        .filter(|i| valid_id(i) && !s.users.contains_key(*i))
        .map(str::to_owned)
        .unwrap_or_else(new_id);
    let status = b["status"]
        .as_str()
        .filter(|st| !st.is_empty())
        .unwrap_or("active");
    let u = User {
        id,
        name: name.into(),
        status: status.into(),
        password_sha512: None,
    };
    s.users.insert(u.id.clone(), u.clone());
    reply(201, &view(&u))
}

/// `/api/v2/users/{id}` with any method.
pub(super) fn one(s: &mut Store, call: &Call<'_>, method: &str, id: &str) -> Resp {
    if s.cloud {
        return error(404, "path not found");
    }
    let at = (method, "users", id);
    let mut user = match found(call, at, &s.users, |_| None, (BAD_ID, "user not found")) {
        Ok(u) => u,
        Err(r) => return r,
    };
    match method {
        "GET" => reply(200, &view(&user)),
        "PATCH" => {
            let Ok(b) = serde_json::from_slice::<Value>(call.body) else {
                return error(400, "failed to decode request body");
            };
            if let Some(name) = b["name"].as_str() {
                if name != user.name && s.users.values().any(|u| u.name == name) {
                    return error_code(
                        422,
                        "conflict",
                        &format!("user with name {name} already exists"),
                    );
                }
                user.name = name.into();
            }
            if let Some(st) = b["status"].as_str() {
                if st != "active" && st != "inactive" {
                    return error(500, "invalid status");
                }
                user.status = st.into();
            }
            s.users.insert(user.id.clone(), user.clone());
            reply(200, &view(&user))
        }
        "DELETE" => {
            // Its tokens stay, refused; its memberships go.
            s.users.remove(id);
            s.mappings.retain(|m| m.user_id != id);
            no_content()
        }
        _ => error(405, "method not allowed"),
    }
}

/// `POST /api/v2/users/{id}/password` `{"password": "..."}`: the length is checked first.
pub(super) fn set_password(s: &mut Store, call: &Call<'_>, id: &str) -> Resp {
    if s.cloud {
        return error(404, "path not found");
    }
    let Ok(b) = serde_json::from_slice::<Value>(call.body) else {
        return error(400, "failed to decode request body");
    };
    let Some(password) = b["password"].as_str() else {
        return error(400, "failed to decode request body: password is required");
    };
    if password.chars().count() < MIN_PASSWORD_LEN {
        return error(400, "passwords must be at least 8 characters long");
    }
    if !call.allowed("write", "users", None, Some(id)) {
        return error(403, "write:users is unauthorized");
    }
    let Some(user) = s.users.get_mut(id) else {
        return error(403, "your userID is incorrect");
    };
    user.password_sha512 = Some(sha512_hex(password));
    no_content()
}

/// `POST /api/v2/signin` with `Authorization: Basic base64(user:password)`: 204 when the
/// password is the user's and the user is active, else 401.
pub(super) fn sign_in(s: &Store, basic: Option<&str>) -> Resp {
    use base64::Engine;
    let decoded = basic
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok());
    let Some((name, password)) = decoded.as_deref().and_then(|d| d.split_once(':')) else {
        return error(401, "unauthorized access");
    };
    let hash = sha512_hex(password);
    let ok = s.users.values().any(|u| {
        u.name == name && u.status == "active" && u.password_sha512.as_deref() == Some(&hash)
    });
    if ok {
        no_content()
    } else {
        error(401, "unauthorized access")
    }
}
