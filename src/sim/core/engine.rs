//! The processing engine's administration, as a real InfluxDB 3 Core server answers it (seen on
//! 3.10, checked with `tests/conformance_core.rs`): plugin files (`POST /api/v3/plugins/files`
//! `{plugin_name, content}` creates or overwrites a file of the plugin directory; `PUT` of the
//! same path names a *trigger* and rewrites the file that trigger uses), triggers (`POST`/`DELETE
//! /api/v3/configure/processing_engine_trigger`, `POST .../disable` and `.../enable`), and the
//! rows of `system.processing_engine_triggers`, `system.processing_engine_trigger_arguments`
//! (each database) and `system.plugin_files` (`_internal`: one row per trigger, of every
//! database, soft-deleted ones included; a file no trigger uses is not listed).
//!
//! What the server checks, in its order: the body (400 `serde json error: ...`: every field of
//! `trigger_settings` and `disabled` are required, `error_behavior` is `log`, `retry` or
//! `disable`), the plugin file (500 when it is missing or its name leaves the plugin directory),
//! the specification (500 `failed to parse trigger from SPEC`: `table:NAME`, `all_tables`,
//! `cron:EXPR` with 6 or 7 fields or an `@daily`-like shortcut, `every:DURATION` up to one year,
//! `request:PATH`), the database (404), the name (409). Disabling a disabled trigger or enabling
//! an enabled one is 200. An enabled trigger is deleted only with `force=true` (else 500
//! `Cannot delete running plugin NAME. Disable it first or use --force.`).
//!
//! Nothing runs: triggers are records only. A `request:` trigger does not answer on
//! `/api/v3/engine/PATH`, a scheduled or WAL trigger never calls its plugin, and no Python is
//! involved; the tests that need a plugin's output run on the real server only.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{json, Value};

use super::model::{now_ms, parse_humantime, PluginFileRecord, Store, TriggerRecord};
use super::{body_json, ok_empty, text};
use crate::sim::harness::http::Resp;
use crate::sim::harness::Request;

/// Where the simulator says its plugin directory is (the real server names its own).
const PLUGIN_DIR: &str = "/plugins";

/// The longest `every:` interval: humantime's year (365.25 days).
const MAX_EVERY_NS: u64 = 31_557_600 * 1_000_000_000;

fn not_found(name: &str) -> Resp {
    text(
        404,
        &format!("the requested resource was not found: {name}"),
    )
}

fn db_not_found(db: &str) -> Resp {
    text(404, &format!("Database not found {db}"))
}

/// Whether a plugin file name stays inside the plugin directory.
fn inside_plugin_dir(name: &str) -> bool {
    !name.starts_with('/') && !name.split('/').any(|part| part == "..")
}

fn traversal(name: &str) -> String {
    format!(
        "Path traversal detected: plugin filename '{name}' attempts to access files outside the plugin directory"
    )
}

#[derive(Deserialize)]
struct PluginFileBody {
    plugin_name: String,
    content: String,
}

/// `POST /api/v3/plugins/files`: creates or overwrites the file.
pub(super) fn write_plugin_file(s: &mut Store, req: &Request<'_>) -> Resp {
    let b: PluginFileBody = match body_json(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    if !inside_plugin_dir(&b.plugin_name) {
        return text(
            500,
            &format!(
                "Processing engine error: plugin error: {}",
                traversal(&b.plugin_name)
            ),
        );
    }
    s.plugin_files.insert(
        b.plugin_name,
        PluginFileRecord {
            content: b.content,
            last_modified_ms: now_ms(),
        },
    );
    ok_empty()
}

/// `PUT /api/v3/plugins/files`: `plugin_name` is a trigger's name; its plugin file is rewritten.
pub(super) fn update_trigger_plugin_file(s: &mut Store, req: &Request<'_>) -> Resp {
    let b: PluginFileBody = match body_json(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let file = s
        .databases
        .values()
        .filter(|d| !d.deleted)
        .flat_map(|d| d.triggers.iter())
        .find(|t| t.name == b.plugin_name)
        .map(|t| t.plugin_filename.clone());
    let Some(file) = file else {
        return text(
            500,
            &format!(
                "Processing engine error: plugin error: Plugin not found: {}",
                b.plugin_name
            ),
        );
    };
    s.plugin_files.insert(
        file,
        PluginFileRecord {
            content: b.content,
            last_modified_ms: now_ms(),
        },
    );
    ok_empty()
}

/// A cron expression the server's `cron` crate reads: 6 or 7 fields (seconds first), or a
/// shortcut. Close enough: each field is checked for the characters cron allows only.
fn cron_ok(expr: &str) -> bool {
    const SHORTCUTS: &[&str] = &[
        "@yearly",
        "@annually",
        "@monthly",
        "@weekly",
        "@daily",
        "@midnight",
        "@hourly",
    ];
    if SHORTCUTS.contains(&expr) {
        return true;
    }
    let fields: Vec<&str> = expr.split_whitespace().collect();
    (6..=7).contains(&fields.len())
        && fields.iter().all(|f| {
            f.chars()
                .all(|c| c.is_ascii_alphanumeric() || "*/,-?#".contains(c))
        })
}

/// The specification's JSON as the server writes it in `system.processing_engine_triggers`,
/// or the 500 answer for one it cannot read.
fn specification_json(spec: &str) -> Result<String, Resp> {
    let spec = spec.trim();
    let fail = |context: Option<&str>| {
        let message = match context {
            Some(c) => format!("failed to parse trigger from {spec}: {c}"),
            None => format!("failed to parse trigger from {spec}"),
        };
        Err(text(500, &message))
    };
    let quoted = |s: &str| Value::String(s.to_owned()).to_string();
    if let Some(table) = spec.strip_prefix("table:") {
        let table = table.trim();
        if table.is_empty() {
            return fail(Some("table name is empty"));
        }
        return Ok(format!(
            "{{\"single_table_wal_write\":{{\"table_name\":{}}}}}",
            quoted(table)
        ));
    }
    if spec == "all_tables" {
        return Ok("\"all_tables_wal_write\"".into());
    }
    if let Some(expr) = spec.strip_prefix("cron:") {
        let expr = expr.trim();
        if expr.is_empty() || !cron_ok(expr) {
            return fail(None);
        }
        return Ok(format!(
            "{{\"schedule\":{{\"schedule\":{}}}}}",
            quoted(expr)
        ));
    }
    if let Some(d) = spec.strip_prefix("every:") {
        let Some(ns) = parse_humantime(d.trim()) else {
            return fail(Some("couldn't parse to duration"));
        };
        if ns > MAX_EVERY_NS {
            return fail(Some("don't support every schedules of over 1 year"));
        }
        return Ok(format!(
            "{{\"every\":{{\"duration\":{{\"secs\":{},\"nanos\":{}}}}}}}",
            ns / 1_000_000_000,
            ns % 1_000_000_000
        ));
    }
    if let Some(path) = spec.strip_prefix("request:") {
        let path = path.trim();
        if path.is_empty() {
            return fail(None);
        }
        return Ok(format!(
            "{{\"request_path\":{{\"path\":{}}}}}",
            quoted(path)
        ));
    }
    fail(Some("expect one of the following forms: 'table:<TABLE_NAME>', 'all_tables', 'cron:<CRON_EXPRESSION>', 'every:<DURATION>', or 'request:<PATH>'"))
}

pub(super) fn create_trigger(s: &mut Store, req: &Request<'_>) -> Resp {
    #[derive(Deserialize)]
    struct Settings {
        run_async: bool,
        error_behavior: ErrorBehavior,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum ErrorBehavior {
        Log,
        Retry,
        Disable,
    }
    #[derive(Deserialize)]
    struct Body {
        db: String,
        plugin_filename: String,
        trigger_name: String,
        trigger_settings: Settings,
        trigger_specification: String,
        trigger_arguments: Option<BTreeMap<String, String>>,
        disabled: bool,
    }
    let b: Body = match body_json(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    if !inside_plugin_dir(&b.plugin_filename) {
        return text(
            500,
            &format!("Plugin error: {}", traversal(&b.plugin_filename)),
        );
    }
    if !s.plugin_files.contains_key(&b.plugin_filename) {
        return text(
            500,
            &format!(
                "Plugin error: reading plugin file: Plugin not found: {PLUGIN_DIR}/{}",
                b.plugin_filename
            ),
        );
    }
    let specification = match specification_json(&b.trigger_specification) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Some(d) = s.live_db_mut(&b.db) else {
        return db_not_found(&b.db);
    };
    if d.triggers.iter().any(|t| t.name == b.trigger_name) {
        return super::databases::exists();
    }
    d.triggers.push(TriggerRecord {
        name: b.trigger_name,
        plugin_filename: b.plugin_filename,
        specification,
        arguments: b
            .trigger_arguments
            .unwrap_or_default()
            .into_iter()
            .collect(),
        run_async: b.trigger_settings.run_async,
        error_behavior: match b.trigger_settings.error_behavior {
            ErrorBehavior::Log => "log",
            ErrorBehavior::Retry => "retry",
            ErrorBehavior::Disable => "disable",
        }
        .into(),
        disabled: b.disabled,
    });
    ok_empty()
}

/// `db` and `trigger_name` of the query string.
fn identifier(query: &BTreeMap<String, String>) -> Result<(String, String), Resp> {
    match (query.get("db"), query.get("trigger_name")) {
        (Some(db), Some(name)) => Ok((db.clone(), name.clone())),
        (None, _) => Err(text(400, "serde error: missing field `db`")),
        (_, None) => Err(text(400, "serde error: missing field `trigger_name`")),
    }
}

/// `POST .../disable` or `.../enable` `?db=&trigger_name=`; repeating it is harmless.
pub(super) fn set_disabled(
    s: &mut Store,
    query: &BTreeMap<String, String>,
    disabled: bool,
) -> Resp {
    let (db, name) = match identifier(query) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let Some(d) = s.live_db_mut(&db) else {
        return db_not_found(&db);
    };
    let Some(t) = d.triggers.iter_mut().find(|t| t.name == name) else {
        return not_found(&name);
    };
    t.disabled = disabled;
    ok_empty()
}

/// `DELETE ?db=&trigger_name=[&force=true]` (or the same in a JSON body when there is no
/// query string).
pub(super) fn delete_trigger(
    s: &mut Store,
    req: &Request<'_>,
    query: &BTreeMap<String, String>,
) -> Resp {
    #[derive(Deserialize)]
    struct Body {
        db: String,
        trigger_name: String,
        #[serde(default)]
        force: bool,
    }
    let b: Body = if req.query.is_some_and(|q| !q.is_empty()) {
        let (db, trigger_name) = match identifier(query) {
            Ok(x) => x,
            Err(r) => return r,
        };
        let force = match query.get("force").map(String::as_str) {
            None | Some("false") => false,
            Some("true") => true,
            Some(_) => return text(400, "serde error: invalid value for `force`"),
        };
        Body {
            db,
            trigger_name,
            force,
        }
    } else {
        match body_json(req) {
            Ok(b) => b,
            Err(r) => return r,
        }
    };
    let Some(d) = s.live_db_mut(&b.db) else {
        return db_not_found(&b.db);
    };
    let Some(i) = d.triggers.iter().position(|t| t.name == b.trigger_name) else {
        return not_found(&b.trigger_name);
    };
    if !d.triggers[i].disabled && !b.force {
        return text(
            500,
            &format!(
                "Cannot delete running plugin {}. Disable it first or use --force.",
                b.trigger_name
            ),
        );
    }
    d.triggers.remove(i);
    ok_empty()
}

/// `system.processing_engine_triggers` of a database.
pub(super) fn trigger_rows(triggers: &[TriggerRecord]) -> Vec<Value> {
    triggers
        .iter()
        .map(|t| {
            json!({
                "trigger_name": t.name,
                "plugin_filename": t.plugin_filename,
                "trigger_specification": t.specification,
                "disabled": t.disabled,
                "error_behavior": t.error_behavior,
            })
        })
        .collect()
}

/// `system.processing_engine_trigger_arguments` of a database.
pub(super) fn argument_rows(triggers: &[TriggerRecord]) -> Vec<Value> {
    triggers
        .iter()
        .flat_map(|t| {
            t.arguments.iter().map(move |(k, v)| {
                json!({"trigger_name": t.name, "argument_key": k, "argument_value": v})
            })
        })
        .collect()
}

/// `system.plugin_files` (`_internal`): the file of every trigger of every database.
pub(super) fn plugin_file_rows(s: &Store) -> Vec<Value> {
    s.databases
        .values()
        .flat_map(|d| d.triggers.iter())
        .filter_map(|t| {
            let f = s.plugin_files.get(&t.plugin_filename)?;
            Some(json!({
                "plugin_name": t.name,
                "file_name": t.plugin_filename,
                "file_path": format!("{PLUGIN_DIR}/{}", t.plugin_filename),
                "size_bytes": f.content.len(),
                "last_modified": f.last_modified_ms,
            }))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specifications_are_written_as_the_server_writes_them() {
        assert_eq!(
            specification_json("every:1500ms").ok().unwrap(),
            r#"{"every":{"duration":{"secs":1,"nanos":500000000}}}"#
        );
        assert_eq!(
            specification_json("table:cpu").ok().unwrap(),
            r#"{"single_table_wal_write":{"table_name":"cpu"}}"#
        );
        assert_eq!(
            specification_json("all_tables").ok().unwrap(),
            r#""all_tables_wal_write""#
        );
        assert!(specification_json("cron:0 0 * * *").is_err());
        assert!(specification_json("cron:0 */5 * * * *").is_ok());
        assert!(specification_json("cron:@daily").is_ok());
        assert!(specification_json("every:2y").is_err());
        assert!(specification_json("sometimes").is_err());
    }
}
