//! The simulator's state and request handling: the Management API endpoints for tokens,
//! databases (with rename) and tables, and the `/__sim/` control endpoints. The types and the
//! validation are the simulator's own ([`super::model`], [`super::rules`]), written from the
//! specs; nothing is shared with the provider's client.
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
//! - DELETE of a database removes it with its tables and data (the name can be reused at once).
//! - A rename keeps the database's ID, settings, tables and data (its data marker); the old name
//!   is free at once. Tokens are not touched: their permissions still name the old database, as
//!   the docs say tokens refer to databases by name. Renaming to the current name is a 200 no-op;
//!   to the name of another database, 409.
//! - Tables: creating one in an unknown database is 404; a name in use, 409; more tables than
//!   the database's `maxTables`, 400. Renaming a table to the name of another table is 409.
//!   Deleting a table removes it (its name can be reused at once).
//! - Numeric database and table IDs (shown by the rename answers) count up from 1.
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

use super::model::{
    CreateDatabaseBody, CreateTableBody, CreateTokenBody, DatabaseRecord, ErrorBody, RenameBody,
    TableRecord, TemplatePart, TokenRecord, UpdateDatabaseBody, UpdateTokenBody,
};
use super::rules;
use super::{SimOptions, SimProduct};

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
    tokens: Vec<TokenRecord>,
    databases: Vec<DatabaseRecord>,
    #[serde(default)]
    access_token_sha512: BTreeMap<String, String>,
}

fn sha512_hex(s: &str) -> String {
    let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA512, s.as_bytes());
    d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Default)]
struct Inner {
    tokens: BTreeMap<Uuid, TokenRecord>,
    databases: BTreeMap<String, DatabaseRecord>,
    /// The last numeric ID given to a database or a table.
    last_id: i64,
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
        &ErrorBody {
            code: status,
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
    rules::format_timestamp(OffsetDateTime::now_utc())
}

fn parse_body<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|e| format!("invalid request body: {e}"))
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
                    inner.last_id = inner.last_id.max(d.id);
                    for t in d.tables.values() {
                        inner.last_id = inner.last_id.max(t.id);
                    }
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
                "influxdb-sim: could not write state file {}: {e}",
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
                    .map(|d| self.database_state(d))
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
            // Stands for data written to a database: `{"marker": "..."}`.
            ("PUT", p) if p.starts_with("/__sim/databases/") && p.ends_with("/data") => {
                let name = &p["/__sim/databases/".len()..p.len() - "/data".len()];
                let Some(name) = percent_decode(name) else {
                    return bad_request("the database name in the path is not valid UTF-8");
                };
                #[derive(Deserialize)]
                struct Body {
                    marker: String,
                }
                let b: Body = match serde_json::from_slice(body) {
                    Ok(b) => b,
                    Err(e) => return bad_request(format!("expected {{\"marker\": ...}}: {e}")),
                };
                let mut inner = self.lock();
                let Some(db) = inner.databases.get_mut(&name) else {
                    return not_found();
                };
                db.data_marker = Some(b.marker);
                self.save_locked(&inner);
                no_content()
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

    fn token_view(&self, t: &TokenRecord) -> TokenRecord {
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

    /// `accountId` and `clusterId` on Cloud Dedicated; nothing on Clustered.
    fn with_ids(&self, mut v: serde_json::Value) -> serde_json::Value {
        if self.product == SimProduct::Dedicated {
            v["accountId"] = json!(self.account_id.to_string());
            v["clusterId"] = json!(self.cluster_id.to_string());
        }
        v
    }

    /// A database as the list, create and update answers show it.
    fn database_view(&self, d: &DatabaseRecord) -> serde_json::Value {
        let mut v = json!({"name": d.name, "maxTables": d.max_tables,
                           "maxColumnsPerTable": d.max_columns_per_table,
                           "retentionPeriod": d.retention_period});
        if let Some(p) = &d.partition_template {
            v["partitionTemplate"] = json!(p);
        }
        self.with_ids(v)
    }

    /// A table as the create answer shows it; the rename answer adds `id`.
    fn table_view(&self, database: &str, t: &TableRecord) -> serde_json::Value {
        let mut v = json!({"databaseName": database, "name": t.name});
        if let Some(p) = &t.partition_template {
            v["partitionTemplate"] = json!(p);
        }
        self.with_ids(v)
    }

    /// What `/__sim/state` shows of a database: the API's view plus what the API hides.
    fn database_state(&self, d: &DatabaseRecord) -> serde_json::Value {
        let mut v = self.database_view(d);
        v["id"] = json!(d.id);
        v["dataMarker"] = json!(d.data_marker);
        v["tables"] = json!(d.tables.values().collect::<Vec<_>>());
        v
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
            // The v2 mode never routes here (see `super::v2`).
            SimProduct::Clustered | SimProduct::OssV2 => &segs,
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
            ["databases", name, tail @ ..] => {
                let Some(name) = percent_decode(name) else {
                    return bad_request("the database name in the path is not valid UTF-8");
                };
                let table = |t: &str| percent_decode(t);
                match (tail, method.clone()) {
                    ([], Method::PATCH) => self.update_database(&name, body),
                    ([], Method::DELETE) => self.delete_database(&name),
                    (["rename"], Method::PUT) => self.rename_database(&name, body),
                    (["tables"], Method::POST) => self.create_table(&name, body),
                    (["tables", t], Method::DELETE) => match table(t) {
                        Some(t) => self.delete_table(&name, &t),
                        None => bad_request("the table name in the path is not valid UTF-8"),
                    },
                    (["tables", t, "rename"], Method::PUT) => match table(t) {
                        Some(t) => self.rename_table(&name, &t, body),
                        None => bad_request("the table name in the path is not valid UTF-8"),
                    },
                    ([] | ["rename"] | ["tables"] | ["tables", _] | ["tables", _, "rename"], _) => {
                        error(405, "method not allowed")
                    }
                    _ => not_found(),
                }
            }
            _ => not_found(),
        }
    }

    fn list_tokens(&self) -> Resp {
        let inner = self.lock();
        let mut list: Vec<TokenRecord> =
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
        let permissions = match rules::permissions(b.permissions.unwrap_or_default()) {
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
            Some(s) => match rules::timestamp(s.trim()) {
                Ok(t) => Some(rules::format_timestamp(t)),
                Err(e) => return bad_request(format!("expiresAt: {e}")),
            },
            None => None,
        };
        let id = Uuid::new_v4();
        let token = TokenRecord {
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
        let permissions = match b.permissions.map(rules::permissions).transpose() {
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
        let list: Vec<_> = inner
            .databases
            .values()
            .map(|d| self.database_view(d))
            .collect();
        json_response(200, &list)
    }

    fn create_database(&self, body: &[u8]) -> Resp {
        let b: CreateDatabaseBody = match parse_body(body) {
            Ok(b) => b,
            Err(e) => return bad_request(e),
        };
        if let Err(e) = rules::database_name(&b.name)
            .and_then(|_| rules::limit("maxTables", b.max_tables))
            .and_then(|_| rules::limit("maxColumnsPerTable", b.max_columns_per_table))
            .and_then(|_| rules::retention(b.retention_period))
        {
            return bad_request(e);
        }
        let partition_template = match b
            .partition_template
            .as_deref()
            .map(rules::partition_template)
        {
            Some(Err(e)) => return bad_request(e),
            Some(Ok(p)) => Some(p),
            None => None,
        };
        let mut inner = self.lock();
        if inner.databases.contains_key(&b.name) {
            return error(409, "conflict: a database with this name already exists");
        }
        inner.last_id += 1;
        let db = DatabaseRecord {
            id: inner.last_id,
            name: b.name.clone(),
            max_tables: b.max_tables.unwrap_or(DEFAULT_MAX_TABLES),
            max_columns_per_table: b
                .max_columns_per_table
                .unwrap_or(DEFAULT_MAX_COLUMNS_PER_TABLE),
            retention_period: b.retention_period.unwrap_or(0),
            partition_template,
            tables: BTreeMap::new(),
            data_marker: None,
        };
        let view = self.database_view(&db);
        inner.databases.insert(b.name, db);
        self.save_locked(&inner);
        json_response(200, &view)
    }

    fn update_database(&self, name: &str, body: &[u8]) -> Resp {
        let b: UpdateDatabaseBody = match parse_body(body) {
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
        if let Err(e) = rules::limit("maxTables", b.max_tables)
            .and_then(|_| rules::limit("maxColumnsPerTable", b.max_columns_per_table))
            .and_then(|_| rules::retention(b.retention_period))
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

    /// `RenameClusterDatabase`: the record (ID, settings, tables, data) moves to the new name.
    fn rename_database(&self, name: &str, body: &[u8]) -> Resp {
        let b: RenameBody = match parse_body(body) {
            Ok(b) => b,
            Err(e) => return bad_request(e),
        };
        if let Err(e) = rules::database_name(&b.name) {
            return bad_request(e);
        }
        let mut inner = self.lock();
        if !inner.databases.contains_key(name) {
            return not_found();
        }
        if b.name != name && inner.databases.contains_key(&b.name) {
            return error(409, "conflict: a database with this name already exists");
        }
        let Some(mut db) = inner.databases.remove(name) else {
            return not_found();
        };
        db.name = b.name.clone();
        let mut view = self.database_view(&db);
        view["id"] = json!(db.id);
        inner.databases.insert(b.name, db);
        self.save_locked(&inner);
        json_response(200, &view)
    }

    /// `CreateClusterDatabaseTable`.
    fn create_table(&self, database: &str, body: &[u8]) -> Resp {
        let b: CreateTableBody = match parse_body(body) {
            Ok(b) => b,
            Err(e) => return bad_request(e),
        };
        if let Err(e) = rules::table_name(&b.name) {
            return bad_request(e);
        }
        let partition_template: Option<Vec<TemplatePart>> = match b
            .partition_template
            .as_deref()
            .map(rules::partition_template)
        {
            Some(Err(e)) => return bad_request(e),
            Some(Ok(p)) => Some(p),
            None => None,
        };
        let mut inner = self.lock();
        inner.last_id += 1;
        let id = inner.last_id;
        let Some(db) = inner.databases.get_mut(database) else {
            return not_found();
        };
        if db.tables.contains_key(&b.name) {
            return error(409, "conflict: a table with this name already exists");
        }
        if db.tables.len() as i64 >= db.max_tables {
            return bad_request(format!(
                "the database already has its maximum of {} tables (maxTables)",
                db.max_tables
            ));
        }
        let table = TableRecord {
            id,
            name: b.name.clone(),
            partition_template,
        };
        db.tables.insert(b.name, table.clone());
        let view = self.table_view(database, &table);
        self.save_locked(&inner);
        json_response(200, &view)
    }

    /// `RenameClusterDatabaseTable`.
    fn rename_table(&self, database: &str, name: &str, body: &[u8]) -> Resp {
        let b: RenameBody = match parse_body(body) {
            Ok(b) => b,
            Err(e) => return bad_request(e),
        };
        if let Err(e) = rules::table_name(&b.name) {
            return bad_request(e);
        }
        let mut inner = self.lock();
        let Some(db) = inner.databases.get_mut(database) else {
            return not_found();
        };
        if !db.tables.contains_key(name) {
            return not_found();
        }
        if b.name != name && db.tables.contains_key(&b.name) {
            return error(409, "conflict: a table with this name already exists");
        }
        let Some(mut table) = db.tables.remove(name) else {
            return not_found();
        };
        table.name = b.name.clone();
        db.tables.insert(b.name, table.clone());
        let mut view = self.table_view(database, &table);
        view["id"] = json!(table.id);
        self.save_locked(&inner);
        json_response(200, &view)
    }

    /// `DeleteClusterDatabaseTable`.
    fn delete_table(&self, database: &str, name: &str) -> Resp {
        let mut inner = self.lock();
        let Some(db) = inner.databases.get_mut(database) else {
            return not_found();
        };
        if db.tables.remove(name).is_none() {
            return not_found();
        }
        self.save_locked(&inner);
        no_content()
    }
}
