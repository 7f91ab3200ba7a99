//! The conformance script's steps for the processing engine: every call the provider's
//! `influxdb_plugin_file` and `influxdb_processing_engine_trigger` make
//! (`src/influxdb/core/engine_api.rs`), the system tables they read, and the error cases (taken
//! name 409, missing database 404, a missing plugin file or a bad specification 500, an enabled
//! trigger deleted without `force`); the caches' steps are in [`caches`]. Runs on the database
//! `sensors` the main script made; the database `engine` it makes is soft-deleted again, so
//! Core's database limit is reached later as before.

#[path = "caches.rs"]
mod caches;

use serde_json::json;

use super::{sql, step, Step};

const FILES: &str = "/api/v3/plugins/files";
const TRIGGER: &str = "/api/v3/configure/processing_engine_trigger";

/// A trigger create body.
fn trigger(db: &str, name: &str, file: &str, spec: &str, disabled: bool) -> serde_json::Value {
    json!({
        "db": db,
        "trigger_name": name,
        "plugin_filename": file,
        "trigger_specification": spec,
        "trigger_arguments": null,
        "trigger_settings": {"run_async": false, "error_behavior": "log"},
        "disabled": disabled,
    })
}

fn engine() -> Vec<Step> {
    let hello = "def process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):\n    return {\"hello\": \"world\"}\n";
    let sched = "def process_scheduled_call(influxdb3_local, call_time, args=None):\n    pass\n";
    let wal = "def process_writes(influxdb3_local, table_batches, args=None):\n    pass\n";
    let mut every = trigger("sensors", "every10", "sched.py", "every:10s", false);
    every["trigger_arguments"] = json!({"a": "1", "b": "two"});
    let mut on_table = trigger("sensors", "wal1", "wal.py", "table:metrics", true);
    on_table["trigger_settings"] = json!({"run_async": true, "error_behavior": "retry"});
    let mut all = trigger("sensors", "all1", "wal.py", "all_tables", true);
    all["trigger_settings"] = json!({"run_async": false, "error_behavior": "disable"});
    let mut bad_behavior = trigger("sensors", "x", "sched.py", "every:1m", true);
    bad_behavior["trigger_settings"] = json!({"run_async": false, "error_behavior": "explode"});
    let mut no_disabled = trigger("sensors", "x", "sched.py", "every:1m", true);
    no_disabled.as_object_mut().unwrap().remove("disabled");
    vec![
        step(
            "write a plugin file",
            "POST",
            FILES,
            Some(json!({"plugin_name": "hello.py", "content": hello})),
        ),
        step(
            "overwrite a plugin file",
            "POST",
            FILES,
            Some(json!({"plugin_name": "hello.py", "content": hello})),
        ),
        step(
            "a scheduled plugin",
            "POST",
            FILES,
            Some(json!({"plugin_name": "sched.py", "content": sched})),
        ),
        step(
            "a WAL plugin",
            "POST",
            FILES,
            Some(json!({"plugin_name": "wal.py", "content": wal})),
        ),
        step(
            "a plugin file outside the plugin directory",
            "POST",
            FILES,
            Some(json!({"plugin_name": "../evil.py", "content": "x"})),
        ),
        step(
            "a plugin file without content",
            "POST",
            FILES,
            Some(json!({"plugin_name": "a.py"})),
        ),
        sql(
            "plugin files no trigger uses",
            "_internal",
            "SELECT * FROM system.plugin_files",
        ),
        step(
            "an every: trigger with arguments",
            "POST",
            TRIGGER,
            Some(every.clone()),
        ),
        step("a taken trigger name", "POST", TRIGGER, Some(every)),
        step("a table: trigger", "POST", TRIGGER, Some(on_table)),
        step("an all_tables trigger", "POST", TRIGGER, Some(all)),
        step(
            "a cron: trigger",
            "POST",
            TRIGGER,
            Some(trigger(
                "sensors",
                "cron1",
                "sched.py",
                "cron:0 */5 * * * *",
                true,
            )),
        ),
        step(
            "an every: trigger in milliseconds",
            "POST",
            TRIGGER,
            Some(trigger("sensors", "ev", "sched.py", "every:1500ms", true)),
        ),
        step(
            "a request: trigger",
            "POST",
            TRIGGER,
            Some(trigger("sensors", "req1", "hello.py", "request:hello", false)),
        ),
        step(
            "a trigger whose plugin file is missing",
            "POST",
            TRIGGER,
            Some(trigger("sensors", "x", "nope.py", "every:10s", true)),
        ),
        step(
            "a bad trigger specification",
            "POST",
            TRIGGER,
            Some(trigger("sensors", "x", "sched.py", "sometimes", true)),
        ),
        step(
            "a five-field cron",
            "POST",
            TRIGGER,
            Some(trigger("sensors", "x", "sched.py", "cron:0 0 * * *", true)),
        ),
        step(
            "an every: over a year",
            "POST",
            TRIGGER,
            Some(trigger("sensors", "x", "sched.py", "every:2y", true)),
        ),
        step(
            "an empty table:",
            "POST",
            TRIGGER,
            Some(trigger("sensors", "x", "wal.py", "table:", true)),
        ),
        step(
            "a trigger in a missing database",
            "POST",
            TRIGGER,
            Some(trigger("missing", "x", "sched.py", "every:10s", true)),
        ),
        step(
            "a bad error_behavior",
            "POST",
            TRIGGER,
            Some(bad_behavior),
        ),
        step(
            "a trigger without disabled",
            "POST",
            TRIGGER,
            Some(no_disabled),
        ),
        sql(
            "triggers",
            "sensors",
            "SELECT * FROM system.processing_engine_triggers",
        ),
        sql(
            "trigger arguments",
            "sensors",
            "SELECT * FROM system.processing_engine_trigger_arguments",
        ),
        sql(
            "one trigger's arguments",
            "sensors",
            "SELECT * FROM system.processing_engine_trigger_arguments WHERE trigger_name = 'every10'",
        ),
        sql(
            "_internal's triggers",
            "_internal",
            "SELECT * FROM system.processing_engine_triggers",
        ),
        sql(
            "plugin files in use",
            "_internal",
            "SELECT * FROM system.plugin_files",
        ),
        sql(
            "plugin files outside _internal",
            "sensors",
            "SELECT * FROM system.plugin_files",
        ),
        step(
            "disable a trigger",
            "POST",
            &format!("{TRIGGER}/disable?db=sensors&trigger_name=every10"),
            None,
        ),
        step(
            "disable it again",
            "POST",
            &format!("{TRIGGER}/disable?db=sensors&trigger_name=every10"),
            None,
        ),
        step(
            "enable a trigger",
            "POST",
            &format!("{TRIGGER}/enable?db=sensors&trigger_name=wal1"),
            None,
        ),
        step(
            "enable it again",
            "POST",
            &format!("{TRIGGER}/enable?db=sensors&trigger_name=wal1"),
            None,
        ),
        step(
            "enable a missing trigger",
            "POST",
            &format!("{TRIGGER}/enable?db=sensors&trigger_name=nope"),
            None,
        ),
        step(
            "disable a trigger of a missing database",
            "POST",
            &format!("{TRIGGER}/disable?db=missing&trigger_name=every10"),
            None,
        ),
        step(
            "disable without a trigger name",
            "POST",
            &format!("{TRIGGER}/disable?db=sensors"),
            None,
        ),
        sql(
            "triggers after disable and enable",
            "sensors",
            "SELECT trigger_name, disabled FROM system.processing_engine_triggers",
        ),
        step(
            "delete an enabled trigger without force",
            "DELETE",
            &format!("{TRIGGER}?db=sensors&trigger_name=wal1"),
            None,
        ),
        step(
            "delete an enabled trigger with force",
            "DELETE",
            &format!("{TRIGGER}?db=sensors&trigger_name=wal1&force=true"),
            None,
        ),
        step(
            "delete a disabled trigger",
            "DELETE",
            &format!("{TRIGGER}?db=sensors&trigger_name=every10"),
            None,
        ),
        step(
            "delete a missing trigger",
            "DELETE",
            &format!("{TRIGGER}?db=sensors&trigger_name=every10&force=true"),
            None,
        ),
        step(
            "delete a trigger of a missing database",
            "DELETE",
            &format!("{TRIGGER}?db=missing&trigger_name=x&force=true"),
            None,
        ),
        step(
            "PUT names a trigger",
            "PUT",
            FILES,
            Some(json!({"plugin_name": "req1", "content": hello})),
        ),
        step(
            "PUT naming a file is refused",
            "PUT",
            FILES,
            Some(json!({"plugin_name": "hello.py", "content": hello})),
        ),
        sql(
            "triggers after deletes",
            "sensors",
            "SELECT * FROM system.processing_engine_triggers",
        ),
        sql(
            "arguments after deletes",
            "sensors",
            "SELECT * FROM system.processing_engine_trigger_arguments",
        ),
        // A soft-deleted database's triggers still use their files.
        step(
            "a database for a trigger",
            "POST",
            "/api/v3/configure/database",
            Some(json!({"db": "engine"})),
        ),
        step(
            "a trigger in it",
            "POST",
            TRIGGER,
            Some(trigger("engine", "req1", "hello.py", "request:hello2", true)),
        ),
        step(
            "soft-delete the database with a trigger",
            "DELETE",
            "/api/v3/configure/database?db=engine",
            None,
        ),
        sql(
            "plugin files after the database went",
            "_internal",
            "SELECT plugin_name, file_name, size_bytes FROM system.plugin_files",
        ),
    ]
}

/// Statuses the provider relies on, checked on the real server itself.
pub const EXPECTED: &[(&str, u16)] = &[
    ("a last-value cache with the defaults", 201),
    ("a taken last-value cache name", 409),
    ("a distinct cache with every setting", 201),
    ("a taken distinct cache name", 409),
    ("a last-value cache on a missing table", 404),
    ("delete a missing last-value cache", 404),
    ("write a plugin file", 200),
    ("overwrite a plugin file", 200),
    ("an every: trigger with arguments", 200),
    ("a taken trigger name", 409),
    ("a trigger whose plugin file is missing", 500),
    ("a bad trigger specification", 500),
    ("a trigger in a missing database", 404),
    ("disable it again", 200),
    ("enable it again", 200),
    ("delete an enabled trigger without force", 500),
    ("delete an enabled trigger with force", 200),
    ("delete a missing trigger", 404),
];

pub fn expected_status(what: &str) -> Option<u16> {
    EXPECTED.iter().find(|(w, _)| *w == what).map(|(_, s)| *s)
}

/// The caches' steps, then the processing engine's.
pub fn steps() -> Vec<Step> {
    let mut s = caches::steps();
    s.extend(engine());
    s
}
