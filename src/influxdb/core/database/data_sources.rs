//! `influxdb_databases` data source on InfluxDB 3 Core/Enterprise: every live database (not
//! `_internal`, not soft-deleted ones). Each element has the object type of the Management
//! family's `influxdb_databases`, so one module reads both; the attributes Core/Enterprise do
//! not have are null.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::*;
use crate::engine::schema::Attribute;
use crate::engine::{DataSource, Diagnostics, OrError, Schema, Type};
use crate::influxdb::core::client::INTERNAL_DB;
use crate::influxdb::core::CoreClient;

pub struct DatabasesDataSource;

/// One element: the shared object type, Cloud Dedicated's attributes null.
#[derive(Serialize, Deserialize, Default, Clone, Debug)]
pub struct DatabaseItem {
    pub name: Option<String>,
    pub retention_period: Option<String>,
    pub max_tables: Option<i64>,
    pub max_columns_per_table: Option<i64>,
    pub partition_template: Option<Vec<serde_json::Value>>,
    pub account_id: Option<String>,
    pub cluster_id: Option<String>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug)]
pub struct DatabasesModel {
    pub databases: Option<Vec<DatabaseItem>>,
}

/// The element type every family's `influxdb_databases` shares (the dispatch refuses to serve
/// two types under one attribute, so it is taken from where it is defined).
fn element_type() -> Type {
    crate::influxdb::management::database::database_type()
}

#[async_trait]
impl DataSource for DatabasesDataSource {
    type Client = CoreClient;
    type Model = DatabasesModel;

    fn type_name(&self) -> &'static str {
        "influxdb_databases"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Lists the databases of the server.",
            vec![Attribute::computed("databases", Type::list(element_type()))
                .describe("The databases, sorted by name. On InfluxDB 3 Core and Enterprise each has `name` and `retention_period` (canonical form, null for forever); the other attributes are null. `_internal` and soft-deleted databases are not listed.")],
        )
    }

    async fn read(
        &self,
        client: &CoreClient,
        _config: DatabasesModel,
        diags: &mut Diagnostics,
    ) -> Option<DatabasesModel> {
        let snapshot = client.databases_snapshot().await;
        let list = snapshot.or_error(diags, "Listing the databases failed")?;
        let live = list
            .items()
            .iter()
            .filter(|d| !d.deleted && d.database_name != INTERNAL_DB);
        let mut databases: Vec<DatabaseItem> = live
            .map(|d| {
                let s = state_from_row(d);
                DatabaseItem {
                    name: s.name,
                    retention_period: s.retention_period,
                    ..DatabaseItem::default()
                }
            })
            .collect();
        databases.sort_by(|a, b| a.name.cmp(&b.name));
        Some(DatabasesModel {
            databases: Some(databases),
        })
    }
}
