//! `/api/v3/configure/database` (create, list, retention change, soft and hard delete) and
//! `/api/v3/configure/table` (create, delete; Enterprise table retention). A soft delete renames
//! the object `NAME-YYYYMMDDTHHMMSS` and marks it deleted (its name is free at once), with the
//! time of its hard deletion (`hard_delete_at`: three days by default, `now`, a time, or
//! `never`). As on the real server, a deleted object stays listed (deleted) even after that
//! time: the server removes it later, in the background; the simulator never does. Creating a
//! table in a database that does not exist creates the database, as the real server does.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::json;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::model::{
    deleted_name, now_ms, parse_humantime, validate_db_name, Field, Store, TableRecord,
    FIELD_TYPES, INTERNAL_DB,
};
use super::{body_json, json_error, ok_empty, text, Edition};
use crate::sim::harness::http::{json_response, Resp};
use crate::sim::harness::Request;

/// Core's limit of live databases besides `_internal`.
const CORE_DB_LIMIT: usize = 5;
/// `DEFAULT_HARD_DELETE_DURATION`.
const DEFAULT_HARD_DELETE_S: i64 = 72 * 3600;

fn not_found(name: &str) -> Resp {
    text(
        404,
        &format!("the requested resource was not found: {name}"),
    )
}

pub(super) fn exists() -> Resp {
    text(409, "attempted to create a resource that already exists")
}

fn retention(v: Option<&str>) -> Result<Option<u64>, Resp> {
    match v {
        None => Ok(None),
        Some(s) => parse_humantime(s)
            .map(Some)
            .ok_or_else(|| text(400, &format!("serde json error: invalid duration {s:?}"))),
    }
}

/// Core's answer when one more live database would exceed its limit.
fn over_core_limit(s: &Store, edition: Edition) -> Option<Resp> {
    let live = s.databases.values().filter(|d| !d.deleted).count();
    (edition == Edition::Core && live >= CORE_DB_LIMIT).then(|| {
        json_error(
            422,
            &format!("Adding a new database would exceed limit of {CORE_DB_LIMIT} databases"),
        )
    })
}

#[derive(Deserialize)]
struct DbBody {
    db: String,
    retention_period: Option<String>,
}

pub(super) fn create(s: &mut Store, req: &Request<'_>, edition: Edition) -> Resp {
    let b: DbBody = match body_json(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    if let Err(e) = validate_db_name(&b.db) {
        return json_error(400, e);
    }
    let retention_period_ns = match retention(b.retention_period.as_deref()) {
        Ok(r) => r,
        Err(r) => return r,
    };
    if s.live_db(&b.db).is_some() {
        return exists();
    }
    if let Some(r) = over_core_limit(s, edition) {
        return r;
    }
    s.add_db(&b.db, retention_period_ns);
    ok_empty()
}

/// `GET ?format=json[&show_deleted=true]`: `[{"iox::database": NAME}]`, `_internal` first.
pub(super) fn list(s: &Store, query: &BTreeMap<String, String>) -> Resp {
    match query.get("format").map(String::as_str) {
        Some("json") => {}
        Some(other) => {
            return text(
                400,
                &format!("sim: format {other:?} is not served, use json"),
            )
        }
        None => return text(400, "serde error: missing field `format`"),
    }
    let show_deleted = query.get("show_deleted").is_some_and(|v| v == "true");
    let mut rows = vec![if show_deleted {
        json!({"iox::database": INTERNAL_DB, "deleted": false})
    } else {
        json!({"iox::database": INTERNAL_DB})
    }];
    for d in s.databases.values().filter(|d| show_deleted || !d.deleted) {
        rows.push(if show_deleted {
            json!({"iox::database": d.name, "deleted": d.deleted})
        } else {
            json!({"iox::database": d.name})
        });
    }
    json_response(200, &rows)
}

/// `PUT {db, retention_period?}`: leaving `retention_period` out clears it.
pub(super) fn update(s: &mut Store, req: &Request<'_>) -> Resp {
    let b: DbBody = match body_json(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let ns = match retention(b.retention_period.as_deref()) {
        Ok(r) => r,
        Err(r) => return r,
    };
    let Some(db) = s.live_db_mut(&b.db) else {
        return not_found(&b.db);
    };
    db.retention_period_ns = ns;
    ok_empty()
}

/// When a delete with `hard_delete_at` hard-deletes: `Ok(None)` never, `Ok(Some(t))` at `t`
/// (seconds); `now` and past times mean at once.
fn hard_delete_at(v: Option<&String>, now_s: i64) -> Result<Option<i64>, Resp> {
    match v.map(String::as_str) {
        None | Some("default") => Ok(Some(now_s + DEFAULT_HARD_DELETE_S)),
        Some("never") => Ok(None),
        Some("now") => Ok(Some(now_s)),
        Some(t) => OffsetDateTime::parse(t, &Rfc3339)
            .map(|t| Some(t.unix_timestamp()))
            .map_err(|e| text(400, &format!("Cannot parse the timestamp: {e}"))),
    }
}

pub(super) fn delete(s: &mut Store, query: &BTreeMap<String, String>) -> Resp {
    let Some(name) = query.get("db") else {
        return text(400, "serde error: missing field `db`");
    };
    if name == INTERNAL_DB {
        return text(500, "cannot delete internal db");
    }
    let now = now_ms();
    let at = match hard_delete_at(query.get("hard_delete_at"), now / 1000) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let Some(mut db) = s.databases.remove(name) else {
        return not_found(name);
    };
    if db.deleted {
        s.databases.insert(name.clone(), db);
        return text(
            409,
            &format!("attempted to modify resource that was already deleted: {name}"),
        );
    }
    db.name = deleted_name(name, now);
    db.deleted = true;
    db.hard_deletion_s = at;
    s.databases.insert(db.name.clone(), db);
    ok_empty()
}

#[derive(Deserialize)]
struct TableBody {
    db: String,
    table: String,
    tags: Vec<String>,
    fields: Vec<FieldBody>,
    retention_period: Option<String>,
}

#[derive(Deserialize)]
struct FieldBody {
    name: String,
    #[serde(rename = "type")]
    kind: String,
}

pub(super) fn create_table(s: &mut Store, req: &Request<'_>, edition: Edition) -> Resp {
    let b: TableBody = match body_json(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    if let Some(f) = b
        .fields
        .iter()
        .find(|f| !FIELD_TYPES.contains(&f.kind.as_str()))
    {
        return text(
            400,
            &format!(
                "serde json error: unknown variant `{}`, expected one of `utf8`, `int64`, `uint64`, `float64`, `bool`",
                f.kind
            ),
        );
    }
    let mut names: Vec<&str> = b.tags.iter().map(String::as_str).collect();
    names.extend(b.fields.iter().map(|f| f.name.as_str()));
    if let Some(r) = names.iter().find(|n| ["time", "__chunk_order"].contains(n)) {
        return text(400, &format!("'{r}' is a reserved column"));
    }
    for (i, n) in names.iter().enumerate() {
        if names[..i].contains(n) {
            return text(400, &format!("duplicate column name: {n}"));
        }
    }
    // Core's request type has no such field: serde ignores it, as the server does.
    let retention_period = match edition {
        Edition::Enterprise => b.retention_period,
        Edition::Core => None,
    };
    if let Some(r) = &retention_period {
        if parse_humantime(r).is_none() {
            return text(400, &format!("serde json error: invalid duration {r:?}"));
        }
    }
    if s.live_db(&b.db).is_none() {
        // The real server creates the database (within Core's limit).
        if let Err(e) = validate_db_name(&b.db) {
            return json_error(400, e);
        }
        if let Some(r) = over_core_limit(s, edition) {
            return r;
        }
        s.add_db(&b.db, None);
    }
    let Some(db) = s.live_db_mut(&b.db) else {
        return not_found(&b.db);
    };
    if db.tables.contains_key(&b.table) {
        return exists();
    }
    let fields = b
        .fields
        .into_iter()
        .map(|f| Field {
            name: f.name,
            kind: f.kind,
        })
        .collect();
    let mut t = TableRecord::new(db.next_table_id, b.table.clone(), b.tags, fields);
    db.next_table_id += 1;
    t.retention_period = retention_period;
    db.tables.insert(b.table, t);
    ok_empty()
}

/// Enterprise: `PUT {db, table, retention_period?}`.
pub(super) fn update_table(s: &mut Store, req: &Request<'_>) -> Resp {
    #[derive(Deserialize)]
    struct Body {
        db: String,
        table: String,
        retention_period: Option<String>,
    }
    let b: Body = match body_json(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    if let Some(r) = &b.retention_period {
        if parse_humantime(r).is_none() {
            return text(400, &format!("serde json error: invalid duration {r:?}"));
        }
    }
    let Some(t) = s
        .live_db_mut(&b.db)
        .and_then(|d| d.tables.get_mut(&b.table))
    else {
        return not_found(&b.table);
    };
    t.retention_period = b.retention_period;
    ok_empty()
}

/// `DELETE ?db=&table=[&hard_delete_at=]`: the table is renamed and marked deleted, with the
/// time of its hard deletion.
pub(super) fn delete_table(s: &mut Store, query: &BTreeMap<String, String>) -> Resp {
    let (Some(db), Some(table)) = (query.get("db"), query.get("table")) else {
        return text(400, "serde error: missing field `db` or `table`");
    };
    let now = now_ms();
    let at = match hard_delete_at(query.get("hard_delete_at"), now / 1000) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let Some(d) = s.live_db_mut(db) else {
        return text(404, &format!("Database not found {db}"));
    };
    let Some(mut t) = d.tables.remove(table) else {
        return text(404, &format!("Table {table} not in DB schema for {db}"));
    };
    // Deleted twice in one second: the server adds `-1`, `-2`, ...
    let base = deleted_name(table, now);
    let mut name = base.clone();
    let mut n = 0;
    while d.tables.contains_key(&name) {
        n += 1;
        name = format!("{base}-{n}");
    }
    t.name = name;
    t.deleted = true;
    t.hard_deletion_s = at;
    d.tables.insert(t.name.clone(), t);
    ok_empty()
}
