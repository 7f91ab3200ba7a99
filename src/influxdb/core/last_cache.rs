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

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::cache::{
    create_failed, identity, seconds_text, split_import_id, validate_whole_seconds, whole_seconds,
};
use super::client::CoreClient;
use super::database::validate_name as validate_database_name;
use super::engine_api::{CreateLastCache, LastCacheRow};
use crate::engine::identity::IdentitySchema;
use crate::engine::schema::validators;
use crate::engine::schema::Attribute;
use crate::engine::{AttributePath, Diagnostics, Resource, Schema, Type, Value};
use crate::influxdb::duration::same_duration;
use crate::influxdb::http::gone_is_ok;

pub struct LastCacheResource;

const WHAT: &str = "last-value cache";

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct LastCacheState {
    pub database: Option<String>,
    pub table: Option<String>,
    pub name: Option<String>,
    pub key_columns: Option<Vec<String>>,
    pub value_columns: Option<Vec<String>>,
    pub value_count: Option<i64>,
    pub ttl: Option<String>,
}

/// The state of the cache `row` shows, keeping the text `current` wrote for the same `ttl`.
fn state_from_row(
    database: &str,
    current: Option<&LastCacheState>,
    row: &LastCacheRow,
) -> LastCacheState {
    LastCacheState {
        database: Some(database.to_owned()),
        table: Some(row.table.clone()),
        name: Some(row.name.clone()),
        key_columns: Some(row.key_column_names.clone()),
        value_columns: row.value_column_names.clone(),
        value_count: Some(row.count as i64),
        ttl: Some(seconds_text(
            current.and_then(|c| c.ttl.as_deref()),
            row.ttl,
        )),
    }
}

fn find<'a>(rows: &'a [LastCacheRow], table: &str, name: &str) -> Option<&'a LastCacheRow> {
    rows.iter().find(|r| r.table == table && r.name == name)
}

fn validate_columns(v: &Value, path: &AttributePath, diags: &mut Diagnostics) {
    let names: Vec<&str> = v
        .elements()
        .unwrap_or_default()
        .iter()
        .filter_map(Value::as_str)
        .collect();
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
impl Resource for LastCacheResource {
    type Client = CoreClient;
    type State = LastCacheState;

    fn type_name(&self) -> &'static str {
        "influxdb_last_cache"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "A last-value cache of a table of an InfluxDB 3 Core or Enterprise database: the latest values of its value columns for each combination of its key columns, served fast by `last_cache()` in SQL. The API cannot change a cache, so any change replaces it (the cache refills from new writes).",
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
                    .describe("The cache's name, unique in its table. Unset: the server's default, `TABLE_KEYCOLUMNS_last_cache` (for example `cpu_host_region_last_cache`), read back after create. A change replaces the cache.")
                    .validate_str("Invalid name", validators::not_empty)
                    .requires_replace(),
                Attribute::optional_computed("key_columns", Type::list(Type::String))
                    .describe("The columns the cache is keyed by, in order (tags, or `string`, `int64`, `uint64`, `bool` fields). Unset: the table's tags, in series-key order. A change replaces the cache.")
                    .validate(validate_columns)
                    .requires_replace(),
                Attribute::optional("value_columns", Type::list(Type::String))
                    .describe("The columns whose values the cache keeps. Unset: every column that is not a key column (including columns that writes add later). A change replaces the cache.")
                    .validate(validate_columns)
                    .requires_replace(),
                Attribute::optional_computed("value_count", Type::Number)
                    .describe("How many values the cache keeps per key (at least 1), the API's `count` (named so because `count` is a Terraform meta-argument). Default 1. A change replaces the cache.")
                    .validate(|v, path, diags| {
                        if v.as_number().is_some_and(|n| n.as_i64().is_none_or(|n| n < 1)) {
                            diags.attribute_error(path.clone(), "Invalid value_count", "value_count must be a whole number, at least 1.");
                        }
                    })
                    .default(1i64)
                    .requires_replace(),
                Attribute::optional_computed("ttl", Type::String)
                    .describe("How long a value stays in the cache, a duration in whole seconds such as `\"4h\"` or `\"90m\"`. Default `\"4h\"`; compared by value (`\"4h\"` = `\"240m\"`). A change replaces the cache.")
                    .validate_str("Invalid ttl", validate_whole_seconds)
                    .semantic_equality(same_duration)
                    .default("4h")
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
        planned: LastCacheState,
        diags: &mut Diagnostics,
    ) -> Option<LastCacheState> {
        let database = planned.database.clone().unwrap_or_default();
        let table = planned.table.clone().unwrap_or_default();
        let ttl = match planned.ttl.as_deref().map(whole_seconds).transpose() {
            Ok(t) => t,
            Err(e) => {
                diags.attribute_error(AttributePath::root("ttl"), "Invalid ttl", e);
                return None;
            }
        };
        let body = CreateLastCache {
            db: database.clone(),
            table: table.clone(),
            name: planned.name.clone(),
            key_columns: planned.key_columns.clone(),
            value_columns: planned.value_columns.clone(),
            count: planned.value_count.map(|c| c.max(1) as u64),
            ttl,
        };
        let named = match client.create_last_cache(&body).await {
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
        match client.last_caches(&database).await {
            Ok(rows) => match find(&rows, &table, &name) {
                Some(row) => Some(state_from_row(&database, Some(&planned), row)),
                None => {
                    diags.error(
                        format!("Creating the {WHAT} failed"),
                        format!("The server answered that it created the {WHAT} {name:?} on {table:?}, but {database:?}'s system.last_caches does not show it."),
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
        current: LastCacheState,
        diags: &mut Diagnostics,
    ) -> Option<LastCacheState> {
        let database = current.database.clone().unwrap_or_default();
        let table = current.table.clone().unwrap_or_default();
        let name = current.name.clone().unwrap_or_default();
        let gone = |diags: &mut Diagnostics| {
            diags.warning(
                "Last-value cache deleted outside Terraform",
                format!("The {WHAT} {name:?} of the table {table:?} in {database:?} no longer exists. It is removed from the state and the next apply creates it again."),
            );
            None
        };
        match client.last_caches(&database).await {
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
        _prior: LastCacheState,
        planned: LastCacheState,
        _diags: &mut Diagnostics,
    ) -> Option<LastCacheState> {
        // Every attribute replaces the cache: nothing changes in place.
        Some(planned)
    }

    async fn delete(&self, client: &CoreClient, prior: LastCacheState, diags: &mut Diagnostics) {
        let database = prior.database.unwrap_or_default();
        let table = prior.table.unwrap_or_default();
        let name = prior.name.unwrap_or_default();
        if let Err(e) = gone_is_ok(client.delete_last_cache(&database, &table, &name).await) {
            diags.error(format!("Deleting the {WHAT} failed"), e.to_string());
        }
    }

    async fn import(
        &self,
        client: &CoreClient,
        id: &str,
        diags: &mut Diagnostics,
    ) -> Option<LastCacheState> {
        let (database, table, name) = split_import_id(id, WHAT, diags)?;
        let summary = format!("Importing the {WHAT} failed");
        match client.last_caches(database).await {
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
        let row = LastCacheRow {
            table: "cpu".into(),
            name: "cpu_host_last_cache".into(),
            key_column_names: vec!["host".into()],
            value_column_names: None,
            count: 1,
            ttl: 14400,
        };
        let planned = LastCacheState {
            database: Some("db".into()),
            table: Some("cpu".into()),
            name: None,
            key_columns: Some(vec!["host".into()]),
            value_columns: None,
            value_count: Some(1),
            ttl: Some("240m".into()),
        };
        let s = state_from_row("db", Some(&planned), &row);
        assert_eq!(s.ttl.as_deref(), Some("240m"));
        assert_eq!(s.name.as_deref(), Some("cpu_host_last_cache"));
        assert_eq!(state_from_row("db", None, &row).ttl.as_deref(), Some("4h"));
    }

    #[test]
    fn schema_is_valid() {
        LastCacheResource.schema().check().unwrap();
    }
}
