//! The conformance script's steps for the last-value and distinct-value caches: every call the
//! provider's `influxdb_last_cache` and `influxdb_distinct_cache` make, the system tables they
//! read (`system.last_caches`, `system.distinct_caches`, the counts of `system.tables`), and
//! the error cases (taken name 409, missing table or database 404, unknown or unfit columns
//! 400, zero sizes refused while reading the body), on the database `sensors`.

use serde_json::json;

use super::super::{sql, step, Step};

const LAST: &str = "/api/v3/configure/last_cache";
const DISTINCT: &str = "/api/v3/configure/distinct_cache";

pub fn steps() -> Vec<Step> {
    vec![
        step(
            "a table for caches",
            "POST",
            "/api/v3/configure/table",
            Some(
                json!({"db": "sensors", "table": "metrics", "tags": ["host", "region"], "fields": [{"name": "usage", "type": "float64"}, {"name": "state", "type": "utf8"}, {"name": "n", "type": "int64"}]}),
            ),
        ),
        step(
            "a last-value cache with the defaults",
            "POST",
            LAST,
            Some(json!({"db": "sensors", "table": "metrics"})),
        ),
        step(
            "a taken last-value cache name",
            "POST",
            LAST,
            Some(json!({"db": "sensors", "table": "metrics"})),
        ),
        step(
            "a last-value cache with every setting",
            "POST",
            LAST,
            Some(
                json!({"db": "sensors", "table": "metrics", "name": "usage_by_host", "key_columns": ["host"], "value_columns": ["usage", "time", "state"], "count": 3, "ttl": 600}),
            ),
        ),
        step(
            "a last-value cache keyed on a string field",
            "POST",
            LAST,
            Some(
                json!({"db": "sensors", "table": "metrics", "key_columns": ["state", "n"], "ttl": 0}),
            ),
        ),
        step(
            "a last-value cache on a missing table",
            "POST",
            LAST,
            Some(json!({"db": "sensors", "table": "nope"})),
        ),
        step(
            "a last-value cache in a missing database",
            "POST",
            LAST,
            Some(json!({"db": "missing", "table": "metrics"})),
        ),
        step(
            "an unknown key column",
            "POST",
            LAST,
            Some(json!({"db": "sensors", "table": "metrics", "name": "x", "key_columns": ["nope"]})),
        ),
        step(
            "an unknown value column",
            "POST",
            LAST,
            Some(
                json!({"db": "sensors", "table": "metrics", "name": "x", "value_columns": ["nope"]}),
            ),
        ),
        step(
            "a float key column",
            "POST",
            LAST,
            Some(json!({"db": "sensors", "table": "metrics", "name": "x", "key_columns": ["usage"]})),
        ),
        step(
            "a zero count",
            "POST",
            LAST,
            Some(json!({"db": "sensors", "table": "metrics", "name": "x", "count": 0})),
        ),
        step(
            "a ttl that is not seconds",
            "POST",
            LAST,
            Some(json!({"db": "sensors", "table": "metrics", "name": "x", "ttl": "1h"})),
        ),
        sql(
            "last-value caches",
            "sensors",
            "SELECT * FROM system.last_caches",
        ),
        sql(
            "_internal's last-value caches",
            "_internal",
            "SELECT * FROM system.last_caches",
        ),
        sql(
            "last-value caches of a missing database",
            "missing",
            "SELECT * FROM system.last_caches",
        ),
        step(
            "a distinct cache with the defaults",
            "POST",
            DISTINCT,
            Some(json!({"db": "sensors", "table": "metrics", "columns": ["host", "region"]})),
        ),
        step(
            "a taken distinct cache name",
            "POST",
            DISTINCT,
            Some(json!({"db": "sensors", "table": "metrics", "columns": ["host", "region"]})),
        ),
        step(
            "a distinct cache with every setting",
            "POST",
            DISTINCT,
            Some(
                json!({"db": "sensors", "table": "metrics", "name": "dc2", "columns": ["region", "state"], "max_cardinality": 50, "max_age": 3600}),
            ),
        ),
        step(
            "a distinct cache on a float field",
            "POST",
            DISTINCT,
            Some(json!({"db": "sensors", "table": "metrics", "name": "x", "columns": ["usage"]})),
        ),
        step(
            "a distinct cache on an unknown column",
            "POST",
            DISTINCT,
            Some(json!({"db": "sensors", "table": "metrics", "name": "x", "columns": ["nope"]})),
        ),
        step(
            "a distinct cache without columns",
            "POST",
            DISTINCT,
            Some(json!({"db": "sensors", "table": "metrics", "name": "x", "columns": []})),
        ),
        step(
            "a zero max_cardinality",
            "POST",
            DISTINCT,
            Some(
                json!({"db": "sensors", "table": "metrics", "name": "x", "columns": ["host"], "max_cardinality": 0}),
            ),
        ),
        step(
            "a distinct cache on a missing table",
            "POST",
            DISTINCT,
            Some(json!({"db": "sensors", "table": "nope", "columns": ["host"]})),
        ),
        step(
            "a distinct cache in a missing database",
            "POST",
            DISTINCT,
            Some(json!({"db": "missing", "table": "metrics", "columns": ["host"]})),
        ),
        sql(
            "distinct caches",
            "sensors",
            "SELECT * FROM system.distinct_caches",
        ),
        sql(
            "cache counts",
            "_internal",
            "SELECT database_name, table_name, last_cache_count, distinct_cache_count, deleted FROM system.tables",
        ),
        step(
            "delete a last-value cache",
            "DELETE",
            &format!("{LAST}?db=sensors&table=metrics&name=usage_by_host"),
            None,
        ),
        step(
            "delete a missing last-value cache",
            "DELETE",
            &format!("{LAST}?db=sensors&table=metrics&name=usage_by_host"),
            None,
        ),
        step(
            "delete a cache of a missing table",
            "DELETE",
            &format!("{LAST}?db=sensors&table=nope&name=x"),
            None,
        ),
        step(
            "delete a cache of a missing database",
            "DELETE",
            &format!("{LAST}?db=missing&table=metrics&name=x"),
            None,
        ),
        step(
            "delete a cache without a name",
            "DELETE",
            &format!("{LAST}?db=sensors&table=metrics"),
            None,
        ),
        step(
            "delete a distinct cache",
            "DELETE",
            &format!("{DISTINCT}?db=sensors&table=metrics&name=dc2"),
            None,
        ),
        step(
            "delete a missing distinct cache",
            "DELETE",
            &format!("{DISTINCT}?db=sensors&table=metrics&name=dc2"),
            None,
        ),
        sql(
            "caches after deletes",
            "sensors",
            "SELECT * FROM system.last_caches",
        ),
        sql(
            "distinct caches after deletes",
            "sensors",
            "SELECT * FROM system.distinct_caches",
        ),
        // A table a write made numbers its columns: the line's tags, fields, `time`, then
        // what later writes add (the ids a cache's row shows).
        Step {
            body: Some("wr,b=1,a=2 y=1,x=2i 1".into()),
            ..step("a table made by a write", "POST", "/api/v3/write_lp?db=sensors", None)
        },
        Step {
            body: Some("wr,c=3 z=1 2".into()),
            ..step("a write adding columns", "POST", "/api/v3/write_lp?db=sensors", None)
        },
        step(
            "a cache on every column of the written table",
            "POST",
            LAST,
            Some(
                json!({"db": "sensors", "table": "wr", "name": "w", "key_columns": ["b"], "value_columns": ["a", "y", "x", "time", "c", "z"]}),
            ),
        ),
        sql(
            "the written table's cache",
            "sensors",
            "SELECT * FROM system.last_caches WHERE name = 'w'",
        ),
        // The caches of a soft-deleted table are not listed.
        step(
            "a table that goes",
            "POST",
            "/api/v3/configure/table",
            Some(json!({"db": "sensors", "table": "gone", "tags": ["host"], "fields": []})),
        ),
        step(
            "a cache of the table that goes",
            "POST",
            LAST,
            Some(json!({"db": "sensors", "table": "gone", "name": "gone_cache"})),
        ),
        step(
            "soft-delete the table with a cache",
            "DELETE",
            "/api/v3/configure/table?db=sensors&table=gone",
            None,
        ),
        sql(
            "caches after the table went",
            "sensors",
            "SELECT * FROM system.last_caches",
        ),
    ]
}
