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

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::cache::{
    create_failed, identity, seconds_text, split_import_id, validate_whole_seconds, whole_seconds,
};
use super::client::CoreClient;
use super::database::validate_name as validate_database_name;
use super::engine_api::{CreateDistinctCache, DistinctCacheRow};
use crate::engine::identity::IdentitySchema;
use crate::engine::schema::validators;
use crate::engine::schema::Attribute;
use crate::engine::{AttributePath, Diagnostics, Resource, Schema, Type, Value};
use crate::influxdb::duration::same_duration;
use crate::influxdb::http::gone_is_ok;

pub struct DistinctCacheResource;

const WHAT: &str = "distinct-value cache";

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct DistinctCacheState {
    pub database: Option<String>,
    pub table: Option<String>,
    pub name: Option<String>,
    pub columns: Option<Vec<String>>,
    pub max_cardinality: Option<i64>,
    pub max_age: Option<String>,
}

/// The state of the cache `row` shows, keeping the text `current` wrote for the same `max_age`.
fn state_from_row(
    database: &str,
    current: Option<&DistinctCacheState>,
    row: &DistinctCacheRow,
) -> DistinctCacheState {
    DistinctCacheState {
        database: Some(database.to_owned()),
        table: Some(row.table.clone()),
        name: Some(row.name.clone()),
        columns: Some(row.column_names.clone()),
        max_cardinality: Some(row.max_cardinality as i64),
        max_age: Some(seconds_text(
            current.and_then(|c| c.max_age.as_deref()),
            row.max_age_seconds,
        )),
    }
}

fn find<'a>(rows: &'a [DistinctCacheRow], table: &str, name: &str) -> Option<&'a DistinctCacheRow> {
    rows.iter().find(|r| r.table == table && r.name == name)
}

fn validate_columns(v: &Value, path: &AttributePath, diags: &mut Diagnostics) {
    let Some(elements) = v.elements() else { return };
    if elements.is_empty() {
        diags.attribute_error(
            path.clone(),
            "No columns",
            "A distinct-value cache needs at least one column.",
        );
    }
    let names: Vec<&str> = elements.iter().filter_map(Value::as_str).collect();
    for (i, n) in names.iter().enumerate() {
        if n.is_empty() {
            diags.attribute_error(
                path.clone(),
                "Invalid column name",
                "A column name is empty.",
            );
        } else if names[..i].contains(n) {
            diags.attribute_error(
                path.clone(),
                "Duplicate column",
                format!("The column {n:?} is listed twice."),
            );
        }
    }
}

#[async_trait]
impl Resource for DistinctCacheResource {
    type Client = CoreClient;
    type State = DistinctCacheState;

    fn type_name(&self) -> &'static str {
        "influxdb_distinct_cache"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "A distinct-value cache of a table of an InfluxDB 3 Core or Enterprise database: the distinct values of its columns, served fast by `distinct_cache()` in SQL. The API cannot change a cache, so any change replaces it (the cache refills from new writes).",
            vec![
                Attribute::required("database", Type::String)
                    .describe("The database's name; refer to `influxdb_database.<name>.name` so that Terraform creates the database first. A change replaces the cache.")
                    .validate_str("Invalid database name", validate_database_name)
                    .requires_replace(),
                Attribute::required("table", Type::String)
                    .describe("The table's name; refer to `influxdb_table.<name>.name` so that the table (and its columns) exists first. A change replaces the cache.")
                    .validate_str("Invalid table name", validators::not_empty)
                    .requires_replace(),
                Attribute::optional_computed("name", Type::String)
                    .describe("The cache's name, unique in its table. Unset: the server's default, `TABLE_COLUMNS_distinct_cache` (for example `cpu_host_region_distinct_cache`), read back after create. A change replaces the cache.")
                    .validate_str("Invalid name", validators::not_empty)
                    .requires_replace(),
                Attribute::required("columns", Type::list(Type::String))
                    .describe("The columns whose distinct values the cache keeps (tags or `string` fields), in hierarchy order (for example `[\"region\", \"host\"]`). A change replaces the cache.")
                    .validate(validate_columns)
                    .requires_replace(),
                Attribute::optional_computed("max_cardinality", Type::Number)
                    .describe("The most distinct value combinations the cache keeps (at least 1). Default 100000. A change replaces the cache.")
                    .validate(|v, path, diags| {
                        if v.as_number().is_some_and(|n| n.as_i64().is_none_or(|n| n < 1)) {
                            diags.attribute_error(path.clone(), "Invalid max_cardinality", "max_cardinality must be a whole number, at least 1.");
                        }
                    })
                    .default(100_000i64)
                    .requires_replace(),
                Attribute::optional_computed("max_age", Type::String)
                    .describe("How long a value stays in the cache after it was last written, a duration in whole seconds such as `\"1d\"` or `\"12h\"`. Default `\"1d\"`; compared by value (`\"1d\"` = `\"24h\"`). A change replaces the cache.")
                    .validate_str("Invalid max_age", validate_whole_seconds)
                    .semantic_equality(same_duration)
                    .default("1d")
                    .requires_replace(),
            ],
        )
    }

    fn identity(&self) -> Option<IdentitySchema> {
        Some(identity())
    }

    async fn create(
        &self,
        client: &CoreClient,
        planned: DistinctCacheState,
        diags: &mut Diagnostics,
    ) -> Option<DistinctCacheState> {
        let database = planned.database.clone().unwrap_or_default();
        let table = planned.table.clone().unwrap_or_default();
        let max_age = match planned.max_age.as_deref().map(whole_seconds).transpose() {
            Ok(t) => t,
            Err(e) => {
                diags.attribute_error(AttributePath::root("max_age"), "Invalid max_age", e);
                return None;
            }
        };
        let body = CreateDistinctCache {
            db: database.clone(),
            table: table.clone(),
            name: planned.name.clone(),
            columns: planned.columns.clone().unwrap_or_default(),
            max_cardinality: planned.max_cardinality.map(|c| c.max(1) as u64),
            max_age,
        };
        let named = match client.create_distinct_cache(&body).await {
            Ok(n) => n.or_else(|| planned.name.clone()),
            Err(e) => {
                create_failed(WHAT, &database, &table, planned.name.as_deref(), &e, diags);
                return None;
            }
        };
        let Some(name) = named else {
            diags.error(
                format!("Creating the {WHAT} failed"),
                format!("The server created a {WHAT} on {table:?} of {database:?} but its answer does not name it. Set `name`, delete that cache (or import it) and apply again."),
            );
            return None;
        };
        match client.distinct_caches(&database).await {
            Ok(rows) => match find(&rows, &table, &name) {
                Some(row) => Some(state_from_row(&database, Some(&planned), row)),
                None => {
                    diags.error(
                        format!("Creating the {WHAT} failed"),
                        format!("The server answered that it created the {WHAT} {name:?} on {table:?}, but {database:?}'s system.distinct_caches does not show it."),
                    );
                    None
                }
            },
            Err(e) => {
                diags.error(format!("Reading the new {WHAT} failed"), format!("{e}\n\nThe cache {name:?} was created; import it (terraform import ADDRESS {database}:{table}:{name}) once the server answers."));
                None
            }
        }
    }

    async fn read(
        &self,
        client: &CoreClient,
        current: DistinctCacheState,
        diags: &mut Diagnostics,
    ) -> Option<DistinctCacheState> {
        let database = current.database.clone().unwrap_or_default();
        let table = current.table.clone().unwrap_or_default();
        let name = current.name.clone().unwrap_or_default();
        let gone = |diags: &mut Diagnostics| {
            diags.warning(
                "Distinct-value cache deleted outside Terraform",
                format!("The {WHAT} {name:?} of the table {table:?} in {database:?} no longer exists. It is removed from the state and the next apply creates it again."),
            );
            None
        };
        match client.distinct_caches(&database).await {
            Ok(rows) => match find(&rows, &table, &name) {
                Some(row) => Some(state_from_row(&database, Some(&current), row)),
                None => gone(diags),
            },
            Err(e) if e.is_not_found() => gone(diags),
            Err(e) => {
                diags.error(format!("Reading the {WHAT} failed"), e.to_string());
                None
            }
        }
    }

    async fn update(
        &self,
        _client: &CoreClient,
        _prior: DistinctCacheState,
        planned: DistinctCacheState,
        _diags: &mut Diagnostics,
    ) -> Option<DistinctCacheState> {
        // Every attribute replaces the cache: nothing changes in place.
        Some(planned)
    }

    async fn delete(
        &self,
        client: &CoreClient,
        prior: DistinctCacheState,
        diags: &mut Diagnostics,
    ) {
        let database = prior.database.unwrap_or_default();
        let table = prior.table.unwrap_or_default();
        let name = prior.name.unwrap_or_default();
        if let Err(e) = gone_is_ok(client.delete_distinct_cache(&database, &table, &name).await) {
            diags.error(format!("Deleting the {WHAT} failed"), e.to_string());
        }
    }

    async fn import(
        &self,
        client: &CoreClient,
        id: &str,
        diags: &mut Diagnostics,
    ) -> Option<DistinctCacheState> {
        let (database, table, name) = split_import_id(id, WHAT, diags)?;
        let summary = format!("Importing the {WHAT} failed");
        match client.distinct_caches(database).await {
            Ok(rows) => match find(&rows, table, name) {
                Some(row) => Some(state_from_row(database, None, row)),
                None => {
                    diags.error(
                        summary,
                        format!(
                            "The table {table:?} of {database:?} has no {WHAT} named {name:?}."
                        ),
                    );
                    None
                }
            },
            Err(e) => {
                diags.error(summary, e.to_string());
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            state_from_row("db", Some(&planned), &row)
                .max_age
                .as_deref(),
            Some("24h")
        );
        assert_eq!(
            state_from_row("db", None, &row).max_age.as_deref(),
            Some("1d")
        );
    }

    #[test]
    fn schema_is_valid() {
        DistinctCacheResource.schema().check().unwrap();
    }
}
