//! Tokens: the operator token (`/api/v3/configure/token/admin`, its `regenerate`), named admin
//! tokens, Enterprise resource tokens, and deletion by name. Every create answers 201 with
//! `{id, name, token, hash, created_at, expiry}` and `Content-Type: json`, the only time the
//! token string is shown; the simulator keeps its SHA-512.

use std::collections::BTreeMap;

use hyper::header::{HeaderValue, CONTENT_TYPE};
use serde::Deserialize;
use serde_json::json;

use super::model::{now_ms, rfc3339, Permission, Store, TokenRecord, OPERATOR};
use super::{body_json, ok_empty, text};
use crate::sim::harness::http::{json_response, sha512_hex, Resp};
use crate::sim::harness::Request;

/// `apiv3_` and 64 random bytes, URL-safe base64 without padding (92 characters).
fn new_token_string() -> String {
    use base64::Engine;
    let bytes: Vec<u8> = (0..64).map(|_| fastrand::u8(..)).collect();
    format!(
        "apiv3_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// The 201 answer for `t`, whose string is `token`.
fn created(t: &TokenRecord, token: &str) -> Resp {
    let body = json!({
        "id": t.id,
        "name": t.name,
        "token": token,
        "hash": sha512_hex(token),
        "created_at": rfc3339(t.created_ms),
        "expiry": t.expiry_ms.map(rfc3339),
    });
    let mut resp = json_response(201, &body);
    // What the server sends, literally.
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("json"));
    resp
}

fn taken(name: &str) -> Resp {
    text(409, &format!("token name already exists, {name}"))
}

/// Adds a token named `name`; the answer carries its string.
fn insert(
    s: &mut Store,
    name: &str,
    expiry_secs: Option<u64>,
    permissions: Option<Vec<Permission>>,
) -> Resp {
    if s.token_by_name(name).is_some() {
        return taken(name);
    }
    let token = new_token_string();
    let created_ms = now_ms();
    let t = TokenRecord {
        id: s.next_token_id,
        name: name.to_owned(),
        sha512: sha512_hex(&token),
        created_ms,
        expiry_ms: expiry_secs.map(|e| created_ms.saturating_add((e as i64).saturating_mul(1000))),
        permissions,
        updated_ms: None,
    };
    s.next_token_id += 1;
    s.tokens.insert(t.id, t.clone());
    created(&t, &token)
}

/// `POST /api/v3/configure/token/admin`: the operator token exists from the start, so 409.
pub(super) fn create_operator(s: &mut Store) -> Resp {
    if s.token_by_name(OPERATOR).is_some() {
        return taken(OPERATOR);
    }
    insert(s, OPERATOR, None, None)
}

/// `POST /api/v3/configure/token/admin/regenerate`: a new string for `_admin`, same id.
pub(super) fn regenerate(s: &mut Store) -> Resp {
    let Some(id) = s.token_by_name(OPERATOR).map(|t| t.id) else {
        return text(500, "missing admin token, cannot update");
    };
    let token = new_token_string();
    let Some(t) = s.tokens.get_mut(&id) else {
        return text(500, "missing admin token, cannot update");
    };
    t.sha512 = sha512_hex(&token);
    t.updated_ms = Some(now_ms());
    let t = t.clone();
    created(&t, &token)
}

/// `POST /api/v3/configure/token/named_admin` `{token_name, expiry_secs?}`.
pub(super) fn create_named_admin(s: &mut Store, req: &Request<'_>) -> Resp {
    #[derive(Deserialize)]
    struct Body {
        token_name: String,
        expiry_secs: Option<u64>,
    }
    let b: Body = match body_json(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    insert(s, &b.token_name, b.expiry_secs, None)
}

/// `POST /api/v3/enterprise/configure/token` `{token_name, permissions, expiry_secs?}`.
pub(super) fn create_resource_token(s: &mut Store, req: &Request<'_>) -> Resp {
    #[derive(Deserialize)]
    struct Body {
        token_name: String,
        permissions: Vec<Permission>,
        expiry_secs: Option<u64>,
    }
    let b: Body = match body_json(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    for p in &b.permissions {
        if let Err(reason) = check_permission(s, p) {
            return text(400, &format!("cannot parse token permission, {reason}"));
        }
    }
    // influxdata/influxdb#27620, when the switch is on: no expiry asked means expired now.
    let expiry_secs = match b.expiry_secs {
        None if s.bug_27620 => Some(0),
        e => e,
    };
    insert(s, &b.token_name, expiry_secs, Some(b.permissions))
}

/// The catalog's rules for one permission.
fn check_permission(s: &Store, p: &Permission) -> Result<(), String> {
    let allowed: &[&str] = match p.resource_type.as_str() {
        "db" => &["read", "write", "create", "describe", "delete"],
        "system" => &["read"],
        "*" => return Err("* resource type can only be set for admin token".into()),
        other => return Err(format!("resource type not supported {other}")),
    };
    let wildcard = p.resource_names.iter().any(|n| n == "*");
    if wildcard && p.resource_names.len() > 1 {
        return Err("mixed wildcard (*) and resource name".into());
    }
    if !wildcard {
        for n in &p.resource_names {
            let known = match p.resource_type.as_str() {
                "db" => s.live_db(n).is_some(),
                _ => ["health", "ping", "metrics", "ready"]
                    .contains(&n.to_ascii_lowercase().as_str()),
            };
            if !known {
                return Err(format!("invalid resource name {n}"));
            }
        }
    }
    if let Some(a) = p.actions.iter().find(|a| !allowed.contains(&a.as_str())) {
        return Err(format!("action not supported, database action {a}"));
    }
    Ok(())
}

/// `DELETE /api/v3/configure/token?token_name=NAME`.
pub(super) fn delete(s: &mut Store, query: &BTreeMap<String, String>) -> Resp {
    let Some(name) = query.get("token_name") else {
        return text(400, "serde error: missing field `token_name`");
    };
    if name == OPERATOR {
        return text(405, "cannot delete operator token");
    }
    let Some(id) = s.token_by_name(name).map(|t| t.id) else {
        return text(
            404,
            &format!("the requested resource was not found: {name}"),
        );
    };
    s.tokens.remove(&id);
    ok_empty()
}
