//! `/query`, InfluxDB 2.x's 1.x-compatible InfluxQL endpoint, as far as logging in and
//! finding the bucket go: written from `http/legacy/influx1x_authentication_handler.go` and
//! `v1/authorization/authorizer.go`.
//!
//! Credentials: `u` and `p` in the URL (both set), else `Authorization: Token <t>` (a
//! `user:token` there is read as the v2 token after the colon), else basic auth. With `u`/`p`
//! or basic auth the user name is looked up as a v1 authorization and the password compared;
//! a name that is no v1 authorization has its password tried as a v2 token. The
//! authorization and its user must be active. Anything else: 401 "unauthorized access".
//!
//! Then `db` (and `rp`) are mapped to a bucket of the caller's organization as the server
//! maps them: a physical DBRP mapping (the database's default when `rp` is unset), else a
//! bucket's virtual one; the caller needs read on it (403 otherwise). The statement itself is
//! not run: a query the caller may make answers `{"results":[{"statement_id":0}]}`, an
//! unknown database `{"results":[{"statement_id":0,"error":"database not found: ..."}]}`.

use base64::Engine;
use serde_json::json;

use super::legacy;
use super::model::{Permission, Store};
use super::{error, reply};
use crate::sim::harness::http::{authorization, query_pairs, sha512_hex, Resp};
use crate::sim::harness::Request;

/// Who a request is: the organization and the permissions of its authorization.
struct Login {
    org_id: String,
    permissions: Vec<Permission>,
}

/// The credentials of a request, as the 1.x authentication handler parses them: `(user,
/// password, is_token_scheme)`.
fn credentials(req: &Request<'_>) -> Option<(String, String, bool)> {
    let q = query_pairs(req.query);
    if let (Some(u), Some(p)) = (q.get("u"), q.get("p")) {
        if !u.is_empty() && !p.is_empty() {
            return Some((u.clone(), p.clone(), false));
        }
    }
    if let Some(t) = authorization(req.headers, "Token", true) {
        let (u, p) = t.split_once(':').unwrap_or(("", t));
        return Some((u.to_owned(), p.to_owned(), true));
    }
    let basic = authorization(req.headers, "Basic", false)?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(basic)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())?;
    let (u, p) = decoded.split_once(':')?;
    Some((u.to_owned(), p.to_owned(), false))
}

fn login(s: &Store, req: &Request<'_>) -> Option<Login> {
    let (user, password, token_scheme) = credentials(req)?;
    let v1 = if token_scheme {
        Err(true)
    } else {
        legacy::login(s, &user, &password)
    };
    let (status, user_id, org_id, permissions) = match v1 {
        Ok(a) => (a.status, a.user_id, a.org_id, a.permissions),
        Err(false) => return None,
        Err(true) => {
            let h = sha512_hex(&password);
            let a = s.authorizations.values().find(|a| a.token_sha512 == h)?;
            (
                a.status.clone(),
                a.user_id.clone(),
                a.org_id.clone(),
                a.permissions.clone(),
            )
        }
    };
    let user_active = s.users.get(&user_id).is_some_and(|u| u.status == "active");
    (status == "active" && user_active).then_some(Login {
        org_id,
        permissions,
    })
}

/// The bucket `db` (and `rp`) stand for in `org_id`.
fn bucket_of(s: &Store, org_id: &str, db: &str, rp: Option<&str>) -> Option<String> {
    let physical = s.dbrps.values().find(|d| {
        d.org_id == org_id
            && d.database == db
            && match rp {
                Some(rp) => d.retention_policy == rp,
                None => s
                    .dbrp_defaults
                    .get(&(org_id.to_owned(), db.to_owned()))
                    .is_some_and(|id| id == &d.id),
            }
    });
    if let Some(d) = physical {
        return Some(d.bucket_id.clone());
    }
    let name = match rp {
        Some(rp) if rp != "autogen" => format!("{db}/{rp}"),
        _ => db.to_owned(),
    };
    s.buckets
        .values()
        .find(|b| b.org_id == org_id && b.name == name)
        .map(|b| b.id.clone())
}

/// `GET` or `POST /query`.
pub(super) fn handle(s: &Store, req: &Request<'_>) -> Resp {
    let Some(who) = login(s, req) else {
        return error(401, "unauthorized access");
    };
    let mut params = query_pairs(req.query);
    if let Ok(form) = std::str::from_utf8(req.body) {
        for (k, v) in query_pairs(Some(form)) {
            params.entry(k).or_insert(v);
        }
    }
    if params.get("q").is_none_or(|q| q.trim().is_empty()) {
        return reply(400, &json!({"error": "missing required parameter \"q\""}));
    }
    let Some(db) = params.get("db").filter(|d| !d.is_empty()) else {
        return reply(200, &json!({"results": [{"statement_id": 0}]}));
    };
    let rp = params
        .get("rp")
        .map(String::as_str)
        .filter(|r| !r.is_empty());
    let Some(bucket) = bucket_of(s, &who.org_id, db, rp) else {
        return reply(
            200,
            &json!({"results": [{"statement_id": 0, "error": format!("database not found: {db}")}]}),
        );
    };
    let want = Permission::new("read", "buckets", Some(&who.org_id), Some(&bucket));
    if !who.permissions.iter().any(|p| p.matches(&want)) {
        return error(
            403,
            &format!("insufficient permissions to read bucket {bucket}"),
        );
    }
    reply(200, &json!({"results": [{"statement_id": 0}]}))
}
