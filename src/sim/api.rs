//! The simulator's state and request handling: the Management API endpoints for tokens and
//! databases, and the `/__sim/` control endpoints.
//!
//! Choices where the spec and docs are silent (the real service may differ):
//! - Authentication is checked before anything else; a missing or wrong bearer token gets
//!   401 `{"code":401,"message":"unauthorized"}`.
//! - Dedicated, wrong ids in the path: an account id other than the simulator's gets
//!   403 "forbidden" (a management token is scoped to one account, so another account is a
//!   permission problem); the right account with an unknown cluster id gets 404 "not found"
//!   (the cluster does not exist in this account). A path id that is not a UUID gets 400.
//! - DELETE of a token revokes it: `revokedAt` is set and the token stays visible in GET and
//!   list. DELETE of an already revoked token answers 204 again and keeps the first
//!   `revokedAt` (revocation is idempotent, like influxctl's `token revoke`).
//! - PATCH of a revoked token answers 409 "conflict: the token has been revoked" (the spec lists
//!   409 for UpdateDatabaseToken; a revoked token cannot be changed).
//! - Permissions are returned sorted by resource, then action, whatever order was sent.
//!   Duplicates are kept. `expiresAt` in the past is accepted. `expirationType`
//!   (`datetime`|`noExpiration`, sent by the docs' examples but not in the spec) is accepted
//!   and ignored. The Content-Type header is not checked.
//! - DELETE of a database removes it (the name can be reused at once).
//! - Database names in paths are percent-decoded, so `team%2Fmetrics` is `team/metrics`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use hyper::{Method, Response, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{SimOptions, SimProduct};
use crate::influxdb::models::{
    ApiErrorBody, CreateDatabase, Database, DatabaseToken, Permission, UpdateDatabase,
};
use crate::influxdb::names;

const DEFAULT_MAX_TABLES: i64 = 500;
const DEFAULT_MAX_COLUMNS_PER_TABLE: i64 = 250;

/// Body of `POST /__sim/faults`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    /// HTTP method to match; any method when absent.
    #[serde(default)]
    pub method: Option<String>,
    /// The request path must end with this; any path when absent.
    #[serde(default)]
    pub path_suffix: Option<String>,
    /// How many matching requests the fault applies to (default 1).
    #[serde(default)]
    pub count: Option<u32>,
    /// Answer with this status (and `{code, message}`) without acting.
    #[serde(default)]
    pub status: Option<u16>,
    /// With `status`: send a `Retry-After` header.
    #[serde(default)]
    pub retry_after_secs: Option<u64>,
    /// Handle the request fully, then close the connection without answering.
    #[serde(default)]
    pub drop_after_handling: bool,
    /// Close the connection without acting or answering.
    #[serde(default)]
    pub drop_before_handling: bool,
    /// Extra delay before this request is handled.
    #[serde(default)]
    pub delay_ms: Option<u64>,
    /// Sets the latency of every API request from now on (on its own, adds no fault).
    #[serde(default)]
    pub latency_ms: Option<u64>,
    /// A list that lags: a list answer leaves out the objects whose `id` (tokens) or `name`
    /// (databases) is one of these. Other answers are unchanged.
    #[serde(default)]
    pub omit_ids: Option<Vec<String>>,
}

/// An armed fault.
#[derive(Clone, Debug)]
pub struct Fault {
    pub method: Option<Method>,
    pub path_suffix: Option<String>,
    pub remaining: u32,
    pub status: Option<u16>,
    pub retry_after_secs: Option<u64>,
    pub drop_after_handling: bool,
    pub drop_before_handling: bool,
    pub delay: Duration,
    pub omit_ids: Option<Vec<String>>,
}

/// One API request as the simulator saw it; `status` is `None` when the connection was dropped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestRecord {
    pub method: String,
    pub path: String,
    pub status: Option<u16>,
}

/// What the state file holds. Access tokens are never stored: like the real service, the
/// simulator keeps a SHA-512 of each one, which is enough to tell which token a string is.
#[derive(Default, Serialize, Deserialize)]
struct Persisted {
    tokens: Vec<DatabaseToken>,
    databases: Vec<Database>,
    #[serde(default)]
    access_token_sha512: BTreeMap<String, String>,
}

fn sha512_hex(s: &str) -> String {
    let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA512, s.as_bytes());
    d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Default)]
struct Inner {
    tokens: BTreeMap<Uuid, DatabaseToken>,
    databases: BTreeMap<String, Database>,
    /// Token id -> SHA-512 of its access token.
    access_token_sha512: BTreeMap<Uuid, String>,
    faults: Vec<Fault>,
    latency: Duration,
    requests: Vec<RequestRecord>,
}

pub struct Shared {
    product: SimProduct,
    management_token: String,
    account_id: Uuid,
    cluster_id: Uuid,
    state_file: Option<PathBuf>,
    base_latency: Duration,
    inner: Mutex<Inner>,
}

type Resp = Response<Full<Bytes>>;

pub fn json_response(status: u16, body: &impl Serialize) -> Resp {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut resp = Response::new(Full::new(Bytes::from(bytes)));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}

/// A list answer without the objects whose `id` or `name` is in `ids` (any other answer is
/// returned as it was).
pub async fn omit_from_list(resp: Resp, ids: &[String]) -> Resp {
    use http_body_util::BodyExt;
    let status = resp.status().as_u16();
    let body = match resp.into_body().collect().await {
        Ok(b) => b.to_bytes(),
        Err(never) => match never {},
    };
    match serde_json::from_slice::<serde_json::Value>(&body) {
        Ok(serde_json::Value::Array(items)) => {
            let kept: Vec<_> = items
                .into_iter()
                .filter(|o| {
                    let key = o.get("id").or_else(|| o.get("name"));
                    !key.and_then(|k| k.as_str())
                        .is_some_and(|k| ids.iter().any(|i| i == k))
                })
                .collect();
            json_response(status, &kept)
        }
        _ => {
            let mut r = Response::new(Full::new(body));
            *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            r.headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            r
        }
    }
}

fn no_content() -> Resp {
    let mut resp = Response::new(Full::new(Bytes::new()));
    *resp.status_mut() = StatusCode::NO_CONTENT;
    resp
}

/// `{code, message}` with the given status.
pub fn error(status: u16, message: impl Into<String>) -> Resp {
    json_response(
        status,
        &ApiErrorBody {
            code: status as i64,
            message: message.into(),
        },
    )
}

pub fn default_message(status: u16) -> &'static str {
    match status {
        400 => "bad request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not found",
        405 => "method not allowed",
        409 => "conflict",
        429 => "too many requests",
        500 => "internal server error",
        502 => "bad gateway",
        503 => "service unavailable",
        504 => "gateway timeout",
        _ => "error",
    }
}

fn bad_request(detail: impl std::fmt::Display) -> Resp {
    error(400, format!("bad request: {detail}"))
}

fn not_found() -> Resp {
    error(404, "not found")
}

/// A UUID in the canonical hyphenated form (the API's `UuidV4` path parameters).
pub fn parse_uuid(s: &str) -> Option<Uuid> {
    if s.len() != 36 {
        return None;
    }
    Uuid::parse_str(s).ok()
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn now() -> String {
    names::format_api_timestamp(OffsetDateTime::now_utc())
}

fn parse_body<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|e| format!("invalid request body: {e}"))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CreateTokenBody {
    description: String,
    #[serde(default)]
    permissions: Option<Vec<Permission>>,
    #[serde(default)]
    expires_at: Option<String>,
    #[serde(default)]
    expiration_type: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct UpdateTokenBody {
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    permissions: Option<Vec<Permission>>,
}

fn check_permissions(perms: Vec<Permission>) -> Result<Vec<Permission>, String> {
    let mut perms = perms;
    for p in &perms {
        names::validate_action(&p.action)?;
        names::validate_permission_resource(&p.resource)?;
    }
    perms.sort_by(|a, b| (&a.resource, &a.action).cmp(&(&b.resource, &b.action)));
    Ok(perms)
}

fn check_limit(name: &str, v: Option<i64>) -> Result<(), String> {
    match v {
        Some(n) if !(1..=i32::MAX as i64).contains(&n) => Err(format!(
            "{name} must be between 1 and {}, got {n}",
            i32::MAX
        )),
        _ => Ok(()),
    }
}

fn check_retention(v: Option<i64>) -> Result<(), String> {
    match v {
        Some(n) if n < 0 => Err(format!(
            "retentionPeriod must be 0 (infinite) or a positive number of nanoseconds, got {n}"
        )),
        _ => Ok(()),
    }
}

fn random_access_token() -> String {
    let mut bytes = [0u8; 32];
    if getrandom::fill(&mut bytes).is_err() {
        for b in bytes.iter_mut() {
            *b = fastrand::u8(..);
        }
    }
    let mut s = String::with_capacity(70);
    s.push_str("apiv1_");
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

impl Shared {
    pub fn new(opts: &SimOptions) -> std::io::Result<Shared> {
        let mut inner = Inner {
            latency: opts.latency,
            ..Inner::default()
        };
        if let Some(path) = &opts.state_file {
            if path.exists() {
                let text = std::fs::read(path)?;
                let p: Persisted = serde_json::from_slice(&text).map_err(|e| {
                    std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!("state file {} is not valid: {e}", path.display()),
                    )
                })?;
                for mut t in p.tokens {
                    t.access_token = None;
                    if let Some(id) = parse_uuid(&t.id) {
                        inner.tokens.insert(id, t);
                    }
                }
                for d in p.databases {
                    inner.databases.insert(d.name.clone(), d);
                }
                for (id, h) in p.access_token_sha512 {
                    if let Some(id) = parse_uuid(&id) {
                        inner.access_token_sha512.insert(id, h);
                    }
                }
            }
        }
        Ok(Shared {
            product: opts.product,
            management_token: opts.management_token.clone(),
            account_id: opts.account_id,
            cluster_id: opts.cluster_id,
            state_file: opts.state_file.clone(),
            base_latency: opts.latency,
            inner: Mutex::new(inner),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Writes the state file, if any (atomically, via a temporary file).
    pub fn save(&self) {
        let inner = self.lock();
        self.save_locked(&inner);
    }

    fn save_locked(&self, inner: &Inner) {
        let Some(path) = &self.state_file else {
            return;
        };
        let p = Persisted {
            tokens: inner.tokens.values().cloned().collect(),
            databases: inner.databases.values().cloned().collect(),
            access_token_sha512: inner
                .access_token_sha512
                .iter()
                .map(|(id, h)| (id.to_string(), h.clone()))
                .collect(),
        };
        let Ok(text) = serde_json::to_vec_pretty(&p) else {
            return;
        };
        let tmp = path.with_extension("tmp");
        let result = std::fs::write(&tmp, text).and_then(|_| std::fs::rename(&tmp, path));
        if let Err(e) = result {
            eprintln!(
                "influxdb3-mgmt-sim: could not write state file {}: {e}",
                path.display()
            );
        }
    }

    pub fn latency(&self) -> Duration {
        self.lock().latency
    }

    pub fn requests(&self) -> Vec<RequestRecord> {
        self.lock().requests.clone()
    }

    pub fn record(&self, method: &Method, path: &str, status: Option<u16>) {
        self.lock().requests.push(RequestRecord {
            method: method.to_string(),
            path: path.to_owned(),
            status,
        });
    }

    pub fn add_fault(&self, spec: FaultSpec) -> Result<(), String> {
        let mut inner = self.lock();
        if let Some(ms) = spec.latency_ms {
            inner.latency = Duration::from_millis(ms);
        }
        let acts = spec.status.is_some()
            || spec.drop_after_handling
            || spec.drop_before_handling
            || spec.delay_ms.is_some()
            || spec.omit_ids.is_some();
        if !acts {
            if spec.latency_ms.is_some() {
                return Ok(());
            }
            return Err(
                "a fault needs status, drop_after_handling, drop_before_handling, \
                        delay_ms, omit_ids or latency_ms"
                    .into(),
            );
        }
        if let Some(s) = spec.status {
            if !(400..=599).contains(&s) {
                return Err(format!("status {s} is not an error status (400-599)"));
            }
        }
        let method = match &spec.method {
            Some(m) => Some(
                Method::from_bytes(m.to_ascii_uppercase().as_bytes())
                    .map_err(|_| format!("{m:?} is not an HTTP method"))?,
            ),
            None => None,
        };
        inner.faults.push(Fault {
            method,
            path_suffix: spec.path_suffix,
            remaining: spec.count.unwrap_or(1),
            status: spec.status,
            retry_after_secs: spec.retry_after_secs,
            drop_after_handling: spec.drop_after_handling,
            drop_before_handling: spec.drop_before_handling,
            delay: Duration::from_millis(spec.delay_ms.unwrap_or(0)),
            omit_ids: spec.omit_ids,
        });
        Ok(())
    }

    /// The first armed fault matching the request, with one use consumed.
    pub fn take_fault(&self, method: &Method, path: &str) -> Option<Fault> {
        let mut inner = self.lock();
        let idx = inner.faults.iter().position(|f| {
            f.remaining > 0
                && f.method.as_ref().is_none_or(|m| m == method)
                && f.path_suffix.as_deref().is_none_or(|s| path.ends_with(s))
        })?;
        let fault = inner.faults[idx].clone();
        inner.faults[idx].remaining -= 1;
        if inner.faults[idx].remaining == 0 {
            inner.faults.remove(idx);
        }
        Some(fault)
    }

    /// `/__sim/...` endpoints.
    pub fn control(&self, method: &Method, path: &str, body: &[u8]) -> Resp {
        match (method.as_str(), path.trim_end_matches('/')) {
            ("POST", "/__sim/faults") => {
                let spec: FaultSpec = match serde_json::from_slice(body) {
                    Ok(s) => s,
                    Err(e) => return bad_request(format!("invalid fault: {e}")),
                };
                match self.add_fault(spec) {
                    Ok(()) => no_content(),
                    Err(e) => bad_request(e),
                }
            }
            ("DELETE", "/__sim/faults") => {
                let mut inner = self.lock();
                inner.faults.clear();
                inner.latency = self.base_latency;
                no_content()
            }
            ("GET", "/__sim/faults") => {
                let inner = self.lock();
                let list: Vec<_> = inner
                    .faults
                    .iter()
                    .map(|f| {
                        json!({"method": f.method.as_ref().map(|m| m.to_string()),
                               "path_suffix": f.path_suffix, "count": f.remaining,
                               "status": f.status, "retry_after_secs": f.retry_after_secs,
                               "drop_after_handling": f.drop_after_handling,
                               "drop_before_handling": f.drop_before_handling,
                               "delay_ms": f.delay.as_millis() as u64,
                               "omit_ids": f.omit_ids})
                    })
                    .collect();
                json_response(
                    200,
                    &json!({"latency_ms": inner.latency.as_millis() as u64, "faults": list}),
                )
            }
            ("GET", "/__sim/requests") => json_response(200, &self.requests()),
            ("DELETE", "/__sim/requests") => {
                self.lock().requests.clear();
                no_content()
            }
            ("GET", "/__sim/state") => {
                let inner = self.lock();
                let tokens: Vec<_> = inner.tokens.values().map(|t| self.token_view(t)).collect();
                let dbs: Vec<_> = inner
                    .databases
                    .values()
                    .map(|d| self.database_view(d))
                    .collect();
                json_response(200, &json!({"tokens": tokens, "databases": dbs}))
            }
            // What the data plane does with a token: tells which token it is (by its hash),
            // and whether it may still be used.
            ("POST", "/__sim/authenticate") => {
                #[derive(Deserialize)]
                #[serde(rename_all = "camelCase")]
                struct Body {
                    access_token: String,
                }
                let b: Body = match serde_json::from_slice(body) {
                    Ok(b) => b,
                    Err(e) => {
                        return bad_request(format!("expected {{\"accessToken\": ...}}: {e}"))
                    }
                };
                let h = sha512_hex(&b.access_token);
                let inner = self.lock();
                let found = inner
                    .access_token_sha512
                    .iter()
                    .find(|(_, v)| **v == h)
                    .and_then(|(id, _)| inner.tokens.get(id));
                match found {
                    Some(t) => {
                        json_response(200, &json!({"id": t.id, "active": t.revoked_at.is_none()}))
                    }
                    None => error(404, "not found"),
                }
            }
            ("DELETE", "/__sim/state") => {
                let mut inner = self.lock();
                inner.tokens.clear();
                inner.databases.clear();
                inner.access_token_sha512.clear();
                self.save_locked(&inner);
                no_content()
            }
            _ => not_found(),
        }
    }

    fn token_view(&self, t: &DatabaseToken) -> DatabaseToken {
        let mut t = t.clone();
        if self.product == SimProduct::Dedicated {
            t.account_id = Some(self.account_id.to_string());
            t.cluster_id = Some(self.cluster_id.to_string());
        } else {
            t.account_id = None;
            t.cluster_id = None;
        }
        t
    }

    fn database_view(&self, d: &Database) -> Database {
        let mut d = d.clone();
        if self.product == SimProduct::Dedicated {
            d.account_id = Some(self.account_id.to_string());
            d.cluster_id = Some(self.cluster_id.to_string());
        } else {
            d.account_id = None;
            d.cluster_id = None;
        }
        d
    }

    fn authorized(&self, headers: &HeaderMap) -> bool {
        let Some(v) = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
            return false;
        };
        let v = v.trim();
        let token = match v.split_once(' ') {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
            _ => return false,
        };
        // Constant-time comparison; the simulator guards nothing real, but it costs nothing.
        let (a, b) = (token.as_bytes(), self.management_token.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }

    /// Management API requests.
    pub fn api(&self, method: &Method, path: &str, headers: &HeaderMap, body: &[u8]) -> Resp {
        let Some(rest) = path.strip_prefix("/api/v0/") else {
            return not_found();
        };
        if !self.authorized(headers) {
            return error(401, "unauthorized");
        }
        let segs: Vec<&str> = rest.split('/').collect();
        let resource: &[&str] = match self.product {
            SimProduct::Clustered => &segs,
            SimProduct::Dedicated => match segs.as_slice() {
                ["accounts", acc, "clusters", cl, tail @ ..] if !tail.is_empty() => {
                    let (Some(acc), Some(cl)) = (parse_uuid(acc), parse_uuid(cl)) else {
                        return bad_request("accountId and clusterId must be UUIDs");
                    };
                    if acc != self.account_id {
                        return error(403, "forbidden");
                    }
                    if cl != self.cluster_id {
                        return not_found();
                    }
                    tail
                }
                _ => return not_found(),
            },
        };
        match resource {
            ["tokens"] => match *method {
                Method::GET => self.list_tokens(),
                Method::POST => self.create_token(body),
                _ => error(405, "method not allowed"),
            },
            ["tokens", id] => {
                let Some(id) = parse_uuid(id) else {
                    return bad_request(format!("tokenId {id:?} is not a UUID"));
                };
                match *method {
                    Method::GET => self.get_token(id),
                    Method::PATCH => self.update_token(id, body),
                    Method::DELETE => self.delete_token(id),
                    _ => error(405, "method not allowed"),
                }
            }
            ["databases"] => match *method {
                Method::GET => self.list_databases(),
                Method::POST => self.create_database(body),
                _ => error(405, "method not allowed"),
            },
            ["databases", name] => {
                let Some(name) = percent_decode(name) else {
                    return bad_request("the database name in the path is not valid UTF-8");
                };
                match *method {
                    Method::PATCH => self.update_database(&name, body),
                    Method::DELETE => self.delete_database(&name),
                    _ => error(405, "method not allowed"),
                }
            }
            _ => not_found(),
        }
    }

    fn list_tokens(&self) -> Resp {
        let inner = self.lock();
        let mut list: Vec<DatabaseToken> =
            inner.tokens.values().map(|t| self.token_view(t)).collect();
        list.sort_by(|a, b| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id)));
        json_response(200, &list)
    }

    fn get_token(&self, id: Uuid) -> Resp {
        match self.lock().tokens.get(&id) {
            Some(t) => json_response(200, &self.token_view(t)),
            None => not_found(),
        }
    }

    fn create_token(&self, body: &[u8]) -> Resp {
        let b: CreateTokenBody = match parse_body(body) {
            Ok(b) => b,
            Err(e) => return bad_request(e),
        };
        let permissions = match check_permissions(b.permissions.unwrap_or_default()) {
            Ok(p) => p,
            Err(e) => return bad_request(e),
        };
        if let Some(kind) = &b.expiration_type {
            if kind != "datetime" && kind != "noExpiration" {
                return bad_request(format!(
                    "expirationType must be \"datetime\" or \"noExpiration\", got {kind:?}"
                ));
            }
        }
        let expires_at = match &b.expires_at {
            Some(s) => match names::parse_rfc3339(s) {
                Ok(t) => Some(names::format_api_timestamp(t)),
                Err(e) => return bad_request(format!("expiresAt: {e}")),
            },
            None => None,
        };
        let id = Uuid::new_v4();
        let token = DatabaseToken {
            account_id: None,
            cluster_id: None,
            id: id.to_string(),
            description: b.description,
            permissions,
            created_at: now(),
            expires_at,
            revoked_at: None,
            access_token: None,
        };
        let secret = random_access_token();
        let mut inner = self.lock();
        inner.tokens.insert(id, token.clone());
        inner.access_token_sha512.insert(id, sha512_hex(&secret));
        self.save_locked(&inner);
        let mut view = self.token_view(&token);
        view.access_token = Some(secret);
        json_response(200, &view)
    }

    fn update_token(&self, id: Uuid, body: &[u8]) -> Resp {
        let b: UpdateTokenBody = match parse_body(body) {
            Ok(b) => b,
            Err(e) => return bad_request(e),
        };
        if b.description.is_none() && b.permissions.is_none() {
            return bad_request("the body must set at least one of description or permissions");
        }
        let permissions = match b.permissions.map(check_permissions).transpose() {
            Ok(p) => p,
            Err(e) => return bad_request(e),
        };
        let mut inner = self.lock();
        let Some(token) = inner.tokens.get_mut(&id) else {
            return not_found();
        };
        if token.revoked_at.is_some() {
            return error(409, "conflict: the token has been revoked");
        }
        if let Some(d) = b.description {
            token.description = d;
        }
        if let Some(p) = permissions {
            token.permissions = p;
        }
        let view = self.token_view(token);
        self.save_locked(&inner);
        json_response(200, &view)
    }

    fn delete_token(&self, id: Uuid) -> Resp {
        let mut inner = self.lock();
        let Some(token) = inner.tokens.get_mut(&id) else {
            return not_found();
        };
        if token.revoked_at.is_none() {
            token.revoked_at = Some(now());
            self.save_locked(&inner);
        }
        no_content()
    }

    fn list_databases(&self) -> Resp {
        let inner = self.lock();
        let list: Vec<Database> = inner
            .databases
            .values()
            .map(|d| self.database_view(d))
            .collect();
        json_response(200, &list)
    }

    fn create_database(&self, body: &[u8]) -> Resp {
        let b: CreateDatabase = match parse_body(body) {
            Ok(b) => b,
            Err(e) => return bad_request(e),
        };
        if let Err(e) = names::validate_database_name(&b.name) {
            return bad_request(e);
        }
        if let Err(e) = check_limit("maxTables", b.max_tables)
            .and_then(|_| check_limit("maxColumnsPerTable", b.max_columns_per_table))
            .and_then(|_| check_retention(b.retention_period))
        {
            return bad_request(e);
        }
        if let Some(parts) = &b.partition_template {
            if let Err(e) = names::validate_partition_template(parts) {
                return bad_request(e);
            }
        }
        let mut inner = self.lock();
        if inner.databases.contains_key(&b.name) {
            return error(409, "conflict: a database with this name already exists");
        }
        let db = Database {
            account_id: None,
            cluster_id: None,
            name: b.name.clone(),
            max_tables: b.max_tables.unwrap_or(DEFAULT_MAX_TABLES),
            max_columns_per_table: b
                .max_columns_per_table
                .unwrap_or(DEFAULT_MAX_COLUMNS_PER_TABLE),
            retention_period: b.retention_period.unwrap_or(0),
            partition_template: b.partition_template,
        };
        inner.databases.insert(b.name, db.clone());
        self.save_locked(&inner);
        json_response(200, &self.database_view(&db))
    }

    fn update_database(&self, name: &str, body: &[u8]) -> Resp {
        let b: UpdateDatabase = match parse_body(body) {
            Ok(b) => b,
            Err(e) => return bad_request(e),
        };
        if b.max_tables.is_none()
            && b.max_columns_per_table.is_none()
            && b.retention_period.is_none()
        {
            return bad_request(
                "the body must set at least one of maxTables, maxColumnsPerTable or retentionPeriod",
            );
        }
        if let Err(e) = check_limit("maxTables", b.max_tables)
            .and_then(|_| check_limit("maxColumnsPerTable", b.max_columns_per_table))
            .and_then(|_| check_retention(b.retention_period))
        {
            return bad_request(e);
        }
        let mut inner = self.lock();
        let Some(db) = inner.databases.get_mut(name) else {
            return not_found();
        };
        if let Some(v) = b.max_tables {
            db.max_tables = v;
        }
        if let Some(v) = b.max_columns_per_table {
            db.max_columns_per_table = v;
        }
        if let Some(v) = b.retention_period {
            db.retention_period = v;
        }
        let view = self.database_view(db);
        self.save_locked(&inner);
        json_response(200, &view)
    }

    fn delete_database(&self, name: &str) -> Resp {
        let mut inner = self.lock();
        if inner.databases.remove(name).is_none() {
            return not_found();
        }
        self.save_locked(&inner);
        no_content()
    }
}
