//! `influxdb_table` on InfluxDB 3 Core and Enterprise (`/api/v3/configure/table`): a table made
//! before the first write, with its tag columns (the series key, in order) and typed field
//! columns, and on Enterprise its own `retention_period`.
//!
//! - The API has no call that changes a table's columns or name: a change of `database`,
//!   `name`, `tags` or `fields` replaces the table (shown as such). On Enterprise a change of
//!   `retention_period` is one `PUT` in place.
//! - Refresh reads the table's columns (`system.influxdb_schema` of its database). Columns that
//!   writes add later are not drift; a declared tag or field missing on the server (or of
//!   another type) is, and the plan replaces the table. A table (or database) deleted outside
//!   Terraform is removed from the state and created again by the next apply. The server does
//!   not show a table's retention, so the state keeps the applied value.
//! - The server creates a missing database along with a table; the create checks that the
//!   database exists first and fails naming `database` when it does not.
//! - Destroy soft-deletes, as the server does by default.
//! - Import by `DATABASE:TABLE` (a database name has no `:`).
//!
//! The type is shared with the Management API, whose tables have no columns: its
//! `partition_template` fails at plan here (through the dispatch), and `tags`, `fields` and
//! `retention_period` fail there.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::client::CoreClient;
use super::database::validate_name as validate_database_name;
use super::edition::{not_on_core, require_enterprise};
use super::models::{CreateTable, FieldColumn, SchemaRow, TableRetention};
use crate::engine::schema::Attribute;
use crate::engine::{
    AttributePath, Diagnostics, OrError, PlanChange, Resource, Schema, Type, Value,
};
use crate::influxdb::database as database_rules;
use crate::influxdb::duration::{format_duration, parse_duration, same_duration};
use crate::influxdb::http::gone_is_ok;

pub struct TableResource;

const TYPE: &str = "influxdb_table";
/// The field types of the create call, and how `system.influxdb_schema` names them.
const FIELD_TYPES: [(&str, &str); 5] = [
    ("utf8", "string"),
    ("int64", "integer"),
    ("uint64", "uinteger"),
    ("float64", "float"),
    ("bool", "boolean"),
];

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct TableState {
    pub database: Option<String>,
    pub name: Option<String>,
    pub tags: Option<Vec<String>>,
    pub fields: Option<Vec<FieldColumn>>,
    pub retention_period: Option<String>,
}

fn field_type() -> Type {
    Type::object(vec![("name", Type::String), ("type", Type::String)])
}

fn validate_table_name(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err("The table name is empty.".into());
    }
    if matches!(s, "time" | "__chunk_order") {
        return Err(format!("{s:?} is a reserved column name."));
    }
    Ok(())
}

fn validate_fields(v: &Value, path: &AttributePath, diags: &mut Diagnostics) {
    for f in v.elements().unwrap_or_default() {
        if let Some(t) = f.attr("type").as_str() {
            if !FIELD_TYPES.iter().any(|(k, _)| *k == t) {
                diags.attribute_error(
                    path.clone(),
                    "Invalid field type",
                    format!("The field {:?} has type {t:?}; use one of utf8, int64, uint64, float64, bool.", f.attr("name").as_str().unwrap_or("?")),
                );
            }
        }
        if let Some(n) = f.attr("name").as_str() {
            if let Err(e) = validate_table_name(n) {
                diags.attribute_error(
                    path.clone(),
                    "Invalid field name",
                    e.replace("table name", "field name"),
                );
            }
        }
    }
}

/// Two columns of one table may not share a name.
fn check_duplicates(config: &Value, diags: &mut Diagnostics) {
    let mut seen: Vec<&str> = Vec::new();
    let tags = config.attr("tags").elements().unwrap_or_default();
    let fields = config.attr("fields").elements().unwrap_or_default();
    let names = tags
        .iter()
        .map(|t| (t, "tags"))
        .chain(fields.iter().map(|f| (f.attr("name"), "fields")));
    for (n, at) in names {
        if let Some(n) = n.as_str() {
            if seen.contains(&n) {
                diags.attribute_error(
                    AttributePath::root(at),
                    "Duplicate column",
                    format!("The column {n:?} is declared twice; a table's tags and fields have distinct names."),
                );
            }
            seen.push(n);
        }
    }
}

/// The state as the server shows `current`'s columns: the declared tags and fields that exist
/// (with the server's type), in the declared order; columns added by writes left out.
fn state_from_columns(current: &TableState, columns: &[SchemaRow]) -> TableState {
    let tag = |n: &str| columns.iter().any(|c| c.key == n && c.data_type == "tag");
    let field = |f: &FieldColumn| {
        let c = columns
            .iter()
            .find(|c| c.key == f.name && c.data_type != "tag")?;
        let kind = FIELD_TYPES.iter().find(|(_, s)| *s == c.data_type)?.0;
        Some(FieldColumn {
            name: f.name.clone(),
            kind: kind.to_owned(),
        })
    };
    TableState {
        tags: current
            .tags
            .as_ref()
            .map(|t| t.iter().filter(|n| tag(n)).cloned().collect()),
        fields: current
            .fields
            .as_ref()
            .map(|f| f.iter().filter_map(field).collect()),
        ..current.clone()
    }
}

/// Every column of a table (for import): tags in the server's order, and fields.
fn state_from_all_columns(database: &str, name: &str, columns: &[SchemaRow]) -> TableState {
    let tags: Vec<String> = columns
        .iter()
        .filter(|c| c.data_type == "tag")
        .map(|c| c.key.clone())
        .collect();
    let fields: Vec<FieldColumn> = columns
        .iter()
        .filter_map(|c| {
            let kind = FIELD_TYPES.iter().find(|(_, s)| *s == c.data_type)?.0;
            Some(FieldColumn {
                name: c.key.clone(),
                kind: kind.to_owned(),
            })
        })
        .collect();
    TableState {
        database: Some(database.to_owned()),
        name: Some(name.to_owned()),
        tags: (!tags.is_empty()).then_some(tags),
        fields: (!fields.is_empty()).then_some(fields),
        retention_period: None,
    }
}

fn retention_text(s: Option<&str>) -> Result<Option<String>, String> {
    match s.map(parse_duration) {
        None => Ok(None),
        Some(Err(e)) => Err(e),
        Some(Ok(ns)) => Ok(Some(format_duration(ns))),
    }
}

#[async_trait]
impl Resource for TableResource {
    type Client = CoreClient;
    type State = TableState;

    fn type_name(&self) -> &'static str {
        TYPE
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "A table of an InfluxDB 3 Core or Enterprise database, created before the first write with its tag and field columns. Writes may add columns later (not a change); a declared column missing on the server is drift. The API cannot change a table's name or columns, so such a change replaces the table. Destroying the resource soft-deletes the table.",
            vec![
                Attribute::required("database", Type::String)
                    .describe("The database's name; refer to `influxdb_database.<name>.name` so that Terraform creates the database first. A change replaces the table.")
                    .validate_str("Invalid database name", validate_database_name),
                Attribute::required("name", Type::String)
                    .describe("The table name (the measurement in line protocol). A change replaces the table (the API has no rename).")
                    .validate_str("Invalid table name", validate_table_name),
                Attribute::optional("tags", Type::list(Type::String))
                    .describe("The tag columns, in series-key order. A change replaces the table. Tags that writes add later are not a change; a declared tag missing on the server is drift."),
                Attribute::optional("fields", Type::set(field_type()))
                    .describe("The field columns, each `{ name, type }` with `type` one of `utf8`, `int64`, `uint64`, `float64`, `bool`. A change replaces the table. Fields that writes add later are not a change; a declared field missing on the server (or of another type) is drift.")
                    .validate(validate_fields),
                Attribute::optional("retention_period", Type::String)
                    .describe("InfluxDB 3 Enterprise only (fails at plan on Core): how long this table's data is kept, a duration such as `\"7d\"`; unset means the database's retention. Changed in place. The server does not show it back, so the state keeps the applied value.")
                    .validate_str("Invalid retention_period", |s| parse_duration(s).map(|_| ()))
                    .semantic_equality(same_duration),
            ],
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        check_duplicates(config, diags);
    }

    fn modify_plan_with(
        &self,
        client: Option<&CoreClient>,
        change: &mut PlanChange<'_>,
        diags: &mut Diagnostics,
    ) {
        if !change.config.attr("retention_period").is_null() {
            require_enterprise(
                client,
                "retention_period of influxdb_table",
                Some("retention_period"),
                diags,
            );
        }
        if change.is_create() {
            return;
        }
        for a in ["database", "name", "tags", "fields"] {
            let (old, new) = (change.prior.attr(a), change.planned.attr(a));
            // An empty list or set is no columns, as null is.
            let empty = |v: &Value| v.is_null() || v.elements().is_some_and(|e| e.is_empty());
            if old != new && !(empty(old) && empty(new)) {
                change.replace_because_of(a);
            }
        }
    }

    async fn create(
        &self,
        client: &CoreClient,
        planned: TableState,
        diags: &mut Diagnostics,
    ) -> Option<TableState> {
        let database = planned.database.clone().unwrap_or_default();
        let name = planned.name.clone().unwrap_or_default();
        let summary = "Creating the table failed";
        let retention_period = match retention_text(planned.retention_period.as_deref()) {
            Ok(r) => r,
            Err(e) => {
                diags.attribute_error(
                    AttributePath::root("retention_period"),
                    "Invalid retention_period",
                    e,
                );
                return None;
            }
        };
        if retention_period.is_some() {
            match client.server().await {
                Ok(s) if !s.enterprise => {
                    diags.push(not_on_core(
                        "retention_period of influxdb_table",
                        &s.product(),
                        Some("retention_period"),
                    ));
                    return None;
                }
                Ok(_) => {}
                Err(e) => {
                    diags.error(summary, e.to_string());
                    return None;
                }
            }
        }
        // The server creates a missing database with the table: refuse instead, so that
        // Terraform never makes a database it was not asked for.
        match client.find_database(&database).await {
            Ok(Some(_)) => {}
            Ok(None) => return database_rules::missing(&database, None, diags),
            Err(e) => {
                diags.error(summary, e.to_string());
                return None;
            }
        }
        let body = CreateTable {
            db: database.clone(),
            table: name.clone(),
            tags: planned.tags.clone().unwrap_or_default(),
            fields: planned.fields.clone().unwrap_or_default(),
            retention_period,
        };
        match client.create_table(&body).await {
            Ok(()) => Some(planned),
            Err(e) if e.error.is_conflict() => {
                diags.attribute_error(
                    AttributePath::root("name"),
                    "Table already exists",
                    format!("{}\n\nA table named {name:?} already exists in the database {database:?} (the first write to a table creates it), and it was not changed. To manage it, import it: terraform import ADDRESS {database}:{name}", e.error),
                );
                None
            }
            Err(e) if e.error.is_not_found() => {
                database_rules::missing(&database, Some(&e.error), diags)
            }
            // A table has no secret: one of this name now, with the declared columns, is the
            // one this request made (an existing one would have been refused with 409).
            Err(e) if e.may_have_been_created() => match client
                .table_columns(&database, &name)
                .await
            {
                Ok(cols) if !cols.is_empty() && state_from_columns(&planned, &cols) == planned => {
                    diags.warning("Table created despite a failed request", format!("{e}\n\nThe table {name:?} exists in {database:?} with the declared columns, so the request did create it; it is recorded in the state."));
                    Some(planned)
                }
                _ => {
                    diags.error(summary, format!("{e}\n\nWhether the table {name:?} was created in {database:?} could not be established. Run terraform apply again; if the table exists then, import it (terraform import ADDRESS {database}:{name})."));
                    None
                }
            },
            Err(e) => {
                diags.error(summary, e.to_string());
                None
            }
        }
    }

    async fn read(
        &self,
        client: &CoreClient,
        current: TableState,
        diags: &mut Diagnostics,
    ) -> Option<TableState> {
        let database = current.database.clone().unwrap_or_default();
        let name = current.name.clone().unwrap_or_default();
        let object = format!("The table {name:?} of the database {database:?}");
        match client.table_columns(&database, &name).await {
            Ok(cols) if cols.is_empty() => diags.deleted_outside("Table", &object, " (empty)"),
            Ok(cols) => Some(state_from_columns(&current, &cols)),
            Err(e) if e.is_not_found() => diags.deleted_outside("Table", &object, " (empty)"),
            Err(e) => Err(e).or_error(diags, "Reading the table failed"),
        }
    }

    async fn update(
        &self,
        client: &CoreClient,
        prior: TableState,
        planned: TableState,
        diags: &mut Diagnostics,
    ) -> Option<TableState> {
        // Everything but the retention replaces the table.
        let ns = |s: &Option<String>| s.as_deref().map(parse_duration);
        if ns(&prior.retention_period) == ns(&planned.retention_period) {
            return Some(planned);
        }
        let body = TableRetention {
            db: planned.database.clone().unwrap_or_default(),
            table: planned.name.clone().unwrap_or_default(),
            retention_period: retention_text(planned.retention_period.as_deref())
                .ok()
                .flatten(),
        };
        match client.update_table(&body).await {
            Ok(()) => Some(planned),
            Err(e) => {
                diags.error("Updating the table's retention failed", e.to_string());
                None
            }
        }
    }

    async fn delete(&self, client: &CoreClient, prior: TableState, diags: &mut Diagnostics) {
        let database = prior.database.unwrap_or_default();
        let name = prior.name.unwrap_or_default();
        if let Err(e) = gone_is_ok(client.delete_table(&database, &name, None).await) {
            diags.error("Deleting the table failed", e.to_string());
        }
    }

    async fn import(
        &self,
        client: &CoreClient,
        id: &str,
        diags: &mut Diagnostics,
    ) -> Option<TableState> {
        let summary = "Importing the table failed";
        let Some((database, name)) = id.split_once(':') else {
            diags.error(
                summary,
                format!(
                    "A table is imported as DATABASE:TABLE (for example sensors:cpu), not {id:?}."
                ),
            );
            return None;
        };
        match client.table_columns(database, name).await {
            Ok(cols) if !cols.is_empty() => Some(state_from_all_columns(database, name, &cols)),
            Ok(_) => {
                diags.error(
                    summary,
                    format!("The database {database:?} has no table named {name:?}."),
                );
                None
            }
            Err(e) if e.is_not_found() => {
                diags.error(
                    summary,
                    format!("{e}\n\nThe database {database:?} does not exist."),
                );
                None
            }
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

    fn col(key: &str, data_type: &str) -> SchemaRow {
        SchemaRow {
            key: key.into(),
            data_type: data_type.into(),
        }
    }

    fn field(name: &str, kind: &str) -> FieldColumn {
        FieldColumn {
            name: name.into(),
            kind: kind.into(),
        }
    }

    #[test]
    fn columns_added_by_writes_are_not_drift_and_missing_ones_are() {
        let declared = TableState {
            database: Some("db".into()),
            name: Some("cpu".into()),
            tags: Some(vec!["host".into(), "region".into()]),
            fields: Some(vec![field("usage", "float64"), field("n", "int64")]),
            retention_period: None,
        };
        let server = [
            col("host", "tag"),
            col("region", "tag"),
            col("extra", "tag"),
            col("time", "time"),
            col("usage", "float"),
            col("n", "integer"),
            col("added", "string"),
        ];
        assert_eq!(state_from_columns(&declared, &server), declared);
        let missing = [
            col("host", "tag"),
            col("time", "time"),
            col("usage", "string"),
        ];
        let seen = state_from_columns(&declared, &missing);
        assert_eq!(seen.tags, Some(vec!["host".into()]));
        assert_eq!(seen.fields, Some(vec![field("usage", "utf8")]));
        let all = state_from_all_columns("db", "cpu", &server);
        assert_eq!(all.tags.unwrap().len(), 3);
        assert_eq!(all.fields.unwrap().len(), 3);
    }

    #[test]
    fn schema_is_valid() {
        TableResource.schema().check().unwrap();
    }
}
