//! `influxdb_distinct_cache` on InfluxDB 3 Core and Enterprise
//! (`/api/v3/configure/distinct_cache`): a distinct-value cache of a table, which keeps the
//! distinct values of its columns (in hierarchy order), at most `max_cardinality` of them,
//! each for `max_age`.
//!
//! - The API cannot change a cache: any change replaces it.
//! - Unset, `name` is the server's default (`TABLE_COLUMNS_distinct_cache`, read back from the
//!   create answer), `max_cardinality` 100000 and `max_age` 1 day.
//! - A taken name is refused (409), even with the same settings: import the cache instead.
//! - Refresh reads the database's `system.distinct_caches`; a cache (or database) gone outside
//!   Terraform is removed from the state and created again by the next apply.
//! - Import by `DATABASE:TABLE:NAME`, or by identity (`database`, `table`, `name`).

use serde::{Deserialize, Serialize};

use super::cache::{seconds_text, validate_whole_seconds};
use super::cache_resource::{self as cache, CacheAt, CacheKind, CacheResource};
use super::engine_api::{CreateDistinctCache, DistinctCacheRow};
use crate::engine::schema::Attribute;
use crate::engine::{AttributePath, Diagnostics, Type, Value};
use crate::influxdb::duration::same_duration;

/// The distinct-value kind of cache.
pub struct DistinctCache;

/// `influxdb_distinct_cache`.
pub type DistinctCacheResource = CacheResource<DistinctCache>;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct DistinctCacheState {
    #[serde(flatten)]
    pub at: CacheAt,
    pub columns: Option<Vec<String>>,
    pub max_cardinality: Option<i64>,
    pub max_age: Option<String>,
}

impl CacheKind for DistinctCache {
    const TYPE: &'static str = "influxdb_distinct_cache";
    const API: &'static str = "distinct_cache";
    const WHAT: &'static str = "distinct-value cache";
    const DESCRIPTION: &'static str = "A distinct-value cache of a table of an InfluxDB 3 Core or Enterprise database: the distinct values of its columns, served fast by `distinct_cache()` in SQL. The API cannot change a cache, so any change replaces it (the cache refills from new writes).";
    const DEFAULT_NAME: &'static str =
        "`TABLE_COLUMNS_distinct_cache` (for example `cpu_host_region_distinct_cache`)";
    type Row = DistinctCacheRow;
    type State = DistinctCacheState;
    type Body = CreateDistinctCache;

    fn attributes() -> Vec<Attribute> {
        vec![
            Attribute::required("columns", Type::list(Type::String))
                .describe("The columns whose distinct values the cache keeps (tags or `string` fields), in hierarchy order (for example `[\"region\", \"host\"]`). A change replaces the cache.")
                .validate(validate_columns)
                .requires_replace(),
            Attribute::optional_computed("max_cardinality", Type::Number)
                .describe("The most distinct value combinations the cache keeps (at least 1). Default 100000. A change replaces the cache.")
                .validate(cache::at_least_one)
                .default(100_000i64)
                .requires_replace(),
            Attribute::optional_computed("max_age", Type::String)
                .describe("How long a value stays in the cache after it was last written, a duration in whole seconds such as `\"1d\"` or `\"12h\"`. Default `\"1d\"`; compared by value (`\"1d\"` = `\"24h\"`). A change replaces the cache.")
                .validate_str("Invalid max_age", validate_whole_seconds)
                .semantic_equality(same_duration)
                .default("1d")
                .requires_replace(),
        ]
    }

    fn at(state: &DistinctCacheState) -> &CacheAt {
        &state.at
    }

    fn body(planned: &DistinctCacheState, diags: &mut Diagnostics) -> Option<CreateDistinctCache> {
        let (database, table, _) = planned.at.key();
        Some(CreateDistinctCache {
            db: database.to_owned(),
            table: table.to_owned(),
            name: planned.at.name.clone(),
            columns: planned.columns.clone().unwrap_or_default(),
            max_cardinality: planned.max_cardinality.map(|c| c.max(1) as u64),
            max_age: cache::seconds_of("max_age", planned.max_age.as_deref(), diags)?,
        })
    }

    fn key(row: &DistinctCacheRow) -> (&str, &str) {
        (&row.table, &row.name)
    }

    /// Keeps the text `current` wrote for the same `max_age`.
    fn state_from_row(
        database: &str,
        current: Option<&DistinctCacheState>,
        row: &DistinctCacheRow,
    ) -> DistinctCacheState {
        DistinctCacheState {
            at: CacheAt::new(database, Self::key(row)),
            columns: Some(row.column_names.clone()),
            max_cardinality: Some(row.max_cardinality as i64),
            max_age: Some(seconds_text(
                current.and_then(|c| c.max_age.as_deref()),
                row.max_age_seconds,
            )),
        }
    }
}

fn validate_columns(v: &Value, path: &AttributePath, diags: &mut Diagnostics) {
    if v.elements().is_some_and(|e| e.is_empty()) {
        diags.attribute_error(
            path.clone(),
            "No columns",
            "A distinct-value cache needs at least one column.",
        );
    }
    cache::validate_column_names(v, path, diags);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Resource;

    #[test]
    fn the_server_row_reads_back_without_a_diff() {
        let row = DistinctCacheRow {
            table: "cpu".into(),
            name: "dc".into(),
            column_names: vec!["region".into(), "host".into()],
            max_cardinality: 100_000,
            max_age_seconds: 86_400,
        };
        let planned = DistinctCacheState {
            max_age: Some("24h".into()),
            ..Default::default()
        };
        assert_eq!(
            DistinctCache::state_from_row("db", Some(&planned), &row)
                .max_age
                .as_deref(),
            Some("24h")
        );
        assert_eq!(
            DistinctCache::state_from_row("db", None, &row)
                .max_age
                .as_deref(),
            Some("1d")
        );
    }

    #[test]
    fn schema_is_valid() {
        DistinctCacheResource::new().schema().check().unwrap();
    }
}
