//! A database of the Management API: its state and the rules and descriptions its resource,
//! data sources and list resource share.

pub mod data_source;
pub mod data_sources;
pub mod list;
pub mod resource;

use serde::{Deserialize, Serialize};

use super::models::Database;
use super::partition_template::{
    template_from_api, template_part_type, TemplatePart, PARTITION_TEMPLATE_DOC,
};
use crate::engine::schema::Attribute;
use crate::engine::{AttributePath, Diagnostics, Type, Value};
use crate::influxdb::duration::{format_duration, parse_duration};

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct DatabaseState {
    pub name: Option<String>,
    pub max_tables: Option<i64>,
    pub max_columns_per_table: Option<i64>,
    pub retention_period: Option<String>,
    pub partition_template: Option<Vec<TemplatePart>>,
    pub account_id: Option<String>,
    pub cluster_id: Option<String>,
    /// Resource only (the data sources have no such attribute).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_protection: Option<bool>,
}

pub(super) fn check_retention(s: &str) -> Result<(), String> {
    parse_duration(s)
        .map(|_| ())
        .map_err(|e| format!("retention_period = {s:?} is not a valid duration. {e}"))
}

// ---------------------------------------------------------------------------------------------
// Limits

pub(super) fn validate_limit(v: &Value, path: &AttributePath, diags: &mut Diagnostics) {
    let Some(n) = v.as_number() else {
        return;
    };
    let name = path.to_string();
    match n.as_i64() {
        Some(i) if (1..=i64::from(i32::MAX)).contains(&i) => {}
        _ => diags.attribute_error(
            path.clone(),
            format!("Invalid {name}"),
            format!(
                "{name} = {} is not allowed: it must be a whole number from 1 to {}. Leave it unset to take the server's default.",
                n.to_decimal_string(),
                i32::MAX
            ),
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// State

/// The state of a database as the API describes it.
pub fn state_from(d: Database) -> DatabaseState {
    DatabaseState {
        name: Some(d.name),
        max_tables: Some(d.max_tables),
        max_columns_per_table: Some(d.max_columns_per_table),
        retention_period: Some(format_duration(d.retention_period)),
        partition_template: d.partition_template.as_deref().map(template_from_api),
        account_id: d.account_id,
        cluster_id: d.cluster_id,
        deletion_protection: None,
    }
}

/// The description of the shared attributes, used by the resource and the data sources.
pub mod doc {
    pub const NAME: &str = "The database name: 1 to 64 characters of letters, digits, `_`, `-` and `/`, not starting with `_`. Names are case-sensitive.";
    pub const MAX_TABLES: &str = "The maximum number of tables in the database.";
    pub const MAX_COLUMNS: &str = "The maximum number of columns per table.";
    pub const RETENTION: &str = "How long data is kept, as a duration such as `\"30d\"`, `\"720h\"` or `\"1h30m\"` (units ns, us, ms, s, m, h, d, w); `\"0s\"` means infinite.";
    pub const ACCOUNT_ID: &str = "The Cloud Dedicated account ID; null on Clustered.";
    pub const CLUSTER_ID: &str = "The Cloud Dedicated cluster ID; null on Clustered.";
    pub const IDENTITY_ACCOUNT_ID: &str = "The Cloud Dedicated account ID; null on Clustered. When given in an import identity, it must be the provider's, or the import fails naming it.";
    pub const IDENTITY_CLUSTER_ID: &str = "The Cloud Dedicated cluster ID; null on Clustered. When given in an import identity, it must be the provider's, or the import fails naming it.";
}

/// `account_id` and `cluster_id` of an object of the cluster (null on Clustered), as a
/// resource's state keeps them.
pub fn scope_attributes() -> [Attribute; 2] {
    [
        Attribute::computed("account_id", Type::String)
            .describe(doc::ACCOUNT_ID)
            .use_state_for_unknown(),
        Attribute::computed("cluster_id", Type::String)
            .describe(doc::CLUSTER_ID)
            .use_state_for_unknown(),
    ]
}

/// The computed attributes of a database (all but `name`), shared with `influxdb_databases`.
pub fn database_fields() -> Vec<(&'static str, Type, String)> {
    vec![
        ("max_tables", Type::Number, doc::MAX_TABLES.to_owned()),
        ("max_columns_per_table", Type::Number, doc::MAX_COLUMNS.to_owned()),
        (
            "retention_period",
            Type::String,
            format!("{} Given in canonical form: the largest unit up to days that divides it exactly (`\"30d\"`, `\"90m\"`).", doc::RETENTION),
        ),
        (
            "partition_template",
            Type::list(template_part_type()),
            format!("{PARTITION_TEMPLATE_DOC} Null when the database was created without one."),
        ),
        ("account_id", Type::String, doc::ACCOUNT_ID.to_owned()),
        ("cluster_id", Type::String, doc::CLUSTER_ID.to_owned()),
    ]
}

pub fn database_type() -> Type {
    let mut attrs = vec![("name", Type::String)];
    attrs.extend(database_fields().into_iter().map(|(n, t, _)| (n, t)));
    Type::object(attrs)
}
