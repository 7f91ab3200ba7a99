//! `/api/v3/configure/last_cache` and `/api/v3/configure/distinct_cache` (create, delete) and
//! the rows of `system.last_caches` and `system.distinct_caches`, as a real InfluxDB 3 Core
//! server answers them (seen on 3.10, checked with `tests/conformance_core.rs`):
//! - a create answers 201 with the catalog operation (`{"catalog_batch": {"Database":
//!   {time_ns, database_id, database_name, ops: [{"CreateLastCache": ...}]}},
//!   "sequence_number"}`), naming the cache; without `name` the server names it
//!   `TABLE_KEY1_KEY2_last_cache` (last-value) or `TABLE_COL1_COL2_distinct_cache`;
//! - a taken name is 409 (even with the same settings); a missing database or table is 404
//!   (`Database not found DB`, `Table T not in DB schema for DB`); an unknown column is 400
//!   `invalid configuration provided: ...`; a column of the wrong type (a float key column, a
//!   distinct cache on a non-string field) is 400; `count: 0` and `max_cardinality: 0` are
//!   refused while reading the body (400 `serde json error: ...`); `ttl` and `max_age` are whole
//!   seconds (0 allowed);
//! - a last-value cache's key columns default to the table's tags, its value columns to every
//!   other column (`value_column_names` is then absent from its row); count 1, ttl 4 hours;
//!   a distinct cache's `max_cardinality` defaults to 100000, `max_age` to one day;
//! - a delete takes `db`, `table`, `name` in the query string (or a JSON body without one):
//!   200 with no body, 404 `the requested resource was not found: NAME` for a missing cache;
//! - the caches of a soft-deleted table are no longer listed (its `system.tables` row keeps
//!   counting them).
//!
//! The sequence number is not the server's (it counts every catalog change): the conformance
//! test masks it, with `time_ns`.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{json, Value};

use super::model::{now_ms, DistinctCacheRecord, LastCacheRecord, Store, TableRecord};
use super::{body_json, ok_empty, text};
use crate::sim::harness::http::{json_response, Resp};
use crate::sim::harness::Request;

fn db_not_found(db: &str) -> Resp {
    text(404, &format!("Database not found {db}"))
}

fn table_not_found(db: &str, table: &str) -> Resp {
    text(404, &format!("Table {table} not in DB schema for {db}"))
}

fn invalid(message: String) -> Resp {
    text(400, &format!("invalid configuration provided: {message}"))
}

/// The live table `table` of the live database `db`, with the database's id and name.
fn live_table<'a>(
    s: &'a mut Store,
    db: &str,
    table: &str,
) -> Result<(u64, &'a mut TableRecord), Resp> {
    let Some(d) = s.live_db_mut(db) else {
        return Err(db_not_found(db));
    };
    let id = d.id;
    match d.live_table_mut(table) {
        Some(t) => Ok((id, t)),
        None => Err(table_not_found(db, table)),
    }
}

/// How the catalog operation names a column: `{"tag": i}`, `{"field": [0, i]}` or
/// `"timestamp"` (indices among the table's tags or fields).
fn column_ref(t: &TableRecord, name: &str) -> Value {
    if let Some(i) = t.tags.iter().position(|c| c == name) {
        json!({ "tag": i })
    } else if let Some(i) = t.fields.iter().position(|f| f.name == name) {
        json!({ "field": [0, i] })
    } else {
        json!("timestamp")
    }
}

/// What kind of column `name` is: `tag`, a field type (`utf8`, `float64`, ...) or `time`;
/// `None` when the table has no such column.
fn column_kind<'a>(t: &'a TableRecord, name: &str) -> Option<&'a str> {
    if t.tags.iter().any(|c| c == name) {
        Some("tag")
    } else if let Some(f) = t.fields.iter().find(|f| f.name == name) {
        Some(f.kind.as_str())
    } else {
        (name == "time").then_some("time")
    }
}

/// The 201 answer: the catalog batch with one operation.
fn created(db_id: u64, db: &str, op: Value) -> Resp {
    json_response(
        201,
        &json!({
            "catalog_batch": {"Database": {
                "time_ns": now_ms() * 1_000_000,
                "database_id": db_id,
                "database_name": db,
                "ops": [op],
            }},
            "sequence_number": 0,
        }),
    )
}

/// A body field that must not be zero, refused as the server's deserializer refuses it.
fn nonzero(v: Option<u64>, message: &str) -> Result<Option<u64>, Resp> {
    match v {
        Some(0) => Err(text(400, &format!("serde json error: {message}"))),
        other => Ok(other),
    }
}

pub(super) fn create_last_cache(s: &mut Store, req: &Request<'_>) -> Resp {
    #[derive(Deserialize)]
    struct Body {
        db: String,
        table: String,
        name: Option<String>,
        key_columns: Option<Vec<String>>,
        value_columns: Option<Vec<String>>,
        count: Option<u64>,
        ttl: Option<u64>,
    }
    let b: Body = match body_json(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let count = match nonzero(b.count, "last cache size must be greater than 0") {
        Ok(c) => c.unwrap_or(1),
        Err(r) => return r,
    };
    let (db_id, t) = match live_table(s, &b.db, &b.table) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let keys = b.key_columns.unwrap_or_else(|| t.tags.clone());
    for k in &keys {
        match column_kind(t, k) {
            None => return invalid(format!("invalid key column provided: {k}")),
            Some("tag" | "utf8" | "int64" | "uint64" | "bool") => {}
            Some(_) => return text(
                400,
                "only uint64, int64, bool, tag, and string columns are supported in the last cache",
            ),
        }
    }
    if let Some(v) = b
        .value_columns
        .iter()
        .flatten()
        .find(|v| column_kind(t, v).is_none())
    {
        return invalid(format!("invalid value column provided: {v}"));
    }
    let name = b
        .name
        .unwrap_or_else(|| format!("{}_{}_last_cache", t.name, keys.join("_")));
    if t.last_caches.iter().any(|c| c.name == name) {
        return super::databases::exists();
    }
    let id = t.next_last_cache_id;
    t.next_last_cache_id += 1;
    let ttl = b.ttl.unwrap_or(4 * 3600);
    let value_columns = match &b.value_columns {
        None => json!("all_non_key_columns"),
        Some(cols) => {
            json!({"explicit": {"columns": cols.iter().map(|c| column_ref(t, c)).collect::<Vec<_>>()}})
        }
    };
    let op = json!({"CreateLastCache": {
        "table_id": t.id,
        "table": t.name,
        "id": id,
        "node_spec": "all",
        "name": name,
        "key_columns": keys.iter().map(|c| column_ref(t, c)).collect::<Vec<_>>(),
        "value_columns": value_columns,
        "count": count,
        "ttl": ttl,
    }});
    t.last_caches.push(LastCacheRecord {
        id,
        name,
        key_columns: keys,
        value_columns: b.value_columns,
        count,
        ttl_s: ttl,
    });
    created(db_id, &b.db, op)
}

pub(super) fn create_distinct_cache(s: &mut Store, req: &Request<'_>) -> Resp {
    #[derive(Deserialize)]
    struct Body {
        db: String,
        table: String,
        name: Option<String>,
        columns: Vec<String>,
        max_cardinality: Option<u64>,
        max_age: Option<u64>,
    }
    let b: Body = match body_json(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let max_cardinality = match nonzero(
        b.max_cardinality,
        "invalid value: integer `0`, expected a nonzero usize",
    ) {
        Ok(c) => c.unwrap_or(100_000),
        Err(r) => return r,
    };
    let (db_id, t) = match live_table(s, &b.db, &b.table) {
        Ok(x) => x,
        Err(r) => return r,
    };
    if b.columns.is_empty() {
        return invalid("no columns provided when creating distinct cache".into());
    }
    for c in &b.columns {
        match column_kind(t, c) {
            None => return invalid(format!("invalid column provided: {c}")),
            Some("tag" | "utf8") => {}
            Some(_) => {
                return text(
                    400,
                    "only tag and string columns are supported in the distinct cache",
                )
            }
        }
    }
    let name = b
        .name
        .unwrap_or_else(|| format!("{}_{}_distinct_cache", t.name, b.columns.join("_")));
    if t.distinct_caches.iter().any(|c| c.name == name) {
        return super::databases::exists();
    }
    let id = t.next_distinct_cache_id;
    t.next_distinct_cache_id += 1;
    let max_age = b.max_age.unwrap_or(86_400);
    let op = json!({"CreateDistinctCache": {
        "table_id": t.id,
        "table_name": t.name,
        "node_spec": "all",
        "cache_id": id,
        "cache_name": name,
        "column_ids": b.columns.iter().map(|c| column_ref(t, c)).collect::<Vec<_>>(),
        "max_cardinality": max_cardinality,
        "max_age_seconds": max_age,
        "source": {"type": "User"},
    }});
    t.distinct_caches.push(DistinctCacheRecord {
        id,
        name,
        columns: b.columns,
        max_cardinality,
        max_age_s: max_age,
    });
    created(db_id, &b.db, op)
}

/// `DELETE ?db=&table=&name=` (or the same in a JSON body when there is no query string).
pub(super) fn delete_cache(
    s: &mut Store,
    req: &Request<'_>,
    query: &BTreeMap<String, String>,
    last: bool,
) -> Resp {
    #[derive(Deserialize)]
    struct Body {
        db: String,
        table: String,
        name: String,
    }
    let b: Body = if req.query.is_some_and(|q| !q.is_empty()) {
        let field = |k: &str| query.get(k).cloned();
        match (field("db"), field("table"), field("name")) {
            (Some(db), Some(table), Some(name)) => Body { db, table, name },
            (None, ..) => return text(400, "serde error: missing field `db`"),
            (_, None, _) => return text(400, "serde error: missing field `table`"),
            (.., None) => return text(400, "serde error: missing field `name`"),
        }
    } else {
        match body_json(req) {
            Ok(b) => b,
            Err(r) => return r,
        }
    };
    let (_, t) = match live_table(s, &b.db, &b.table) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let before = t.last_caches.len() + t.distinct_caches.len();
    if last {
        t.last_caches.retain(|c| c.name != b.name);
    } else {
        t.distinct_caches.retain(|c| c.name != b.name);
    }
    if t.last_caches.len() + t.distinct_caches.len() == before {
        return text(
            404,
            &format!("the requested resource was not found: {}", b.name),
        );
    }
    ok_empty()
}

/// `system.last_caches` of a database: `table`, `name`, `key_column_ids`, `key_column_names`,
/// `value_column_ids` and `value_column_names` (absent when every non-key column is kept),
/// `count`, `ttl` (seconds). Live tables only.
pub(super) fn last_cache_rows(tables: &BTreeMap<String, TableRecord>) -> Vec<Value> {
    let ids = |t: &TableRecord, cols: &[String]| -> Vec<Value> {
        cols.iter()
            .map(|c| json!(t.column_id(c).unwrap_or(0)))
            .collect()
    };
    tables
        .values()
        .filter(|t| !t.deleted)
        .flat_map(|t| {
            t.last_caches.iter().map(move |c| {
                json!({
                    "table": t.name,
                    "name": c.name,
                    "key_column_ids": ids(t, &c.key_columns),
                    "key_column_names": c.key_columns,
                    "value_column_ids": c.value_columns.as_ref().map(|v| ids(t, v)),
                    "value_column_names": c.value_columns,
                    "count": c.count,
                    "ttl": c.ttl_s,
                })
            })
        })
        .collect()
}

/// `system.distinct_caches` of a database: `table`, `name`, `column_ids`, `column_names`,
/// `max_cardinality`, `max_age_seconds`. Live tables only.
pub(super) fn distinct_cache_rows(tables: &BTreeMap<String, TableRecord>) -> Vec<Value> {
    tables
        .values()
        .filter(|t| !t.deleted)
        .flat_map(|t| {
            t.distinct_caches.iter().map(move |c| {
                json!({
                    "table": t.name,
                    "name": c.name,
                    "column_ids": c.columns.iter().map(|n| t.column_id(n).unwrap_or(0)).collect::<Vec<_>>(),
                    "column_names": c.columns,
                    "max_cardinality": c.max_cardinality,
                    "max_age_seconds": c.max_age_s,
                })
            })
        })
        .collect()
}
