//! `/api/v2/dbrps`: DBRP mappings, written from InfluxDB 2.7's `dbrp/http_server_dbrp.go`,
//! `dbrp/service.go`, `dbrp/middleware_auth.go` and `dbrp/bucket_service.go` (v2.7.12). Every
//! call names its organization (`orgID` or `org`, else 400 "either 'org' or 'orgID' must be
//! provided"); a mapping is authorized as its bucket (read to see it, write to change it).
//!
//! The server's default rule, as the service keeps it: one default per (org, database); the
//! first mapping of a database becomes its default whatever was asked; a create or PATCH with
//! `default: true` takes the default over; a PATCH un-defaulting the default hands it to the
//! first other mapping of the database (lowest ID, the index order), and when there is none it
//! stays, although the answer says `false`; deleting the default hands it on the same way.
//! Deleting a bucket deletes its (physical) mappings, one by one in ID order, each handing the
//! default on.
//!
//! Virtual mappings (`bucketToMapping` and the end of `FindMany`): every bucket of the org is
//! also shown as a mapping (ID = the bucket's, database = its name, or `db` of a name `db/rp`
//! with `rp` as the retention policy, else `autogen`; `virtual: true`), default when the
//! bucket's name has no `/`. In a list, buckets come by name after the physical mappings and
//! each is checked against what the list already holds (after its filters): a mapping of the
//! same database and retention policy hides it; a default one of the same database, met first,
//! makes it not default. A GET of a bucket's ID answers its virtual mapping (of whatever org);
//! a DELETE of one deletes nothing but, as the service does, hands the default of its database
//! (when it says it is default) to the first physical mapping of that database. Simplification:
//! a PATCH of a virtual mapping is refused (400); the server stores it as an unindexed record.
//!
//! The `default` filter is read as Go's `strconv.ParseBool` reads it (`1`, `t`, `T`, `TRUE`,
//! `true`, `True` and their false forms): the official Python client sends `True`.

use serde::Deserialize;
use serde_json::json;

use super::model::{Bucket, Dbrp, Store};
use super::{error, error_code, new_id, reply, valid_id, Call};
use crate::sim::harness::http::{no_content, Resp};

/// The organization a call names (`orgID`, else `org` by name).
fn org_of(s: &Store, call: &Call<'_>) -> Result<String, Box<Resp>> {
    org_from(s, call.query.get("orgID"), call.query.get("org"))
}

fn org_from(s: &Store, id: Option<&String>, name: Option<&String>) -> Result<String, Box<Resp>> {
    match (id.filter(|i| !i.is_empty()), name.filter(|n| !n.is_empty())) {
        (Some(id), _) if !valid_id(id) => {
            Err(Box::new(error(400, &format!("invalid org ID {id:?}"))))
        }
        (Some(id), _) => Ok(id.clone()),
        (None, Some(name)) => s
            .orgs
            .values()
            .find(|o| &o.name == name)
            .map(|o| o.id.clone())
            .ok_or_else(|| Box::new(error(404, &format!("invalid org name {name:?}: not found")))),
        (None, None) => Err(Box::new(error(
            400,
            "either 'org' or 'orgID' must be provided",
        ))),
    }
}

/// `DBRPMapping.Validate`'s rule for a database or retention policy name.
fn valid_name(n: &str) -> bool {
    !n.is_empty()
        && n != "."
        && n != ".."
        && !n.contains(['/', '\\'])
        && !n.chars().any(|c| c.is_control())
}

fn is_default(s: &Store, d: &Dbrp) -> bool {
    s.dbrp_defaults
        .get(&(d.org_id.clone(), d.database.clone()))
        .is_some_and(|id| id == &d.id)
}

fn view(d: &Dbrp, default: bool) -> serde_json::Value {
    json!({
        "id": d.id,
        "database": d.database,
        "retention_policy": d.retention_policy,
        "default": default,
        "orgID": d.org_id,
        "bucketID": d.bucket_id,
        "virtual": false,
    })
}

/// A bucket's virtual mapping: default when its name has no `/`.
fn virtual_of(b: &Bucket) -> serde_json::Value {
    let (db, rp) = b.name.split_once('/').unwrap_or((&b.name, "autogen"));
    json!({
        "id": b.id,
        "database": db,
        "retention_policy": rp,
        "default": !b.name.contains('/'),
        "orgID": b.org_id,
        "bucketID": b.id,
        "virtual": true,
    })
}

/// Go's `strconv.ParseBool`.
fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// The first mapping of (org, db) other than `skip`: the new default, if any.
fn first_but(s: &Store, org_id: &str, db: &str, skip: &str) -> Option<String> {
    s.dbrps
        .values()
        .filter(|d| d.org_id == org_id && d.database == db && d.id != skip)
        .map(|d| d.id.clone())
        .min()
}

pub(super) fn list(s: &Store, call: &Call<'_>) -> Resp {
    let org_id = match org_of(s, call) {
        Ok(o) => o,
        Err(r) => return *r,
    };
    let q = &call.query;
    for k in ["id", "bucketID"] {
        if q.get(k).is_some_and(|v| !v.is_empty() && !valid_id(v)) {
            return error(400, &format!("invalid {k}"));
        }
    }
    let want_default = match q.get("default").map(String::as_str) {
        None | Some("") => None,
        Some(v) => match parse_bool(v) {
            Some(d) => Some(d),
            None => return error(400, "invalid default parameter"),
        },
    };
    // `filterFunc`: the filters given, a missing or empty one matching everything.
    let keep = |v: &serde_json::Value| {
        let eq = |key: &str, field: &str| {
            q.get(key)
                .filter(|x| !x.is_empty())
                .is_none_or(|x| v[field] == x.as_str())
        };
        eq("id", "id")
            && eq("bucketID", "bucketID")
            && eq("db", "database")
            && eq("rp", "retention_policy")
            && want_default.is_none_or(|d| v["default"] == d)
    };
    let mut shown: Vec<_> = s
        .dbrps
        .values()
        .filter(|d| d.org_id == org_id)
        .map(|d| view(d, is_default(s, d)))
        .filter(keep)
        .collect();
    let bucket_filter = q.get("bucketID").filter(|x| !x.is_empty());
    let mut buckets: Vec<_> = s
        .buckets
        .values()
        .filter(|b| b.org_id == org_id && bucket_filter.is_none_or(|id| &b.id == id))
        .collect();
    buckets.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
    for b in buckets {
        let mut v = virtual_of(b);
        let mut hidden = false;
        for m in shown.iter().filter(|m| m["database"] == v["database"]) {
            if m["retention_policy"] == v["retention_policy"] {
                hidden = true;
                break;
            }
            if m["default"] == true && v["default"] == true {
                v["default"] = false.into();
                break;
            }
        }
        if !hidden && keep(&v) {
            shown.push(v);
        }
    }
    // `AuthorizeFindDBRPs`: only what the caller may read.
    shown.retain(|v| call.allowed("read", "buckets", Some(&org_id), v["bucketID"].as_str()));
    reply(200, &json!({ "content": shown }))
}

pub(super) fn create(s: &mut Store, call: &Call<'_>) -> Resp {
    #[derive(Deserialize)]
    struct Body {
        #[serde(default)]
        database: String,
        #[serde(default)]
        retention_policy: String,
        #[serde(default)]
        default: bool,
        #[serde(default)]
        org: Option<String>,
        #[serde(rename = "orgID", default)]
        org_id: Option<String>,
        #[serde(rename = "bucketID", default)]
        bucket_id: String,
    }
    let b: Body = match serde_json::from_slice(call.body) {
        Ok(b) => b,
        Err(_) => return error(400, "invalid json structure"),
    };
    let org_id = match org_from(s, b.org_id.as_ref(), b.org.as_ref()) {
        Ok(o) => o,
        Err(r) => return *r,
    };
    if !valid_id(&b.bucket_id) {
        return error(400, &format!("invalid bucket ID {:?}", b.bucket_id));
    }
    // The authorizing middleware runs before the service validates.
    if !call.allowed("write", "buckets", Some(&org_id), Some(&b.bucket_id)) {
        return error(403, "write:buckets is unauthorized");
    }
    if !valid_name(&b.database) {
        return error(400, "DBRP provided is invalid: database must contain at least one character and only be letters, numbers, '_', '-', and '.'");
    }
    if !valid_name(&b.retention_policy) {
        return error(400, "DBRP provided is invalid: retentionPolicy must contain at least one character and only be letters, numbers, '_', '-', and '.'");
    }
    if !s.buckets.contains_key(&b.bucket_id) {
        return error(404, "bucket not found");
    }
    let taken = s.dbrps.values().any(|d| {
        d.org_id == org_id && d.database == b.database && d.retention_policy == b.retention_policy
    });
    if taken {
        return error_code(
            422,
            "conflict",
            "another DBRP mapping with same orgID, db, and rp exists",
        );
    }
    let d = Dbrp {
        id: new_id(),
        org_id: org_id.clone(),
        bucket_id: b.bucket_id,
        database: b.database.clone(),
        retention_policy: b.retention_policy,
    };
    let key = (org_id, b.database);
    if b.default || !s.dbrp_defaults.contains_key(&key) {
        s.dbrp_defaults.insert(key, d.id.clone());
    }
    s.dbrps.insert(d.id.clone(), d.clone());
    let default = is_default(s, &d);
    reply(201, &view(&d, default))
}

/// `/api/v2/dbrps/{id}` with any method.
pub(super) fn one(s: &mut Store, call: &Call<'_>, method: &str, id: &str) -> Resp {
    // `platform.ID.DecodeFromString`'s errors.
    if id.len() != 16 {
        return error(400, "id must have a length of 16 bytes");
    }
    if !valid_id(id) {
        return error(400, "invalid ID");
    }
    let org_id = match org_of(s, call) {
        Ok(o) => o,
        Err(r) => return *r,
    };
    let action = if method == "GET" { "read" } else { "write" };
    let physical = s.dbrps.get(id).filter(|d| d.org_id == org_id).cloned();
    let Some(d) = physical else {
        // A bucket's ID: its virtual mapping (`FindByID` looks the bucket up by ID alone).
        let Some(b) = s.buckets.get(id).cloned() else {
            return error(404, "unable to find DBRP");
        };
        if !call.allowed(action, "buckets", Some(&org_id), Some(&b.id)) {
            return error(403, &format!("{action}:buckets is unauthorized"));
        }
        return match method {
            "GET" => reply(200, &json!({ "content": virtual_of(&b) })),
            "PATCH" => error(400, "a virtual DBRP mapping cannot be updated"),
            "DELETE" => {
                // Nothing is stored under its ID, but `Delete` hands the default of its
                // database on when the mapping says it is default.
                let v = virtual_of(&b);
                if v["default"] == true {
                    let db = v["database"].as_str().unwrap_or_default().to_owned();
                    hand_default_on(s, &b.org_id, &db, id);
                }
                no_content()
            }
            _ => error(405, "method not allowed"),
        };
    };
    if !call.allowed(action, "buckets", Some(&org_id), Some(&d.bucket_id)) {
        return error(403, &format!("{action}:buckets is unauthorized"));
    }
    match method {
        "GET" => {
            let default = is_default(s, &d);
            reply(200, &json!({ "content": view(&d, default) }))
        }
        "PATCH" => patch(s, d, call.body),
        "DELETE" => {
            delete(s, &d);
            no_content()
        }
        _ => error(405, "method not allowed"),
    }
}

/// The service's `Delete` of a physical mapping: the default of its database, when it was
/// the default, goes to the first other mapping, or is unset when there is none.
fn delete(s: &mut Store, d: &Dbrp) {
    let was_default = is_default(s, d);
    s.dbrps.remove(&d.id);
    if was_default {
        hand_default_on(s, &d.org_id, &d.database, &d.id);
    }
}

/// `getFirstBut` then `setAsDefault`, or `unsetDefault` when no other mapping is left.
fn hand_default_on(s: &mut Store, org_id: &str, db: &str, skip: &str) {
    let key = (org_id.to_owned(), db.to_owned());
    match first_but(s, org_id, db, skip) {
        Some(next) => s.dbrp_defaults.insert(key, next),
        None => s.dbrp_defaults.remove(&key),
    };
}

/// `dbrp.BucketService.DeleteBucket`: after a bucket is deleted, its mappings are deleted one
/// by one (in ID order), each handing the default of its database on.
pub(super) fn forget_bucket(s: &mut Store, bucket_id: &str) {
    let gone: Vec<Dbrp> = s
        .dbrps
        .values()
        .filter(|d| d.bucket_id == bucket_id)
        .cloned()
        .collect();
    for d in &gone {
        delete(s, d);
    }
}

/// `default` and `retention_policy`; the answer's `default` is what was asked.
fn patch(s: &mut Store, mut d: Dbrp, body: &[u8]) -> Resp {
    #[derive(Deserialize)]
    struct Body {
        default: Option<bool>,
        retention_policy: Option<String>,
    }
    let Ok(b) = serde_json::from_slice::<Body>(body) else {
        return error(400, "invalid json structure");
    };
    let was_default = is_default(s, &d);
    if let Some(rp) = b.retention_policy {
        if !valid_name(&rp) {
            return error(400, "DBRP provided is invalid: retentionPolicy must contain at least one character and only be letters, numbers, '_', '-', and '.'");
        }
        let taken = s.dbrps.values().any(|o| {
            o.id != d.id
                && o.org_id == d.org_id
                && o.database == d.database
                && o.retention_policy == rp
        });
        if taken {
            return error_code(
                422,
                "conflict",
                "another DBRP mapping with same orgID, db, and rp exists",
            );
        }
        d.retention_policy = rp;
    }
    let answered = b.default.unwrap_or(was_default);
    let key = (d.org_id.clone(), d.database.clone());
    if answered {
        s.dbrp_defaults.insert(key, d.id.clone());
    } else if was_default {
        if let Some(next) = first_but(s, &d.org_id, &d.database, &d.id) {
            s.dbrp_defaults.insert(key, next);
        }
        // No other mapping: this one stays the default.
    }
    s.dbrps.insert(d.id.clone(), d.clone());
    reply(200, &json!({ "content": view(&d, answered) }))
}
