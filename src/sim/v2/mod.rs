//! The InfluxDB OSS v2 family (`--product oss-v2`): the parts of `/api/v2` that authorizations
//! need, written from the v2 OpenAPI and the InfluxDB 2.x sources, sharing no types with the
//! provider's client. One file per resource: [`orgs`] (with members), [`users`], [`buckets`],
//! [`authorizations`]; the records and the permission rule in [`model`]; this family's
//! `/__sim/` endpoints in [`control`].
//!
//! Served: `GET /health`; `GET`/`HEAD /ping` (204, no token needed, `X-Influxdb-Build: oss`
//! as InfluxDB 2.x's `http/legacy/ping_handler.go` sends it; `Cloud` for Cloud Serverless, the
//! value InfluxData's clients look for); `GET /api/v2/resources`; orgs (CRUD, with system buckets, members
//! and owners); users (CRUD, password, `POST /api/v2/signin`); buckets (CRUD, paged lists);
//! authorizations (create, list with `userID`/`user`/`orgID`/`org`, get, patch
//! `status`/`description` ignoring every other key, delete); DBRP mappings with the server's
//! default rule and virtual mappings ([`dbrps`]); v1 authorizations with their password under
//! `/private/legacy` ([`legacy`], OSS only); a v1 login on `/query` ([`query`]); tasks
//! ([`tasks`], options read from the script by [`task_options`]); org secrets ([`secrets`]).
//! `--product cloud-serverless`
//! serves the same API with Cloud Serverless's differences (see [`buckets`]).
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
//! write on every type, no org), with the IDs and names of the `DEFAULT_*` constants. The
//! state is kept in memory only (no state file).

mod authorizations;
mod buckets;
mod control;
mod dbrps;
mod legacy;
mod lookup;
pub mod model;
mod orgs;
mod query;
mod secrets;
mod task_format;
mod task_options;
mod tasks;
mod users;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use hyper::Method;
use serde_json::json;
use time::OffsetDateTime;

use self::lookup::{found, org_filter, owner_filters, paged, BAD_ID};
use self::model::{Authorization, Mapping, Org, Permission, Store, User, RESOURCE_TYPES};
use super::harness::http::{
    authorization, json_response_as, no_content, query_pairs, sha512_hex, Resp,
};
use super::harness::{Family, Request};
use super::SimOptions;

pub const DEFAULT_TOKEN: &str = "sim-operator-token";
pub const DEFAULT_ORG: &str = "sim-org";
pub const DEFAULT_ORG_ID: &str = "5f3e0d9c1a2b4c6d";
pub const DEFAULT_USER: &str = "sim-admin";
pub const DEFAULT_USER_ID: &str = "0a1b2c3d4e5f6071";
pub const OPERATOR_AUTH_ID: &str = "0f1e2d3c4b5a6978";

/// The OSS v2 family.
pub struct OssV2 {
    /// The operator token, given back its authorization by `DELETE /__sim/state`.
    operator_token: String,
    /// Cloud Serverless rather than OSS.
    cloud: bool,
    store: Mutex<Store>,
}

/// `--product oss-v2`.
pub fn family(opts: &SimOptions) -> Arc<dyn Family> {
    Arc::new(OssV2::new(&opts.v2_token, false))
}

/// `--product cloud-serverless`: the same API with Cloud Serverless's differences (retention
/// rules required, no shard-group duration, a schema type, no users or members endpoints).
pub fn serverless(opts: &SimOptions) -> Arc<dyn Family> {
    Arc::new(OssV2::new(&opts.v2_token, true))
}

impl Family for OssV2 {
    /// The router: `/health`, then `/api/v2/...` for an authenticated caller.
    fn handle(&self, req: &Request<'_>) -> Resp {
        let method = req.method;
        if req.path == "/health" {
            return if *method == Method::GET {
                reply(
                    200,
                    &json!({"name": "influxdb", "message": "ready for queries and writes", "status": "pass", "checks": [], "version": "v2.7.12-sim", "commit": "sim"}),
                )
            } else {
                error(405, "method not allowed")
            };
        }
        if req.path == "/ping" {
            return if *method == Method::GET || *method == Method::HEAD {
                self.ping()
            } else {
                error(405, "method not allowed")
            };
        }
        if req.path == "/query" {
            return if *method == Method::GET || *method == Method::POST {
                query::handle(&self.lock(), req)
            } else {
                error(405, "method not allowed")
            };
        }
        let (legacy_path, rest) = match (
            req.path.strip_prefix("/private/legacy/"),
            req.path.strip_prefix("/api/v2/"),
        ) {
            (Some(rest), _) => (true, rest),
            (None, Some(rest)) => (false, rest),
            (None, None) => return error(404, "path not found"),
        };
        let query = query_pairs(req.query);
        let mut s = self.lock();
        if rest == "signin" && *method == Method::POST {
            return users::sign_in(&s, authorization(req.headers, "Basic", false));
        }
        let Some(caller) = self.caller(&s, req) else {
            return error(401, "unauthorized access");
        };
        let call = Call {
            caller,
            query,
            body: req.body,
        };
        if legacy_path {
            return legacy::route(&mut s, &call, method.as_str(), rest);
        }
        let segs: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
        match (method.as_str(), segs.as_slice()) {
            ("GET", ["resources"]) => reply(200, &json!(RESOURCE_TYPES)),
            ("GET", ["orgs"]) => orgs::list(&s, &call),
            ("POST", ["orgs"]) => orgs::create(&mut s, &call),
            (m, ["orgs", id]) => orgs::one(&mut s, &call, m, id),
            (m, ["orgs", id, "members"]) => orgs::members(&mut s, &call, m, id, "member", None),
            (m, ["orgs", id, "owners"]) => orgs::members(&mut s, &call, m, id, "owner", None),
            (m, ["orgs", id, "members" | "owners", user]) => {
                orgs::members(&mut s, &call, m, id, "member", Some(user))
            }
            ("GET", ["users"]) => users::list(&s, &call),
            ("POST", ["users"]) => users::create(&mut s, &call),
            (m, ["users", id]) => users::one(&mut s, &call, m, id),
            ("POST", ["users", id, "password"]) => users::set_password(&mut s, &call, id),
            ("GET", ["buckets"]) => buckets::list(&s, &call),
            ("POST", ["buckets"]) => buckets::create(&mut s, &call),
            (m, ["buckets", id]) => buckets::one(&mut s, &call, m, id),
            ("GET", ["tasks"]) => tasks::list(&s, &call),
            ("POST", ["tasks"]) => tasks::create(&mut s, &call),
            (m, ["tasks", id]) => tasks::one(&mut s, &call, m, id),
            (m, ["orgs", id, "secrets"]) => secrets::handle(&mut s, &call, m, id, None),
            (m, ["orgs", id, "secrets", key]) => secrets::handle(&mut s, &call, m, id, Some(key)),
            ("GET", ["authorizations"]) => authorizations::list(&s, &call),
            ("POST", ["authorizations"]) => authorizations::create(&mut s, &call),
            (m, ["authorizations", id]) => authorizations::one(&mut s, &call, m, id),
            ("GET", ["dbrps"]) => dbrps::list(&s, &call),
            ("POST", ["dbrps"]) => dbrps::create(&mut s, &call),
            (m, ["dbrps", id]) => dbrps::one(&mut s, &call, m, id),
            _ => error(404, "path not found"),
        }
    }

    fn error(&self, status: u16, message: &str) -> Resp {
        error(status, message)
    }

    fn control(&self, req: &Request<'_>) -> Option<Resp> {
        self.sim_control(req)
    }
}

/// One authenticated API call: who makes it, its query and its body.
struct Call<'a> {
    caller: Authorization,
    query: BTreeMap<String, String>,
    body: &'a [u8],
}

impl Call<'_> {
    /// Whether the caller holds a permission allowing `action` on `kind` (in `org_id`, on
    /// `id`).
    fn allowed(&self, action: &str, kind: &str, org_id: Option<&str>, id: Option<&str>) -> bool {
        self.caller
            .allows(&Permission::new(action, kind, org_id, id))
    }
}

fn now() -> String {
    let t = OffsetDateTime::now_utc();
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn new_id() -> String {
    // InfluxDB IDs never start at zero.
    format!("{:016x}", fastrand::u64(1u64 << 60..))
}

fn valid_id(s: &str) -> bool {
    s.len() == 16
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// `body` as v2 answers are: JSON, `charset=utf-8`.
fn reply(status: u16, body: &serde_json::Value) -> Resp {
    json_response_as(status, body, "application/json; charset=utf-8")
}

/// A v2 error with its code given (`conflict` is a 422 in InfluxDB 2.x).
pub fn error_code(status: u16, code: &str, message: &str) -> Resp {
    let mut r = reply(status, &json!({ "code": code, "message": message }));
    if let Ok(v) = hyper::header::HeaderValue::from_str(code) {
        r.headers_mut().insert("X-Platform-Error-Code", v);
    }
    r
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
    error_code(status, code, message)
}

impl OssV2 {
    pub fn new(operator_token: &str, cloud: bool) -> OssV2 {
        let sim = OssV2 {
            operator_token: operator_token.to_owned(),
            cloud,
            store: Mutex::new(Store::default()),
        };
        sim.reset();
        sim
    }

    /// `/ping`: 204 with the build and version headers.
    fn ping(&self) -> Resp {
        let mut r = no_content();
        let build = if self.cloud { "Cloud" } else { "oss" };
        let h = r.headers_mut();
        h.insert(
            "X-Influxdb-Build",
            hyper::header::HeaderValue::from_static(build),
        );
        h.insert(
            "X-Influxdb-Version",
            hyper::header::HeaderValue::from_static("v2.7.12-sim"),
        );
        r
    }

    fn lock(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Back to the start: one org, one user, the operator token.
    fn reset(&self) {
        let mut s = self.lock();
        *s = Store {
            cloud: self.cloud,
            ..Store::default()
        };
        let t = now();
        s.orgs.insert(
            DEFAULT_ORG_ID.into(),
            Org {
                id: DEFAULT_ORG_ID.into(),
                name: DEFAULT_ORG.into(),
                description: String::new(),
                created_at: t.clone(),
                updated_at: t.clone(),
            },
        );
        buckets::add_system_buckets(&mut s, DEFAULT_ORG_ID);
        s.users.insert(
            DEFAULT_USER_ID.into(),
            User {
                id: DEFAULT_USER_ID.into(),
                name: DEFAULT_USER.into(),
                status: "active".into(),
                password_sha512: None,
            },
        );
        s.mappings.push(Mapping {
            resource_id: DEFAULT_ORG_ID.into(),
            user_id: DEFAULT_USER_ID.into(),
            role: "owner",
        });
        let permissions = RESOURCE_TYPES
            .iter()
            .flat_map(|k| ["read", "write"].map(|a| Permission::new(a, k, None, None)))
            .collect();
        s.authorizations.insert(
            OPERATOR_AUTH_ID.into(),
            Authorization {
                id: OPERATOR_AUTH_ID.into(),
                status: "active".into(),
                description: format!("{DEFAULT_USER}'s Token"),
                org_id: DEFAULT_ORG_ID.into(),
                user_id: DEFAULT_USER_ID.into(),
                permissions,
                created_at: t.clone(),
                updated_at: t,
                token_sha512: sha512_hex(&self.operator_token),
            },
        );
    }

    /// The active authorization a request's `Authorization: Token ...` header is.
    fn caller(&self, s: &Store, req: &Request<'_>) -> Option<Authorization> {
        let h = sha512_hex(authorization(req.headers, "Token", true)?);
        s.authorizations
            .values()
            .find(|a| a.token_sha512 == h)
            .filter(|a| a.status == "active" && s.users.contains_key(&a.user_id))
            .cloned()
    }
}
