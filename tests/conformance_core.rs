//! Conformance of the simulator's Core mode to the real InfluxDB 3 Core server: every request
//! the provider's Core client makes (`src/influxdb/core/client.rs`: `/ping`, `/health`, SQL on
//! `system.tokens`, `system.databases` and `system.influxdb_schema`, database create / retention
//! change / delete, table create / delete, named admin token create / delete, and in
//! [`engine`] the caches, plugin files, triggers and their system tables) and each error
//! case the simulator models (missing database, taken name, bad retention, bad name, unknown
//! token, Core's database limit, Enterprise-only endpoints, missing plugin file, bad trigger
//! specification, enabled trigger deleted without force, ...) is sent, in the same order, to
//! a real server and to `influxdb-sim --product core`. Their status codes must be equal, and
//! their bodies too once what legitimately differs is masked: token strings, hashes,
//! timestamps, the soft-deleted names' time suffix, the server's version, the catalog's sequence
//! number, the plugin directory's path and a file's modification time. Rows of a listing are
//! compared as sets. The real server decides: a difference is fixed in the simulator.

#[path = "support/core_server.rs"]
mod core_server;
#[path = "conformance_core/engine.rs"]
mod engine;
#[path = "support/sim.rs"]
mod sim;

use core_server::{http_request, query_sql_path, CoreServer, Reply};
use serde_json::{json, Value};
use sim::{SimProcess, CORE_TOKEN};

/// Keys whose values differ between any two servers (or any two runs).
const VOLATILE: &[&str] = &[
    "token",
    "hash",
    "created_at",
    "updated_at",
    "expiry",
    "hard_deletion_time",
    "process_id",
    "revision",
    "version",
    "time_ns",
    "sequence_number",
    "file_path",
    "last_modified",
];

/// `NAME-YYYYMMDDTHHMMSS` -> `NAME-<deleted>`.
fn mask_deleted_name(s: &str) -> String {
    let b = s.as_bytes();
    if b.len() > 16 {
        let tail = &s[s.len() - 16..];
        let tb = tail.as_bytes();
        let shape = tb[0] == b'-'
            && tb[9] == b'T'
            && tb[1..9].iter().all(u8::is_ascii_digit)
            && tb[10..].iter().all(u8::is_ascii_digit);
        if shape {
            return format!("{}-<deleted>", &s[..s.len() - 16]);
        }
    }
    s.to_owned()
}

/// The value with what may differ masked: volatile keys keep only their type, soft-deleted
/// names lose their time, arrays are sorted (rows are a set).
fn normalize(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let v = if VOLATILE.contains(&k.as_str()) {
                        match v {
                            Value::Null => Value::Null,
                            Value::String(_) => json!("<string>"),
                            other => json!(format!("<{}>", kind(other))),
                        }
                    } else {
                        normalize(v)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(a) => {
            let mut items: Vec<Value> = a.iter().map(normalize).collect();
            items.sort_by_key(|v| v.to_string());
            Value::Array(items)
        }
        Value::String(s) => Value::String(mask_deleted_name(s)),
        other => other.clone(),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// What is compared of an answer: the status, and the body as masked JSON, or `<text>` for a
/// plain-text body (error texts are for people; the provider reads the status), or `<empty>`.
fn comparable(r: &Reply) -> (u16, Value) {
    let body = if r.body.trim().is_empty() {
        json!("<empty>")
    } else {
        match serde_json::from_str::<Value>(&r.body) {
            Ok(v) => normalize(&v),
            Err(_) => json!("<text>"),
        }
    };
    (r.status, body)
}

/// One step of the script: the same request to both servers.
struct Step {
    what: &'static str,
    method: &'static str,
    path: String,
    body: Option<String>,
    /// `Some(token)`: this `Authorization: Bearer` instead of the operator's; `Some("")`: none.
    auth: Option<&'static str>,
}

fn step(what: &'static str, method: &'static str, path: &str, body: Option<Value>) -> Step {
    Step {
        what,
        method,
        path: path.to_owned(),
        body: body.map(|b| b.to_string()),
        auth: None,
    }
}

fn sql(what: &'static str, db: &str, q: &str) -> Step {
    step(what, "GET", &query_sql_path(db, q), None)
}

/// The script: every request the provider's Core client makes, and each error case the
/// simulator models, in an order whose state both servers reach the same way.
fn script() -> Vec<Step> {
    let db = "/api/v3/configure/database";
    let table = "/api/v3/configure/table";
    let named = "/api/v3/configure/token/named_admin";
    let mut s = vec![
        step("ping", "GET", "/ping", None),
        step("health", "GET", "/health", None),
        Step {
            auth: Some(""),
            ..step("health without a token", "GET", "/health", None)
        },
        Step {
            auth: Some("apiv3_unknown"),
            ..step("an unknown token", "GET", "/health", None)
        },
        Step {
            auth: Some("apiv3_unknown"),
            ..step(
                "an unknown token on the API",
                "GET",
                &format!("{db}?format=json"),
                None,
            )
        },
        // Databases.
        step(
            "create a database with retention",
            "POST",
            db,
            Some(json!({"db": "sensors", "retention_period": "30d"})),
        ),
        step(
            "a taken database name",
            "POST",
            db,
            Some(json!({"db": "sensors"})),
        ),
        step(
            "a bad retention",
            "POST",
            db,
            Some(json!({"db": "other", "retention_period": "bad"})),
        ),
        step(
            "a bad database name",
            "POST",
            db,
            Some(json!({"db": "bad name!"})),
        ),
        step(
            "create a database without retention",
            "POST",
            db,
            Some(json!({"db": "plain"})),
        ),
        sql(
            "list databases",
            "_internal",
            "SELECT * FROM system.databases",
        ),
        step(
            "list databases (API)",
            "GET",
            &format!("{db}?format=json"),
            None,
        ),
        step(
            "change a retention",
            "PUT",
            db,
            Some(json!({"db": "sensors", "retention_period": "7d"})),
        ),
        sql(
            "the changed retention",
            "_internal",
            "SELECT * FROM system.databases",
        ),
        step(
            "clear a retention",
            "PUT",
            db,
            Some(json!({"db": "sensors", "retention_period": null})),
        ),
        sql(
            "the cleared retention",
            "_internal",
            "SELECT * FROM system.databases",
        ),
        step(
            "change the retention of a missing database",
            "PUT",
            db,
            Some(json!({"db": "missing", "retention_period": "7d"})),
        ),
        step(
            "a bad retention change",
            "PUT",
            db,
            Some(json!({"db": "sensors", "retention_period": "soon"})),
        ),
        // Tables.
        step(
            "create a table",
            "POST",
            table,
            Some(
                json!({"db": "sensors", "table": "cpu", "tags": ["host", "region"], "fields": [{"name": "usage", "type": "float64"}, {"name": "n", "type": "int64"}, {"name": "ok", "type": "bool"}, {"name": "s", "type": "utf8"}, {"name": "u", "type": "uint64"}]}),
            ),
        ),
        step(
            "a taken table name",
            "POST",
            table,
            Some(json!({"db": "sensors", "table": "cpu", "tags": ["host"], "fields": []})),
        ),
        step(
            "a bad field type",
            "POST",
            table,
            Some(
                json!({"db": "sensors", "table": "t2", "tags": [], "fields": [{"name": "v", "type": "bogus"}]}),
            ),
        ),
        step(
            "a reserved column",
            "POST",
            table,
            Some(json!({"db": "sensors", "table": "t2", "tags": ["time"], "fields": []})),
        ),
        step(
            "a duplicate column",
            "POST",
            table,
            Some(
                json!({"db": "sensors", "table": "t2", "tags": ["a"], "fields": [{"name": "a", "type": "bool"}]}),
            ),
        ),
        sql(
            "a table's columns",
            "sensors",
            "SELECT key, data_type FROM system.influxdb_schema WHERE measurement = 'cpu'",
        ),
        sql(
            "a missing table's columns",
            "sensors",
            "SELECT key, data_type FROM system.influxdb_schema WHERE measurement = 'nope'",
        ),
        sql(
            "columns in a missing database",
            "missing",
            "SELECT key, data_type FROM system.influxdb_schema WHERE measurement = 'cpu'",
        ),
        step(
            "a table in a missing database creates the database",
            "POST",
            table,
            Some(json!({"db": "implicit", "table": "t", "tags": ["host"], "fields": []})),
        ),
        sql(
            "the database the table made",
            "_internal",
            "SELECT * FROM system.databases",
        ),
        step(
            "table retention is Enterprise only",
            "PUT",
            table,
            Some(json!({"db": "sensors", "table": "cpu", "retention_period": "1d"})),
        ),
        step(
            "delete a missing table",
            "DELETE",
            &format!("{table}?db=sensors&table=nope"),
            None,
        ),
        step(
            "delete a table of a missing database",
            "DELETE",
            &format!("{table}?db=missing&table=cpu"),
            None,
        ),
        step(
            "write adds columns",
            "POST",
            "/api/v3/write_lp?db=sensors",
            None,
        ),
        step(
            "a write with a conflicting type",
            "POST",
            "/api/v3/write_lp?db=sensors",
            None,
        ),
        sql(
            "the columns after writes",
            "sensors",
            "SELECT key, data_type FROM system.influxdb_schema WHERE measurement = 'cpu'",
        ),
        step(
            "soft-delete a table",
            "DELETE",
            &format!("{table}?db=sensors&table=cpu"),
            None,
        ),
        sql(
            "a soft-deleted table's columns",
            "sensors",
            "SELECT * FROM system.influxdb_schema",
        ),
        sql(
            "tables",
            "_internal",
            "SELECT database_name, table_name, column_count, deleted FROM system.tables",
        ),
        step(
            "create the table again",
            "POST",
            table,
            Some(json!({"db": "sensors", "table": "cpu", "tags": ["host"], "fields": []})),
        ),
        step(
            "hard-delete a table",
            "DELETE",
            &format!("{table}?db=sensors&table=cpu&hard_delete_at=now"),
            None,
        ),
        sql(
            "tables after a hard delete",
            "_internal",
            "SELECT database_name, table_name, deleted FROM system.tables",
        ),
        // Tokens.
        step(
            "create a named admin token",
            "POST",
            named,
            Some(json!({"token_name": "ops"})),
        ),
        step(
            "a taken token name",
            "POST",
            named,
            Some(json!({"token_name": "ops"})),
        ),
        step(
            "a named admin token with an expiry",
            "POST",
            named,
            Some(json!({"token_name": "ci", "expiry_secs": 3600})),
        ),
        sql("tokens", "_internal", "SELECT * FROM system.tokens"),
        sql(
            "one token",
            "_internal",
            "SELECT * FROM system.tokens WHERE name = 'ops'",
        ),
        sql(
            "a missing token",
            "_internal",
            "SELECT * FROM system.tokens WHERE name = 'nope'",
        ),
        sql(
            "a system table on another database",
            "sensors",
            "SELECT * FROM system.tokens",
        ),
        sql(
            "an unknown system table",
            "_internal",
            "SELECT * FROM system.nope",
        ),
        step(
            "resource tokens are Enterprise only",
            "POST",
            "/api/v3/enterprise/configure/token",
            Some(
                json!({"token_name": "r", "permissions": [{"resource_type": "db", "resource_names": ["sensors"], "actions": ["read"]}]}),
            ),
        ),
        step(
            "delete a missing token",
            "DELETE",
            "/api/v3/configure/token?token_name=nope",
            None,
        ),
        step(
            "the operator token cannot be deleted",
            "DELETE",
            "/api/v3/configure/token?token_name=_admin",
            None,
        ),
        step(
            "delete a token",
            "DELETE",
            "/api/v3/configure/token?token_name=ops",
            None,
        ),
        sql(
            "tokens after a delete",
            "_internal",
            "SELECT * FROM system.tokens",
        ),
    ];
    // Caches and the processing engine, on `sensors`.
    s.extend(engine::steps());
    s.extend(vec![
        // Deleting databases.
        step(
            "delete a missing database",
            "DELETE",
            &format!("{db}?db=missing"),
            None,
        ),
        step(
            "_internal cannot be deleted",
            "DELETE",
            &format!("{db}?db=_internal"),
            None,
        ),
        step(
            "soft-delete a database",
            "DELETE",
            &format!("{db}?db=plain"),
            None,
        ),
        step(
            "hard-delete a database",
            "DELETE",
            &format!("{db}?db=implicit&hard_delete_at=now"),
            None,
        ),
        step(
            "a bad hard_delete_at",
            "DELETE",
            &format!("{db}?db=sensors&hard_delete_at=someday"),
            None,
        ),
        sql(
            "databases after deletes",
            "_internal",
            "SELECT * FROM system.databases",
        ),
        step(
            "the name of a deleted database is free",
            "POST",
            db,
            Some(json!({"db": "plain"})),
        ),
    ]);
    // Core's limit: 5 live databases besides _internal (sensors and plain exist).
    for (i, name) in ["l1", "l2", "l3", "l4"].iter().enumerate() {
        s.push(step(
            if i < 3 {
                "a database within Core's limit"
            } else {
                "a database beyond Core's limit"
            },
            "POST",
            db,
            Some(json!({ "db": name })),
        ));
    }
    s.push(step(
        "a table beyond Core's limit",
        "POST",
        table,
        Some(json!({"db": "l5", "table": "t", "tags": ["a"], "fields": []})),
    ));
    s
}

/// The line protocol of the two write steps.
fn write_body(what: &str) -> Option<String> {
    match what {
        "write adds columns" => Some("cpu,host=a,zone=z usage=1.5,extra=2i 1".into()),
        "a write with a conflicting type" => {
            Some("cpu,host=a n=1.5 2\ncpu,host=b usage=2.5 3".into())
        }
        _ => None,
    }
}

#[test]
fn the_simulator_answers_as_the_real_core_server() {
    let real = CoreServer::start();
    let sim = SimProcess::core();
    let mut differences = Vec::new();
    let mut checked = 0;
    for st in script() {
        let body = write_body(st.what).or(st.body.clone());
        let send = |addr: &str, operator: &str| {
            let auth = match st.auth {
                None => Some(format!("Bearer {operator}")),
                Some("") => None,
                Some(t) => Some(format!("Bearer {t}")),
            };
            http_request(addr, st.method, &st.path, body.as_deref(), auth.as_deref())
                .unwrap_or_else(|e| panic!("{}: {e}", st.what))
        };
        let r = send(real.addr(), &real.token);
        let s = send(sim.addr(), CORE_TOKEN);
        if comparable(&r) != comparable(&s) {
            differences.push(format!(
                "{} ({} {}):\n  real: {} {}\n  sim:  {} {}",
                st.what, st.method, st.path, r.status, r.body, s.status, s.body
            ));
        }
        if let Some(expected) = engine::expected_status(st.what) {
            // What the provider relies on, seen on the real server itself.
            assert_eq!(
                r.status, expected,
                "{} on the real server: {}",
                st.what, r.body
            );
            checked += 1;
        }
        if st.what == "ping" {
            // The provider tells Core from Enterprise by this header.
            assert_eq!(r.header("x-influxdb-build"), Some("Core"));
            assert_eq!(s.header("x-influxdb-build"), r.header("x-influxdb-build"));
        }
        if st.what == "create a named admin token" {
            let (rt, stoken) = (r.json(), s.json());
            for t in [&rt, &stoken] {
                assert!(t["token"].as_str().unwrap().starts_with("apiv3_"), "{t}");
            }
            assert_eq!(
                rt["token"].as_str().unwrap().len(),
                stoken["token"].as_str().unwrap().len(),
                "token strings of the same length"
            );
        }
    }
    assert_eq!(checked, engine::EXPECTED.len(), "every engine step ran");
    assert!(
        differences.is_empty(),
        "{} difference(s) between the real InfluxDB 3 Core server and the simulator:\n{}",
        differences.len(),
        differences.join("\n")
    );
}

#[test]
fn masking_keeps_what_matters() {
    assert_eq!(mask_deleted_name("db-20261205T090216"), "db-<deleted>");
    assert_eq!(mask_deleted_name("plain"), "plain");
    let a = normalize(&json!([{"name": "b", "created_at": "x"}, {"name": "a", "expiry": null}]));
    let b = normalize(&json!([{"name": "a", "expiry": null}, {"name": "b", "created_at": "y"}]));
    assert_eq!(a, b);
    assert_ne!(
        normalize(&json!({"deleted": true})),
        normalize(&json!({"deleted": false}))
    );
}
