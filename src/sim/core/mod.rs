//! The InfluxDB 3 Core and Enterprise family (`--product core|enterprise`): the `/api/v3`
//! administration API, written from the server's source (`influxdb3_server/src/http.rs`,
//! `influxdb3_catalog`, `influxdb3_system_tables`) and the docs, sharing no types with the
//! provider's client. One file per concern: [`tokens`], [`databases`] (and tables),
//! [`query`] (the SQL the simulator answers), [`write`] (line protocol), [`caches`] (last-value
//! and distinct-value caches), [`engine`] (the processing engine's plugin files and triggers;
//! nothing runs: a `request:` trigger's Python is not simulated), the records in [`model`];
//! this family's `/__sim/` endpoints in [`control`]. Checked against a real InfluxDB 3 Core
//! server by `tests/conformance_core.rs`: where the docs and the server disagree, the server
//! decides.
//!
//! Served: `GET|POST /ping` (headers `X-Influxdb-Build: Core|Enterprise`, `X-Influxdb-Version`;
//! body `{version, revision, process_id, product_name}`), `GET /health` (`OK`), token creation
//! (operator, regenerate, named admin, and on Enterprise resource tokens), token deletion by
//! name, `/api/v3/query_sql` (see [`query`] for the statements it understands), databases
//! (create, list, retention change, soft and hard delete), tables (create, delete; Enterprise
//! table retention), `/api/v3/write_lp`, which adds columns as a write does, the caches
//! (`/api/v3/configure/last_cache`, `/api/v3/configure/distinct_cache`), plugin files
//! (`/api/v3/plugins/files`) and triggers (`/api/v3/configure/processing_engine_trigger`,
//! `.../disable`, `.../enable`).
//!
//! As the real server: authentication runs before routing (only `POST
//! /api/v3/configure/token/admin` skips it); schemes `Bearer`, `Token` (and `Basic`
//! `user:token`), case-sensitive; no or an unknown or expired token gets 401 `{"error": "the
//! request was not authenticated"}`; a malformed header 400; a resource token on an admin
//! endpoint 403. Errors are plain text, except JSON `{"error": ...}` for authentication, database
//! name rules and limits. Unknown paths (and wrong methods) are 404 `Not found`. Core allows 5
//! live databases besides `_internal` (422 beyond). `/ping` and `/health` need a token too.
//!
//! At start there is the operator token `_admin` (id 0) whose string is `--token` (default
//! `sim-operator-token`). State is kept in memory only.

// Helpers return the error answer itself as their `Err`; its size does not matter here.
#![allow(clippy::result_large_err)]

mod caches;
mod control;
mod databases;
mod engine;
pub mod model;
mod query;
mod tokens;
mod write;

use std::sync::{Arc, Mutex, MutexGuard};

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use hyper::{Response, StatusCode};
use serde_json::json;

use self::model::{now_ms, Store, TokenRecord, OPERATOR};
use super::harness::http::{json_response, query_pairs, sha512_hex, Resp};
use super::harness::{Family, Request};
use super::SimOptions;

pub const VERSION: &str = "3.8.4";

/// Which server this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edition {
    Core,
    Enterprise,
}

impl Edition {
    pub fn build(self) -> &'static str {
        match self {
            Edition::Core => "Core",
            Edition::Enterprise => "Enterprise",
        }
    }
}

/// The Core/Enterprise family.
pub struct Core {
    edition: Edition,
    operator_token: String,
    store: Mutex<Store>,
}

/// `--product core`.
pub fn core(opts: &SimOptions) -> Arc<dyn Family> {
    Arc::new(Core::new(Edition::Core, &opts.v2_token))
}

/// `--product enterprise`.
pub fn enterprise(opts: &SimOptions) -> Arc<dyn Family> {
    Arc::new(Core::new(Edition::Enterprise, &opts.v2_token))
}

/// Who makes a request: an admin token, or an Enterprise resource token.
pub(super) struct Caller {
    pub token: TokenRecord,
}

impl Caller {
    fn is_admin(&self) -> bool {
        self.token.permissions.is_none()
    }

    /// Whether a resource token may do `action` on database `db`.
    pub fn may(&self, action: &str, db: &str) -> bool {
        match &self.token.permissions {
            None => true,
            Some(ps) => ps.iter().any(|p| {
                p.resource_type == "db"
                    && (p.resource_names.iter().any(|n| n == "*" || n == db))
                    && p.actions.iter().any(|a| a == action)
            }),
        }
    }
}

impl Family for Core {
    fn handle(&self, req: &Request<'_>) -> Resp {
        let method = req.method.as_str();
        let path = req.path;
        let query = query_pairs(req.query);
        if (method, path) == ("POST", "/api/v3/configure/token/admin") {
            return tokens::create_operator(&mut self.lock());
        }
        let caller = match self.authenticate(req) {
            Ok(c) => c,
            Err(resp) => return resp,
        };
        let mut s = self.lock();
        // Endpoints any valid token may call.
        match (method, path) {
            ("GET" | "POST", "/ping") => return self.ping(),
            ("GET", "/health" | "/api/v1/health") => return text(200, "OK"),
            ("GET" | "POST", "/api/v3/query_sql") => {
                return query::serve(&s, &caller, &query, req.body)
            }
            ("POST", "/api/v3/write_lp") => return write::serve(&mut s, &caller, &query, req.body),
            _ => {}
        }
        let known = matches!(
            path,
            "/api/v3/configure/token/admin/regenerate"
                | "/api/v3/configure/token/named_admin"
                | "/api/v3/enterprise/configure/token"
                | "/api/v3/configure/token"
                | "/api/v3/configure/database"
                | "/api/v3/configure/table"
                | "/api/v3/configure/last_cache"
                | "/api/v3/configure/distinct_cache"
                | "/api/v3/plugins/files"
                | "/api/v3/configure/processing_engine_trigger"
                | "/api/v3/configure/processing_engine_trigger/disable"
                | "/api/v3/configure/processing_engine_trigger/enable"
        );
        if known && !caller.is_admin() {
            return json_error(403, "the token does not have permission to do this");
        }
        let enterprise = self.edition == Edition::Enterprise;
        match (method, path) {
            ("POST", "/api/v3/configure/token/admin/regenerate") => tokens::regenerate(&mut s),
            ("POST", "/api/v3/configure/token/named_admin") => {
                tokens::create_named_admin(&mut s, req)
            }
            ("POST", "/api/v3/enterprise/configure/token") if enterprise => {
                tokens::create_resource_token(&mut s, req)
            }
            ("DELETE", "/api/v3/configure/token") => tokens::delete(&mut s, &query),
            ("POST", "/api/v3/configure/database") => databases::create(&mut s, req, self.edition),
            ("GET", "/api/v3/configure/database") => databases::list(&s, &query),
            ("PUT", "/api/v3/configure/database") => databases::update(&mut s, req),
            ("DELETE", "/api/v3/configure/database") => databases::delete(&mut s, &query),
            ("POST", "/api/v3/configure/table") => {
                databases::create_table(&mut s, req, self.edition)
            }
            ("PUT", "/api/v3/configure/table") if enterprise => {
                databases::update_table(&mut s, req)
            }
            ("DELETE", "/api/v3/configure/table") => databases::delete_table(&mut s, &query),
            ("POST", "/api/v3/configure/last_cache") => caches::create_last_cache(&mut s, req),
            ("DELETE", "/api/v3/configure/last_cache") => {
                caches::delete_cache(&mut s, req, &query, true)
            }
            ("POST", "/api/v3/configure/distinct_cache") => {
                caches::create_distinct_cache(&mut s, req)
            }
            ("DELETE", "/api/v3/configure/distinct_cache") => {
                caches::delete_cache(&mut s, req, &query, false)
            }
            ("POST", "/api/v3/plugins/files") => engine::write_plugin_file(&mut s, req),
            ("PUT", "/api/v3/plugins/files") => engine::update_trigger_plugin_file(&mut s, req),
            ("POST", "/api/v3/configure/processing_engine_trigger") => {
                engine::create_trigger(&mut s, req)
            }
            ("DELETE", "/api/v3/configure/processing_engine_trigger") => {
                engine::delete_trigger(&mut s, req, &query)
            }
            ("POST", "/api/v3/configure/processing_engine_trigger/disable") => {
                engine::set_disabled(&mut s, &query, true)
            }
            ("POST", "/api/v3/configure/processing_engine_trigger/enable") => {
                engine::set_disabled(&mut s, &query, false)
            }
            _ => text(404, "Not found"),
        }
    }

    /// An injected fault: the server's plain-text errors.
    fn error(&self, status: u16, message: &str) -> Resp {
        text(status, message)
    }

    fn control(&self, req: &Request<'_>) -> Option<Resp> {
        self.sim_control(req)
    }
}

impl Core {
    pub fn new(edition: Edition, operator_token: &str) -> Core {
        let sim = Core {
            edition,
            operator_token: operator_token.to_owned(),
            store: Mutex::new(Store::default()),
        };
        sim.reset();
        sim
    }

    fn lock(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Back to the start: the operator token, no database.
    fn reset(&self) {
        let mut s = self.lock();
        *s = Store::default();
        s.tokens.insert(
            0,
            TokenRecord {
                id: 0,
                name: OPERATOR.into(),
                sha512: sha512_hex(&self.operator_token),
                created_ms: now_ms(),
                expiry_ms: None,
                permissions: None,
                updated_ms: None,
            },
        );
        s.next_token_id = 1;
    }

    /// The token of the `Authorization` header, or the answer for a request without a usable
    /// one.
    fn authenticate(&self, req: &Request<'_>) -> Result<Caller, Resp> {
        let unauthenticated = || json_error(401, "the request was not authenticated");
        let Some(header) = req.headers.get(AUTHORIZATION) else {
            return Err(unauthenticated());
        };
        let malformed = || {
            json_error(400, "Authorization header was malformed, the request was not in the form of 'Authorization: <auth-scheme> <token>', supported auth-schemes are Bearer, Token and Basic")
        };
        let Ok(value) = header.to_str() else {
            return Err(malformed());
        };
        let parts: Vec<&str> = value.split_whitespace().collect();
        let token = match parts.as_slice() {
            ["Bearer" | "Token", t] => (*t).to_owned(),
            ["Basic", b] => {
                use base64::Engine;
                let decoded = base64::engine::general_purpose::STANDARD
                    .decode(b)
                    .ok()
                    .and_then(|d| String::from_utf8(d).ok());
                match decoded.as_deref().and_then(|d| d.split_once(':')) {
                    Some((_, t)) => t.to_owned(),
                    None => return Err(malformed()),
                }
            }
            _ => return Err(malformed()),
        };
        let h = sha512_hex(&token);
        let s = self.lock();
        match s.tokens.values().find(|t| t.sha512 == h) {
            Some(t) if !t.expired(now_ms()) => Ok(Caller { token: t.clone() }),
            _ => Err(unauthenticated()),
        }
    }

    fn ping(&self) -> Resp {
        let body = json!({
            "version": VERSION,
            "revision": "5f3e0d9c1a",
            "process_id": "0196a7c4-1d2e-7a3b-8c4d-5e6f7a8b9c0d",
            "product_name": format!("InfluxDB 3 {}", self.edition.build()),
        });
        let mut resp = json_response(200, &body);
        let h = resp.headers_mut();
        h.insert(
            "x-influxdb-build",
            HeaderValue::from_static(self.edition.build()),
        );
        h.insert("x-influxdb-version", HeaderValue::from_static(VERSION));
        resp
    }
}

/// A plain-text answer (most of the server's errors, `/health`).
pub(super) fn text(status: u16, message: &str) -> Resp {
    let mut resp = Response::new(Full::new(Bytes::from(message.to_owned())));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    resp.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    resp
}

/// `{"error": message}` (authentication, name rules, limits).
pub(super) fn json_error(status: u16, message: &str) -> Resp {
    json_response(status, &json!({ "error": message }))
}

/// `200` with an empty body, as the configure endpoints answer.
pub(super) fn ok_empty() -> Resp {
    Response::new(Full::new(Bytes::new()))
}

/// A JSON body, checked like `read_body_json`: the content type first (415), then the JSON
/// (400 `serde json error: ...`).
pub(super) fn body_json<T: serde::de::DeserializeOwned>(req: &Request<'_>) -> Result<T, Resp> {
    let ct = req
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mime = ct.split(';').next().unwrap_or("").trim();
    if !(mime == "application/json"
        || (mime.starts_with("application/") && mime.ends_with("+json")))
    {
        return Err(text(
            415,
            "unacceptable content-type, expected: application/json",
        ));
    }
    serde_json::from_slice(req.body).map_err(|e| text(400, &format!("serde json error: {e}")))
}
