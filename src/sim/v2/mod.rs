//! The InfluxDB OSS v2 mode of the simulator (`--product oss-v2`): the parts of `/api/v2`
//! that authorizations need, written from the v2 OpenAPI and the InfluxDB 2.x sources, sharing
//! no types with the provider's client.
//!
//! Served: `GET /health`; `GET /api/v2/resources`; orgs (list with `org`/`orgID`, get,
//! create); users (list with `name`, get, create, delete); buckets (list with
//! `orgID`/`org`/`name`, get, create); authorizations (create, list with
//! `userID`/`user`/`orgID`/`org`, get, patch `status`/`description`, delete).
//!
//! As the real server: `Authorization: Token <token>` (a missing, unknown or inactive token,
//! or one whose user was deleted, gets 401 `{"code":"unauthorized","message":"unauthorized
//! access"}`); every call checks the token's permissions with InfluxDB's matching rule (type
//! and action equal; no org and no ID = every one; an org = everything of the org; an ID =
//! that one); a token can only grant permissions it holds itself (403); IDs are 16 lowercase
//! hex digits (400 `invalid` otherwise); errors are `{code, message}` with the v2 codes
//! (`invalid`, `unauthorized`, `forbidden`, `not found`, `conflict`). The token string is
//! returned only by the create call (like OSS 2.9, which hashes tokens at rest): the simulator
//! keeps a SHA-512 of each. Bucket permissions with an ID get the bucket's `name`, and every
//! resource with an `orgID` the org's name `org`, as the real server fills them in.
//!
//! At start there is one organization, one user and that user's operator token (read and
//! write on every type, no org), with the IDs and names of the `DEFAULT_*` constants.
//! Control endpoints (loopback): `GET /__sim/state` (never tokens), `POST
//! /__sim/authenticate` `{"token": "..."}` -> `{"id", "active"}` or 404, `DELETE /__sim/state`
//! (back to the start).

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use hyper::{Method, Response, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::OffsetDateTime;

type Resp = Response<Full<Bytes>>;

pub const DEFAULT_TOKEN: &str = "sim-operator-token";
pub const DEFAULT_ORG: &str = "sim-org";
pub const DEFAULT_ORG_ID: &str = "5f3e0d9c1a2b4c6d";
pub const DEFAULT_USER: &str = "sim-admin";
pub const DEFAULT_USER_ID: &str = "0a1b2c3d4e5f6071";
pub const OPERATOR_AUTH_ID: &str = "0f1e2d3c4b5a6978";

/// The resource types of InfluxDB OSS 2.7 (`GET /api/v2/resources`).
pub const RESOURCE_TYPES: &[&str] = &[
    "authorizations",
    "buckets",
    "dashboards",
    "orgs",
    "sources",
    "tasks",
    "telegrafs",
    "users",
    "variables",
    "scrapers",
    "secrets",
    "labels",
    "views",
    "documents",
    "notificationRules",
    "notificationEndpoints",
    "checks",
    "dbrp",
    "notebooks",
    "annotations",
    "remotes",
    "replications",
    "instance",
];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Res {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(rename = "orgID", default, skip_serializing_if = "Option::is_none")]
    org_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    org: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Perm {
    action: String,
    resource: Res,
}

#[derive(Clone, Debug)]
struct Auth {
    id: String,
    status: String,
    description: String,
    org_id: String,
    user_id: String,
    permissions: Vec<Perm>,
    created_at: String,
    updated_at: String,
    token_sha512: String,
}

#[derive(Clone, Debug, Serialize)]
struct Org {
    id: String,
    name: String,
    #[serde(rename = "createdAt")]
    created_at: String,
}

#[derive(Clone, Debug, Serialize)]
struct User {
    id: String,
    name: String,
    status: String,
}

#[derive(Clone, Debug, Serialize)]
struct Bucket {
    id: String,
    #[serde(rename = "orgID")]
    org_id: String,
    name: String,
    #[serde(rename = "retentionRules")]
    retention_rules: Vec<serde_json::Value>,
    #[serde(rename = "createdAt")]
    created_at: String,
}

#[derive(Default)]
struct State {
    orgs: BTreeMap<String, Org>,
    users: BTreeMap<String, User>,
    buckets: BTreeMap<String, Bucket>,
    auths: BTreeMap<String, Auth>,
}

pub struct V2Sim {
    token: String,
    state: Mutex<State>,
}

fn now() -> String {
    let t = OffsetDateTime::now_utc();
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn sha512_hex(s: &str) -> String {
    let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA512, s.as_bytes());
    d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

fn new_id() -> String {
    // InfluxDB IDs never start at zero.
    format!("{:016x}", fastrand::u64(1u64 << 60..))
}

fn new_token() -> String {
    use base64::Engine;
    let bytes: Vec<u8> = (0..64).map(|_| fastrand::u8(..)).collect();
    base64::engine::general_purpose::URL_SAFE.encode(bytes)
}

fn valid_id(s: &str) -> bool {
    s.len() == 16
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn json(status: u16, body: &serde_json::Value) -> Resp {
    let mut resp = Response::new(Full::new(Bytes::from(body.to_string())));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    resp.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    resp
}

/// A v2 error: `{ "code": "...", "message": "..." }`.
pub fn error(status: u16, message: &str) -> Resp {
    let code = match status {
        400 => "invalid",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not found",
        405 => "method not allowed",
        409 => "conflict",
        422 => "unprocessable entity",
        429 => "too many requests",
        503 => "unavailable",
        _ => "internal error",
    };
    json(status, &json!({ "code": code, "message": message }))
}

fn no_content() -> Resp {
    let mut resp = Response::new(Full::new(Bytes::new()));
    *resp.status_mut() = StatusCode::NO_CONTENT;
    resp
}

fn query(q: Option<&str>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for pair in q.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        out.insert(decode(k), decode(v));
    }
    out
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                match u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16)
                {
                    Ok(v) => {
                        out.push(v);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// InfluxDB's `Permission.Matches`: does held permission `p` allow `want`?
fn matches(p: &Perm, want: &Perm) -> bool {
    if p.action != want.action || p.resource.kind != want.resource.kind {
        return false;
    }
    match (&p.resource.org_id, &p.resource.id) {
        (None, None) => true,
        (Some(o), None) => want.resource.org_id.as_ref() == Some(o),
        (_, Some(id)) => want.resource.id.as_ref() == Some(id),
    }
}

fn perm(action: &str, kind: &str, org_id: Option<&str>, id: Option<&str>) -> Perm {
    Perm {
        action: action.into(),
        resource: Res {
            kind: kind.into(),
            id: id.map(Into::into),
            name: None,
            org_id: org_id.map(Into::into),
            org: None,
        },
    }
}

impl V2Sim {
    pub fn new(token: &str) -> V2Sim {
        let sim = V2Sim {
            token: token.to_owned(),
            state: Mutex::new(State::default()),
        };
        sim.reset();
        sim
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Back to the start: one org, one user, the operator token.
    fn reset(&self) {
        let mut s = self.lock();
        *s = State::default();
        let t = now();
        s.orgs.insert(
            DEFAULT_ORG_ID.into(),
            Org {
                id: DEFAULT_ORG_ID.into(),
                name: DEFAULT_ORG.into(),
                created_at: t.clone(),
            },
        );
        s.users.insert(
            DEFAULT_USER_ID.into(),
            User {
                id: DEFAULT_USER_ID.into(),
                name: DEFAULT_USER.into(),
                status: "active".into(),
            },
        );
        let permissions = RESOURCE_TYPES
            .iter()
            .flat_map(|k| ["read", "write"].map(|a| perm(a, k, None, None)))
            .collect();
        s.auths.insert(
            OPERATOR_AUTH_ID.into(),
            Auth {
                id: OPERATOR_AUTH_ID.into(),
                status: "active".into(),
                description: format!("{DEFAULT_USER}'s Token"),
                org_id: DEFAULT_ORG_ID.into(),
                user_id: DEFAULT_USER_ID.into(),
                permissions,
                created_at: t.clone(),
                updated_at: t,
                token_sha512: sha512_hex(&self.token),
            },
        );
    }

    /// The active authorization a request's `Authorization: Token ...` header is.
    fn caller(&self, s: &State, headers: &HeaderMap) -> Option<Auth> {
        let v = headers.get(AUTHORIZATION)?.to_str().ok()?.trim();
        let (scheme, token) = v.split_once(' ')?;
        if scheme != "Token" {
            return None;
        }
        let h = sha512_hex(token.trim());
        s.auths
            .values()
            .find(|a| a.token_sha512 == h)
            .filter(|a| a.status == "active" && s.users.contains_key(&a.user_id))
            .cloned()
    }

    fn view(&self, s: &State, a: &Auth) -> serde_json::Value {
        let permissions: Vec<Perm> = a
            .permissions
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
            .collect();
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

    /// `/__sim/...` endpoints of this mode; `None` for those it does not serve.
    pub fn control(&self, method: &Method, path: &str, body: &[u8]) -> Option<Resp> {
        Some(match (method.as_str(), path.trim_end_matches('/')) {
            ("GET", "/__sim/state") => {
                let s = self.lock();
                let auths: Vec<_> = s.auths.values().map(|a| self.view(&s, a)).collect();
                json(
                    200,
                    &json!({
                        "orgs": s.orgs.values().collect::<Vec<_>>(),
                        "users": s.users.values().collect::<Vec<_>>(),
                        "buckets": s.buckets.values().collect::<Vec<_>>(),
                        "authorizations": auths,
                    }),
                )
            }
            ("POST", "/__sim/authenticate") => {
                #[derive(Deserialize)]
                struct Body {
                    token: String,
                }
                let b: Body = match serde_json::from_slice(body) {
                    Ok(b) => b,
                    Err(e) => {
                        return Some(error(400, &format!("expected {{\"token\": ...}}: {e}")))
                    }
                };
                let h = sha512_hex(&b.token);
                let s = self.lock();
                match s.auths.values().find(|a| a.token_sha512 == h) {
                    Some(a) => json(
                        200,
                        &json!({"id": a.id, "active": a.status == "active" && s.users.contains_key(&a.user_id)}),
                    ),
                    None => error(404, "no authorization has this token"),
                }
            }
            ("DELETE", "/__sim/state") => {
                self.reset();
                no_content()
            }
            _ => return None,
        })
    }

    /// `/health` and `/api/v2/...` requests.
    pub fn api(
        &self,
        method: &Method,
        path: &str,
        query_string: Option<&str>,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Resp {
        if path == "/health" {
            return if *method == Method::GET {
                json(
                    200,
                    &json!({"name": "influxdb", "message": "ready for queries and writes", "status": "pass", "checks": [], "version": "v2.7.12-sim", "commit": "sim"}),
                )
            } else {
                error(405, "method not allowed")
            };
        }
        let Some(rest) = path.strip_prefix("/api/v2/") else {
            return error(404, "path not found");
        };
        let q = query(query_string);
        let mut s = self.lock();
        let Some(caller) = self.caller(&s, headers) else {
            return error(401, "unauthorized access");
        };
        let segs: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
        let allowed = |p: Perm| caller.permissions.iter().any(|h| matches(h, &p));
        match (method.as_str(), segs.as_slice()) {
            ("GET", ["resources"]) => json(200, &json!(RESOURCE_TYPES)),
            ("GET", ["orgs"]) => {
                let mut list: Vec<&Org> = s
                    .orgs
                    .values()
                    .filter(|o| allowed(perm("read", "orgs", None, Some(&o.id))))
                    .collect();
                if let Some(name) = q.get("org") {
                    list.retain(|o| &o.name == name);
                    if list.is_empty() {
                        return error(404, &format!("organization name \"{name}\" not found"));
                    }
                }
                if let Some(id) = q.get("orgID") {
                    if !valid_id(id) {
                        return error(400, "id must have a length of 16 bytes");
                    }
                    list.retain(|o| &o.id == id);
                }
                json(
                    200,
                    &json!({"links": {"self": "/api/v2/orgs"}, "orgs": list}),
                )
            }
            ("POST", ["orgs"]) => {
                if !allowed(perm("write", "orgs", None, None)) {
                    return error(403, "write:orgs is unauthorized");
                }
                let Ok(b) = serde_json::from_slice::<serde_json::Value>(body) else {
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
                json(201, &json!(o))
            }
            ("GET", ["orgs", id]) => {
                if !valid_id(id) {
                    return error(400, "id must have a length of 16 bytes");
                }
                match s.orgs.get(*id) {
                    Some(o) if allowed(perm("read", "orgs", None, Some(id))) => {
                        json(200, &json!(o))
                    }
                    Some(_) => error(403, "read:orgs is unauthorized"),
                    None => error(404, "organization not found"),
                }
            }
            ("GET", ["users"]) => {
                let mut list: Vec<&User> = s.users.values().collect();
                if let Some(name) = q.get("name") {
                    list.retain(|u| &u.name == name);
                }
                list.retain(|u| allowed(perm("read", "users", None, Some(&u.id))));
                json(
                    200,
                    &json!({"links": {"self": "/api/v2/users"}, "users": list}),
                )
            }
            ("POST", ["users"]) => {
                if !allowed(perm("write", "users", None, None)) {
                    return error(403, "write:users is unauthorized");
                }
                let Ok(b) = serde_json::from_slice::<serde_json::Value>(body) else {
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
                json(201, &json!(u))
            }
            (m, ["users", id]) => {
                if !valid_id(id) {
                    return error(400, "id must have a length of 16 bytes");
                }
                if !s.users.contains_key(*id) {
                    return error(404, "user not found");
                }
                match m {
                    "GET" if allowed(perm("read", "users", None, Some(id))) => {
                        json(200, &json!(s.users[*id]))
                    }
                    "DELETE" if allowed(perm("write", "users", None, Some(id))) => {
                        // Its tokens stop working (they stay, refused).
                        s.users.remove(*id);
                        no_content()
                    }
                    "GET" | "DELETE" => error(403, "users is unauthorized"),
                    _ => error(405, "method not allowed"),
                }
            }
            ("GET", ["buckets"]) => {
                let mut list: Vec<&Bucket> = s.buckets.values().collect();
                if let Some(id) = q.get("orgID") {
                    list.retain(|b| &b.org_id == id);
                }
                if let Some(org) = q.get("org") {
                    let Some(o) = s.orgs.values().find(|o| &o.name == org) else {
                        return error(404, &format!("organization name \"{org}\" not found"));
                    };
                    list.retain(|b| b.org_id == o.id);
                }
                if let Some(name) = q.get("name") {
                    list.retain(|b| &b.name == name);
                }
                list.retain(|b| allowed(perm("read", "buckets", Some(&b.org_id), Some(&b.id))));
                json(
                    200,
                    &json!({"links": {"self": "/api/v2/buckets"}, "buckets": list}),
                )
            }
            ("POST", ["buckets"]) => {
                let Ok(b) = serde_json::from_slice::<serde_json::Value>(body) else {
                    return error(400, "failed to decode request body");
                };
                let (Some(org_id), Some(name)) = (b["orgID"].as_str(), b["name"].as_str()) else {
                    return error(400, "orgID and name are required");
                };
                if !valid_id(org_id) {
                    return error(400, "orgID must have a length of 16 bytes");
                }
                if !s.orgs.contains_key(org_id) {
                    return error(404, "organization not found");
                }
                if !allowed(perm("write", "buckets", Some(org_id), None)) {
                    return error(403, "write:buckets is unauthorized");
                }
                if s.buckets
                    .values()
                    .any(|x| x.org_id == org_id && x.name == name)
                {
                    return error(422, &format!("bucket with name {name} already exists"));
                }
                let bucket = Bucket {
                    id: new_id(),
                    org_id: org_id.into(),
                    name: name.into(),
                    retention_rules: b["retentionRules"].as_array().cloned().unwrap_or_default(),
                    created_at: now(),
                };
                s.buckets.insert(bucket.id.clone(), bucket.clone());
                json(201, &json!(bucket))
            }
            ("GET", ["buckets", id]) => match s.buckets.get(*id) {
                Some(b) if allowed(perm("read", "buckets", Some(&b.org_id), Some(id))) => {
                    json(200, &json!(b))
                }
                Some(_) => error(403, "read:buckets is unauthorized"),
                None if !valid_id(id) => error(400, "id must have a length of 16 bytes"),
                None => error(404, "bucket not found"),
            },
            ("GET", ["authorizations"]) => self.list_auths(&s, &q, &allowed),
            ("POST", ["authorizations"]) => self.create_auth(&mut s, &caller, body),
            (m, ["authorizations", id]) => {
                if !valid_id(id) {
                    return error(400, "id must have a length of 16 bytes");
                }
                let Some(a) = s.auths.get(*id).cloned() else {
                    return error(404, "authorization not found");
                };
                let action = if m == "GET" { "read" } else { "write" };
                if !allowed(perm(action, "authorizations", Some(&a.org_id), Some(id))) {
                    return error(403, &format!("{action}:authorizations is unauthorized"));
                }
                match m {
                    "GET" => json(200, &self.view(&s, &a)),
                    "PATCH" => self.patch_auth(&mut s, a, body),
                    "DELETE" => {
                        s.auths.remove(*id);
                        no_content()
                    }
                    _ => error(405, "method not allowed"),
                }
            }
            _ => error(404, "path not found"),
        }
    }

    fn list_auths(
        &self,
        s: &State,
        q: &BTreeMap<String, String>,
        allowed: &dyn Fn(Perm) -> bool,
    ) -> Resp {
        for k in ["userID", "orgID"] {
            if q.get(k).is_some_and(|v| !valid_id(v)) {
                return error(400, &format!("{k} must have a length of 16 bytes"));
            }
        }
        let user_id = match q.get("user") {
            Some(name) => match s.users.values().find(|u| &u.name == name) {
                Some(u) => Some(u.id.clone()),
                None => return error(404, "user not found"),
            },
            None => q.get("userID").cloned(),
        };
        let org_id = match q.get("org") {
            Some(name) => match s.orgs.values().find(|o| &o.name == name) {
                Some(o) => Some(o.id.clone()),
                None => return error(404, &format!("organization name \"{name}\" not found")),
            },
            None => q.get("orgID").cloned(),
        };
        let list: Vec<_> = s
            .auths
            .values()
            .filter(|a| user_id.as_ref().is_none_or(|u| &a.user_id == u))
            .filter(|a| org_id.as_ref().is_none_or(|o| &a.org_id == o))
            .filter(|a| allowed(perm("read", "authorizations", Some(&a.org_id), Some(&a.id))))
            .map(|a| self.view(s, a))
            .collect();
        json(
            200,
            &json!({"links": {"self": "/api/v2/authorizations"}, "authorizations": list}),
        )
    }

    fn create_auth(&self, s: &mut State, caller: &Auth, body: &[u8]) -> Resp {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Body {
            #[serde(rename = "orgID")]
            org_id: Option<String>,
            #[serde(rename = "userID")]
            user_id: Option<String>,
            description: Option<String>,
            status: Option<String>,
            permissions: Option<Vec<Perm>>,
        }
        let b: Body = match serde_json::from_slice(body) {
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
        let user_id = b.user_id.unwrap_or_else(|| caller.user_id.clone());
        if !valid_id(&user_id) {
            return error(400, "userID must have a length of 16 bytes");
        }
        if !s.users.contains_key(&user_id) {
            return error(400, &format!("user {user_id} not found"));
        }
        let holds = |p: &Perm| caller.permissions.iter().any(|h| matches(h, p));
        if !holds(&perm("write", "authorizations", Some(&org_id), None)) {
            return error(403, "write:authorizations is unauthorized");
        }
        if let Some(p) = permissions.iter().find(|p| !holds(p)) {
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
        let a = Auth {
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
        s.auths.insert(a.id.clone(), a.clone());
        let mut v = self.view(s, &a);
        v["token"] = json!(token);
        json(201, &v)
    }

    fn patch_auth(&self, s: &mut State, mut a: Auth, body: &[u8]) -> Resp {
        let Ok(b) = serde_json::from_slice::<serde_json::Value>(body) else {
            return error(400, "failed to decode request body");
        };
        let Some(obj) = b.as_object() else {
            return error(400, "failed to decode request body");
        };
        for k in obj.keys() {
            if k != "status" && k != "description" {
                return error(400, &format!("{k} cannot be updated"));
            }
        }
        if let Some(st) = obj.get("status") {
            match st.as_str() {
                Some(v @ ("active" | "inactive")) => a.status = v.into(),
                _ => return error(400, "status must be active or inactive"),
            }
        }
        if let Some(d) = obj.get("description") {
            let Some(d) = d.as_str() else {
                return error(400, "description must be a string");
            };
            a.description = d.into();
        }
        a.updated_at = now();
        s.auths.insert(a.id.clone(), a.clone());
        json(200, &self.view(s, &a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(action: &str, kind: &str, org: Option<&str>, id: Option<&str>) -> Perm {
        perm(action, kind, org, id)
    }

    #[test]
    fn permissions_match_as_influxdb_matches_them() {
        let want = held(
            "read",
            "buckets",
            Some("0000000000000001"),
            Some("00000000000000aa"),
        );
        assert!(matches(&held("read", "buckets", None, None), &want));
        assert!(matches(
            &held("read", "buckets", Some("0000000000000001"), None),
            &want
        ));
        assert!(!matches(
            &held("read", "buckets", Some("0000000000000002"), None),
            &want
        ));
        assert!(matches(
            &held("read", "buckets", None, Some("00000000000000aa")),
            &want
        ));
        assert!(!matches(&held("write", "buckets", None, None), &want));
    }

    #[test]
    fn query_strings_are_decoded() {
        let q = query(Some("org=my%20org&name=a+b"));
        assert_eq!(q["org"], "my org");
        assert_eq!(q["name"], "a b");
    }
}
