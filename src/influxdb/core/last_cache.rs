//! `influxdb_last_cache` on InfluxDB 3 Core and Enterprise (`/api/v3/configure/last_cache`): a
//! last-value cache of a table, which keeps the latest values of its value columns for each
//! combination of its key columns: `value_count` of them (the API's `count`, a name Terraform
//! reserves for its meta-argument), each for `ttl`.
//!
//! - The API cannot change a cache: any change replaces it.
//! - Unset, `name` is the server's default (`TABLE_KEYS_last_cache`, read back from the create
//!   answer), `key_columns` the table's tags (its series key), `value_columns` every non-key
//!   column (shown as unset), `value_count` 1 and `ttl` 4 hours.
//! - A taken name is refused (409), even with the same settings: import the cache instead.
//! - Refresh reads the database's `system.last_caches`; a cache (or database) gone outside
//!   Terraform is removed from the state and created again by the next apply.
//! - Import by `DATABASE:TABLE:NAME`, or by identity (`database`, `table`, `name`).

use serde::{Deserialize, Serialize};

use super::cache::{seconds_text, validate_whole_seconds};
use super::cache_resource::{self as cache, CacheAt, CacheKind, CacheResource};
use super::engine_api::{CreateLastCache, LastCacheRow};
use crate::engine::schema::Attribute;
use crate::engine::{Diagnostics, Type};
use crate::influxdb::duration::same_duration;

/// The last-value kind of cache.
pub struct LastCache;

/// `influxdb_last_cache`.
pub type LastCacheResource = CacheResource<LastCache>;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct LastCacheState {
    #[serde(flatten)]
    pub at: CacheAt,
    pub key_columns: Option<Vec<String>>,
    pub value_columns: Option<Vec<String>>,
    pub value_count: Option<i64>,
    pub ttl: Option<String>,
}

impl CacheKind for LastCache {
    const TYPE: &'static str = "influxdb_last_cache";
    const API: &'static str = "last_cache";
    const WHAT: &'static str = "last-value cache";
    const DESCRIPTION: &'static str = "A last-value cache of a table of an InfluxDB 3 Core or Enterprise database: the latest values of its value columns for each combination of its key columns, served fast by `last_cache()` in SQL. The API cannot change a cache, so any change replaces it (the cache refills from new writes).";
    const DEFAULT_NAME: &'static str =
        "`TABLE_KEYCOLUMNS_last_cache` (for example `cpu_host_region_last_cache`)";
    type Row = LastCacheRow;
    type State = LastCacheState;
    type Body = CreateLastCache;

    fn attributes() -> Vec<Attribute> {
        vec![
            Attribute::optional_computed("key_columns", Type::list(Type::String))
                .describe("The columns the cache is keyed by, in order (tags, or `string`, `int64`, `uint64`, `bool` fields). Unset: the table's tags, in series-key order. A change replaces the cache.")
                .validate(cache::validate_column_names)
                .requires_replace(),
            Attribute::optional("value_columns", Type::list(Type::String))
                .describe("The columns whose values the cache keeps. Unset: every column that is not a key column (including columns that writes add later). A change replaces the cache.")
                .validate(cache::validate_column_names)
                .requires_replace(),
            Attribute::optional_computed("value_count", Type::Number)
                .describe("How many values the cache keeps per key (at least 1), the API's `count` (named so because `count` is a Terraform meta-argument). Default 1. A change replaces the cache.")
                .validate(cache::at_least_one)
                .default(1i64)
                .requires_replace(),
            Attribute::optional_computed("ttl", Type::String)
                .describe("How long a value stays in the cache, a duration in whole seconds such as `\"4h\"` or `\"90m\"`. Default `\"4h\"`; compared by value (`\"4h\"` = `\"240m\"`). A change replaces the cache.")
                .validate_str("Invalid ttl", validate_whole_seconds)
                .semantic_equality(same_duration)
                .default("4h")
                .requires_replace(),
        ]
    }

    fn at(state: &LastCacheState) -> &CacheAt {
        &state.at
    }

    fn body(planned: &LastCacheState, diags: &mut Diagnostics) -> Option<CreateLastCache> {
        let (database, table, _) = planned.at.key();
        Some(CreateLastCache {
            db: database.to_owned(),
            table: table.to_owned(),
            name: planned.at.name.clone(),
            key_columns: planned.key_columns.clone(),
            value_columns: planned.value_columns.clone(),
            count: planned.value_count.map(|c| c.max(1) as u64),
            ttl: cache::seconds_of("ttl", planned.ttl.as_deref(), diags)?,
        })
    }

    fn key(row: &LastCacheRow) -> (&str, &str) {
        (&row.table, &row.name)
    }

    /// Keeps the text `current` wrote for the same `ttl`.
    fn state_from_row(
        database: &str,
        current: Option<&LastCacheState>,
        row: &LastCacheRow,
    ) -> LastCacheState {
        LastCacheState {
            at: CacheAt::new(database, Self::key(row)),
            key_columns: Some(row.key_column_names.clone()),
            value_columns: row.value_column_names.clone(),
            value_count: Some(row.count as i64),
            ttl: Some(seconds_text(
                current.and_then(|c| c.ttl.as_deref()),
                row.ttl,
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Resource;

    #[test]
    fn the_server_row_reads_back_without_a_diff() {
        let row = LastCacheRow {
            table: "cpu".into(),
            name: "cpu_host_last_cache".into(),
            key_column_names: vec!["host".into()],
            value_column_names: None,
            count: 1,
            ttl: 14400,
        };
        let planned = LastCacheState {
            at: CacheAt {
                database: Some("db".into()),
                table: Some("cpu".into()),
                name: None,
            },
            key_columns: Some(vec!["host".into()]),
            value_columns: None,
            value_count: Some(1),
            ttl: Some("240m".into()),
        };
        let s = LastCache::state_from_row("db", Some(&planned), &row);
        assert_eq!(s.ttl.as_deref(), Some("240m"));
        assert_eq!(s.at.name.as_deref(), Some("cpu_host_last_cache"));
        assert_eq!(
            LastCache::state_from_row("db", None, &row).ttl.as_deref(),
            Some("4h")
        );
    }

    #[test]
    fn schema_is_valid() {
        LastCacheResource::new().schema().check().unwrap();
    }
}
