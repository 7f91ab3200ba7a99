//! The InfluxDB 3 Management API family (`--product dedicated|clustered`): the endpoints for
//! tokens ([`tokens`]), databases with rename ([`databases`]) and tables ([`tables`]) under
//! `/api/v0`, and this family's `/__sim/` endpoints ([`control`]). The types and the validation
//! are its own ([`model`], [`rules`]), written from the specs; nothing is shared with the
//! provider's client.
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

mod control;
mod databases;
pub mod model;
mod persistence;
pub mod rules;
mod tables;
mod tokens;
mod views;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use hyper::Method;
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

use self::model::{DatabaseRecord, ErrorBody, RenameBody, TokenRecord};
use super::harness::http::{
    authorization, decode_path_segment, json_response, parse_json, same_secret, Resp,
};
use super::harness::{Family, Request};
use super::SimOptions;

/// The two products that serve the Management API; they differ in the paths (Dedicated puts
/// the account and cluster IDs in them) and in the IDs the answers show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edition {
    Dedicated,
    Clustered,
}

/// What the Management API keeps: tokens, databases (with their tables) and token hashes.
#[derive(Default)]
struct Store {
    tokens: BTreeMap<Uuid, TokenRecord>,
    databases: BTreeMap<String, DatabaseRecord>,
    /// The last numeric ID given to a database or a table.
    last_id: i64,
    /// Token id -> SHA-512 of its access token.
    access_token_sha512: BTreeMap<Uuid, String>,
}

/// The Management API family.
pub struct Management {
    edition: Edition,
    management_token: String,
    account_id: Uuid,
    cluster_id: Uuid,
    store: Mutex<Store>,
}

/// `--product dedicated`.
pub fn dedicated(opts: &SimOptions) -> Arc<dyn Family> {
    Arc::new(Management::new(Edition::Dedicated, opts))
}

/// `--product clustered`.
pub fn clustered(opts: &SimOptions) -> Arc<dyn Family> {
    Arc::new(Management::new(Edition::Clustered, opts))
}

impl Family for Management {
    /// The router: `/api/v0/...`, with Dedicated's account and cluster checked first.
    fn handle(&self, req: &Request<'_>) -> Resp {
        let (method, body) = (req.method, req.body);
        let Some(rest) = req.path.strip_prefix("/api/v0/") else {
            return not_found();
        };
        if !self.authorized(req) {
            return error(401, "unauthorized");
        }
        let segs: Vec<&str> = rest.split('/').collect();
        let resource: &[&str] = match self.edition {
            Edition::Clustered => &segs,
            Edition::Dedicated => match segs.as_slice() {
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
                let Some(name) = decode_path_segment(name) else {
                    return bad_request("the database name in the path is not valid UTF-8");
                };
                let table = |t: &str| decode_path_segment(t);
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

    fn control(&self, req: &Request<'_>) -> Option<Resp> {
        self.sim_control(req)
    }

    fn error(&self, status: u16, message: &str) -> Resp {
        error(status, message)
    }

    fn snapshot(&self) -> Option<Vec<u8>> {
        self.persisted()
    }

    fn restore(&self, saved: &[u8]) -> Result<(), String> {
        self.load(saved)
    }
}

/// `{code, message}` with the given status (the spec's `Error`).
pub fn error(status: u16, message: impl Into<String>) -> Resp {
    json_response(
        status,
        &ErrorBody {
            code: status,
            message: message.into(),
        },
    )
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

/// The new name a rename body (`{name}`) asks for, checked with `rule`; the 400's message
/// otherwise.
fn rename_body(body: &[u8], rule: fn(&str) -> Result<(), String>) -> Result<String, String> {
    let b: RenameBody = parse_body(body)?;
    rule(&b.name)?;
    Ok(b.name)
}

/// Moves the entry `from` of `map` to the key `to` and returns it: 404 when there is no
/// `from`, 409 `conflict` when `to` is another entry's. Renaming to the same name is a no-op.
/// (The answer is boxed: a `Resp` is large for an error value.)
fn move_entry<'m, T>(
    map: &'m mut BTreeMap<String, T>,
    from: &str,
    to: &str,
    conflict: &str,
) -> Result<&'m mut T, Box<Resp>> {
    if to != from && map.contains_key(to) && map.contains_key(from) {
        return Err(Box::new(error(409, conflict.to_owned())));
    }
    let entry = map.remove(from).ok_or_else(|| Box::new(not_found()))?;
    Ok(map.entry(to.to_owned()).or_insert(entry))
}

fn now() -> String {
    rules::format_timestamp(OffsetDateTime::now_utc())
}

fn parse_body<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, String> {
    parse_json(body).map_err(|e| format!("invalid request body: {e}"))
}

impl Management {
    pub fn new(edition: Edition, opts: &SimOptions) -> Management {
        Management {
            edition,
            management_token: opts.management_token.clone(),
            account_id: opts.account_id,
            cluster_id: opts.cluster_id,
            store: Mutex::new(Store::default()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn authorized(&self, req: &Request<'_>) -> bool {
        authorization(req.headers, "bearer", false)
            .is_some_and(|token| same_secret(token, &self.management_token))
    }
}
