//! The rules of a database that hold on every family that has one (`influxdb_database` on the
//! Management API and on InfluxDB 3 Core/Enterprise): `deletion_protection`, kept in the state
//! only; a name already taken at create; a database gone at refresh or at update; import by
//! name; the data sources' "not found" and the element every family's `influxdb_databases`
//! lists. Each family's resource calls these, so the words a user reads are the same
//! everywhere.

use serde::{Deserialize, Serialize};

use crate::engine::schema::Attribute;
use crate::engine::{AttributePath, Diagnostics, Listed, OrError, PlanChange, Schema, Type, Value};

/// `deletion_protection` unset in the configuration is planned `false`.
pub fn plan_protection(change: &mut PlanChange<'_>) {
    if change.config.attr("deletion_protection").is_null() {
        change
            .planned
            .set_attr("deletion_protection", Value::Bool(false));
    }
}

/// Refuses to delete or replace the database of `prior` while its state says it is protected.
/// `replaced` says when the family replaces a database (a parenthesis of the message).
pub fn guard_destroy(prior: &Value, replaced: &str, diags: &mut Diagnostics) {
    if prior.attr("deletion_protection") != &Value::Bool(true) {
        return;
    }
    let name = prior.attr("name").as_str().unwrap_or_default();
    diags.error(
        "Database is protected against deletion",
        format!("The database {name:?} has deletion_protection = true, so it is neither deleted nor replaced ({replaced}), and nothing was changed.\n\nTo delete it, first set deletion_protection = false (in a configuration that still declares the database) and apply, then destroy it or apply the change again. To stop managing it without deleting it, remove it from the state instead: terraform state rm ADDRESS."),
    );
}

/// The state's own `deletion_protection` (false for a state written before it existed).
pub fn protection(state: Option<bool>) -> Option<bool> {
    Some(state.unwrap_or(false))
}

/// A create refused because the name is taken (`where_` is "on the server", "in this
/// cluster"): import it instead.
pub fn name_taken(
    name: &str,
    error: impl std::fmt::Display,
    where_: &str,
    diags: &mut Diagnostics,
) {
    diags.attribute_error(
        AttributePath::root("name"),
        "Database already exists",
        format!("{error}\n\nA database named {name:?} already exists {where_}. To manage it with Terraform, import it: terraform import ADDRESS {name}"),
    );
}

/// Why an object of the database `name` cannot be made: the database does not exist.
pub fn missing_text(name: &str) -> String {
    format!("The database {name:?} does not exist. Create it first (refer to influxdb_database.<name>.name so that Terraform orders the two).")
}

/// A create refused because its database `name` does not exist (`error`: the server's
/// answer, when it said so): reported at `database`, always `None`.
pub fn missing<T>(
    name: &str,
    error: Option<&dyn std::fmt::Display>,
    diags: &mut Diagnostics,
) -> Option<T> {
    let why = missing_text(name);
    diags.attribute_error(
        AttributePath::root("database"),
        "Database not found",
        match error {
            Some(e) => format!("{e}\n\n{why}"),
            None => why,
        },
    );
    None
}

/// A refresh that finds no database `name`: it leaves the state (always `None`).
pub fn gone<T>(name: &str, diags: &mut Diagnostics) -> Option<T> {
    diags.warning(
        "Database deleted outside Terraform",
        format!("The database {name:?} no longer exists. It is removed from the state and the next apply creates it again (empty)."),
    );
    None
}

/// A refresh's answer for the database `name` (`found`): the server's, or `None` when it is
/// gone (it leaves the state, with a warning) or the read failed.
pub fn refreshed<R>(
    found: Result<Option<R>, impl std::fmt::Display>,
    name: &str,
    diags: &mut Diagnostics,
) -> Option<R> {
    match found.or_error(diags, "Reading the database failed")? {
        Some(r) => Some(r),
        None => gone(name, diags),
    }
}

/// An update refused because the database `name` is gone.
pub fn gone_at_update(name: &str, error: impl std::fmt::Display, diags: &mut Diagnostics) {
    diags.error(
        "Updating the database failed",
        format!("{error}\n\nThe database {name:?} was deleted outside Terraform. Run terraform apply again to create it."),
    );
}

/// An import ID is a database name, checked by the family's `validate` before any API call.
pub fn import_id(
    id: &str,
    validate: impl Fn(&str) -> Result<(), String>,
    diags: &mut Diagnostics,
) -> Option<()> {
    validate(id)
        .map_err(|e| {
            diags.error(
                "Invalid import ID",
                format!("A database is imported by its name. {e}"),
            )
        })
        .ok()
}

/// `list "influxdb_database"` takes no settings: every database.
#[derive(Serialize, Deserialize, Default)]
pub struct ListConfig {}

/// The schema of `list "influxdb_database"`; `of` is where the databases are ("the server").
pub fn list_schema(of: &str) -> Schema {
    Schema::new(
        &format!("Lists every database of {of} for `terraform query` (Terraform 1.14 or later), by name. It takes no settings."),
        Vec::new(),
    )
}

/// Databases listed by name, sorted by name.
pub fn listed<S>(mut databases: Vec<(String, S)>) -> Vec<Listed<S>> {
    databases.sort_by(|a, b| a.0.cmp(&b.0));
    databases
        .into_iter()
        .map(|(display_name, state)| Listed {
            display_name,
            state,
        })
        .collect()
}

/// The `influxdb_database` data source's answer when the server has no database `name`.
pub fn not_found<T>(name: &str, diags: &mut Diagnostics) -> Option<T> {
    diags.error(
        "Database not found",
        format!(
            "No database named {name:?} exists on the server. Database names are case-sensitive."
        ),
    );
    None
}

/// One element of `influxdb_databases`, of the object type every family shares (Cloud
/// Dedicated's, [`crate::influxdb::management::database::database_type`]): what a product
/// does not have is null.
#[derive(Serialize, Deserialize, Default, Clone, Debug)]
pub struct ListedDatabase {
    pub name: Option<String>,
    pub retention_period: Option<String>,
    pub max_tables: Option<i64>,
    pub max_columns_per_table: Option<i64>,
    pub partition_template: Option<Vec<serde_json::Value>>,
    pub account_id: Option<String>,
    pub cluster_id: Option<String>,
}

/// The model of `influxdb_databases`.
#[derive(Serialize, Deserialize, Default, Clone, Debug)]
pub struct ListedDatabases {
    pub databases: Option<Vec<ListedDatabase>>,
}

impl ListedDatabases {
    /// The list sorted by name, as every family answers it.
    pub fn sorted(mut databases: Vec<ListedDatabase>) -> ListedDatabases {
        databases.sort_by(|a, b| a.name.cmp(&b.name));
        ListedDatabases {
            databases: Some(databases),
        }
    }
}

/// The schema of `influxdb_databases` listing the databases of `of` ("the server"), with what
/// `product` puts in each.
pub fn databases_schema(of: &str, product: &str) -> Schema {
    Schema::new(
        &format!("Lists the databases of {of}."),
        vec![databases_attribute(product)],
    )
}

/// The `databases` attribute of `influxdb_databases`, with what `product` puts in it.
pub fn databases_attribute(product: &str) -> Attribute {
    Attribute::computed(
        "databases",
        Type::list(crate::influxdb::management::database::database_type()),
    )
    .describe(&format!("The databases, sorted by name. {product}"))
}
