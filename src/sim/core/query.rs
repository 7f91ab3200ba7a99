//! `/api/v3/query_sql` (GET with `db`, `q`, `format` in the query string, or POST with them in a
//! JSON body): a tiny SQL matcher over the simulator's own model, not a SQL engine.
//!
//! Understood: `SELECT <*|col, col, ...> FROM <table> [WHERE <col> = '<text>']`, keywords in
//! any case, on these tables:
//! - `system.tokens` (database `_internal`): `token_id`, `name`, `hash` (9 hex digits),
//!   `created_at`, `description`, `created_by_token_id`, `updated_at`, `updated_by_token_id`,
//!   `expiry`, `permissions` (`*:*:*` for admin tokens; on Enterprise a JSON array text such as
//!   `["db:sensors:read","db:sensors:write"]` for resource tokens, as observed on 3.8);
//! - `system.databases` (`_internal`): `database_name`, `retention_period_ns`, `deleted`,
//!   `hard_deletion_time` (`_internal` itself first; soft-deleted databases under their new
//!   names);
//! - `system.tables` (`_internal`): `database_name`, `table_name`, `column_count`,
//!   `series_key_columns`, `last_cache_count`, `distinct_cache_count`, `deleted`,
//!   `hard_deletion_time` (soft-deleted tables under their new names);
//! - `system.influxdb_schema` (any live database): `measurement`, `key`, `data_type` (`tag`,
//!   `time`, `string`, `integer`, `uinteger`, `float`, `boolean`), a table's columns sorted by
//!   name;
//! - `system.last_caches`, `system.distinct_caches` (any database; see [`super::caches`]),
//!   `system.processing_engine_triggers`, `system.processing_engine_trigger_arguments` (any
//!   database; `_internal` has none) and `system.plugin_files` (`_internal`; see
//!   [`super::engine`]).
//!
//! Anything else is 400 (plain text). `format` is `json` (one array of row objects, `[]` when
//! empty; the default) or `jsonl`; a null column is left out of its row, as arrow-json does.
//! An unknown database is 404 `{"error":"query error: database not found: DB"}`.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::model::{rfc3339, sql_timestamp, Store, INTERNAL_DB};

/// `_internal`'s retention: 7 days.
const INTERNAL_RETENTION_NS: u64 = 7 * 86_400 * 1_000_000_000;
use super::{json_error, text, Caller};
use crate::sim::harness::http::{json_response, Resp};

/// The statement's parts.
struct Select {
    columns: Option<Vec<String>>,
    table: String,
    filter: Option<(String, String)>,
}

fn parse(q: &str) -> Option<Select> {
    let words: Vec<&str> = q.split_whitespace().collect();
    let q = words.join(" ");
    let lower = q.to_ascii_lowercase();
    let rest = lower.strip_prefix("select ")?;
    let from = rest.find(" from ")?;
    let cols = &q[7..7 + from];
    let after = &q[7 + from + 6..];
    let (table, filter) = match after.to_ascii_lowercase().find(" where ") {
        Some(w) => (&after[..w], Some(&after[w + 7..])),
        None => (after, None),
    };
    let columns = match cols.trim() {
        "*" => None,
        list => Some(list.split(',').map(|c| c.trim().to_owned()).collect()),
    };
    let filter = match filter {
        None => None,
        Some(f) => {
            let (col, val) = f.split_once('=')?;
            let val = val.trim().strip_prefix('\'')?.strip_suffix('\'')?;
            Some((col.trim().to_owned(), val.replace("''", "'")))
        }
    };
    Some(Select {
        columns,
        table: table.trim().trim_end_matches(';').to_ascii_lowercase(),
        filter,
    })
}

fn permissions_text(p: &Option<Vec<super::model::Permission>>) -> String {
    match p {
        None => "*:*:*".into(),
        Some(ps) => {
            let parts: Vec<String> = ps
                .iter()
                .flat_map(|p| {
                    p.actions.iter().map(move |a| {
                        format!("{}:{}:{a}", p.resource_type, p.resource_names.join(","))
                    })
                })
                .collect();
            serde_json::to_string(&parts).unwrap_or_default()
        }
    }
}

/// Every row of `table` in database `db`, or the answer saying why there is none.
fn rows(s: &Store, db: &str, table: &str) -> Result<Vec<Map<String, Value>>, Resp> {
    let obj = |v: Value| match v {
        Value::Object(m) => m.into_iter().filter(|(_, v)| !v.is_null()).collect(),
        _ => Map::new(),
    };
    let internal = db == INTERNAL_DB;
    let only_internal = || {
        text(
            400,
            &format!("Error during planning: table 'public.{table}' not found"),
        )
    };
    Ok(match table {
        "system.tokens" if internal => s
            .tokens
            .values()
            .map(|t| {
                obj(json!({
                    "token_id": t.id,
                    "name": t.name,
                    "hash": t.sha512.get(..9),
                    "created_at": sql_timestamp(t.created_ms),
                    "updated_at": t.updated_ms.map(sql_timestamp),
                    "updated_by_token_id": t.updated_ms.map(|_| t.id),
                    "expiry": t.expiry_ms.map(sql_timestamp),
                    "permissions": permissions_text(&t.permissions),
                }))
            })
            .collect(),
        // `_internal` is listed first, with its 7-day retention.
        "system.databases" if internal => std::iter::once(obj(json!({
            "database_name": INTERNAL_DB,
            "retention_period_ns": INTERNAL_RETENTION_NS,
            "deleted": false,
        })))
        .chain(s.databases.values().map(|d| {
            obj(json!({
                "database_name": d.name,
                "retention_period_ns": d.retention_period_ns,
                "deleted": d.deleted,
                "hard_deletion_time": d.hard_deletion_s.map(|t| rfc3339(t * 1000)),
            }))
        }))
        .collect(),
        "system.tables" if internal => s
            .databases
            .values()
            .flat_map(|d| {
                d.tables.values().map(|t| {
                    obj(json!({
                        "database_name": d.name,
                        "table_name": t.name,
                        "column_count": t.tags.len() + t.fields.len() + 1,
                        "series_key_columns": t.tags.join(", "),
                        "last_cache_count": t.last_caches.len(),
                        "distinct_cache_count": t.distinct_caches.len(),
                        "deleted": t.deleted,
                        "hard_deletion_time": t.hard_deletion_s.map(|t| rfc3339(t * 1000)),
                    }))
                })
            })
            .collect(),
        "system.plugin_files" if internal => super::engine::plugin_file_rows(s)
            .into_iter()
            .map(obj)
            .collect(),
        "system.tokens" | "system.databases" | "system.tables" | "system.plugin_files" => {
            return Err(only_internal())
        }
        "system.last_caches"
        | "system.distinct_caches"
        | "system.processing_engine_triggers"
        | "system.processing_engine_trigger_arguments" => {
            let Some(d) = s.live_db(db) else {
                // `_internal` has no caches and no triggers.
                return Ok(Vec::new());
            };
            let rows = match table {
                "system.last_caches" => super::caches::last_cache_rows(&d.tables),
                "system.distinct_caches" => super::caches::distinct_cache_rows(&d.tables),
                "system.processing_engine_triggers" => super::engine::trigger_rows(&d.triggers),
                _ => super::engine::argument_rows(&d.triggers),
            };
            rows.into_iter().map(obj).collect()
        }
        "system.influxdb_schema" if !internal => {
            let Some(d) = s.live_db(db) else {
                return Err(not_found(db));
            };
            let mut out = Vec::new();
            // Each table's columns sorted by name, as the real server lists them.
            for t in d.tables.values() {
                let start = out.len();
                let row = |key: &str, kind: &str| {
                    obj(json!({"measurement": t.name, "key": key, "data_type": kind}))
                };
                out.extend(t.tags.iter().map(|k| row(k, "tag")));
                out.push(row("time", "time"));
                out.extend(t.fields.iter().map(|f| {
                    let kind = match f.kind.as_str() {
                        "utf8" => "string",
                        "int64" => "integer",
                        "uint64" => "uinteger",
                        "float64" => "float",
                        _ => "boolean",
                    };
                    row(&f.name, kind)
                }));
                out[start..].sort_by(|a, b| {
                    let key = |r: &Map<String, Value>| r["key"].as_str().unwrap_or("").to_owned();
                    key(a).cmp(&key(b))
                });
            }
            out
        }
        other if other.starts_with("system.") => {
            return Err(text(
                400,
                &format!("Error during planning: table 'public.{other}' not found"),
            ))
        }
        other => {
            return Err(text(
                400,
                &format!("sim: query on {other:?} is not supported"),
            ))
        }
    })
}

fn not_found(db: &str) -> Resp {
    json_error(404, &format!("query error: database not found: {db}"))
}

pub(super) fn serve(
    s: &Store,
    caller: &Caller,
    query: &BTreeMap<String, String>,
    body: &[u8],
) -> Resp {
    #[derive(Deserialize, Default)]
    struct Body {
        db: Option<String>,
        q: Option<String>,
        format: Option<String>,
    }
    let b: Body = if body.is_empty() {
        Body::default()
    } else {
        match serde_json::from_slice(body) {
            Ok(b) => b,
            Err(e) => return text(400, &format!("serde json error: {e}")),
        }
    };
    let db = b.db.or_else(|| query.get("db").cloned());
    let q = b.q.or_else(|| query.get("q").cloned());
    let format = b
        .format
        .or_else(|| query.get("format").cloned())
        .unwrap_or_else(|| "json".into());
    let (Some(db), Some(q)) = (db, q) else {
        return text(400, "serde error: missing field `db` or `q`");
    };
    if db != INTERNAL_DB && s.live_db(&db).is_none() {
        return not_found(&db);
    }
    if !caller.may("read", &db) {
        return json_error(403, "the token does not have permission to do this");
    }
    let Some(sel) = parse(&q) else {
        return text(400, &format!("sim: cannot parse the query {q:?}"));
    };
    let mut rows = match rows(s, &db, &sel.table) {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    if let Some((col, val)) = &sel.filter {
        rows.retain(|r| match r.get(col) {
            Some(Value::String(s)) => s == val,
            Some(other) => serde_json::from_str::<Value>(val).ok().as_ref() == Some(other),
            None => false,
        });
    }
    if let Some(cols) = &sel.columns {
        for r in &mut rows {
            r.retain(|k, _| cols.contains(k));
        }
    }
    match format.as_str() {
        "json" => json_response(200, &rows),
        "jsonl" | "json_lines" => {
            let lines: String = rows
                .iter()
                .map(|r| format!("{}\n", Value::Object(r.clone())))
                .collect();
            let mut resp = text(200, &lines);
            resp.headers_mut().insert(
                hyper::header::CONTENT_TYPE,
                hyper::header::HeaderValue::from_static("application/jsonl"),
            );
            resp
        }
        other => text(400, &format!("sim: format {other:?} is not served")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_are_matched_in_any_case_and_spacing() {
        let s = parse("select token_id,  name FROM system.tokens  WHERE name = 'o''k'").unwrap();
        assert_eq!(s.table, "system.tokens");
        assert_eq!(s.columns.unwrap(), vec!["token_id", "name"]);
        assert_eq!(s.filter.unwrap(), ("name".into(), "o'k".into()));
        assert!(parse("DROP TABLE x").is_none());
    }
}
