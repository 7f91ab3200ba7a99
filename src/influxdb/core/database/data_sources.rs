//! `influxdb_databases` data source on InfluxDB 3 Core/Enterprise: every live database (not
//! `_internal`, not soft-deleted ones). Each element has the object type every family's
//! `influxdb_databases` shares ([`crate::influxdb::database::ListedDatabase`]); the attributes
//! Core/Enterprise do not have are null.

use async_trait::async_trait;

use super::*;
use crate::engine::{DataSource, Diagnostics, OrError, Schema};
use crate::influxdb::core::client::INTERNAL_DB;
use crate::influxdb::core::CoreClient;
use crate::influxdb::database::{databases_schema, ListedDatabase, ListedDatabases};

pub struct DatabasesDataSource;

#[async_trait]
impl DataSource for DatabasesDataSource {
    type Client = CoreClient;
    type Model = ListedDatabases;

    fn type_name(&self) -> &'static str {
        "influxdb_databases"
    }

    fn schema(&self) -> Schema {
        databases_schema("the server", "On InfluxDB 3 Core and Enterprise each has `name` and `retention_period` (canonical form, null for forever); the other attributes are null. `_internal` and soft-deleted databases are not listed.")
    }

    async fn read(
        &self,
        client: &CoreClient,
        _config: ListedDatabases,
        diags: &mut Diagnostics,
    ) -> Option<ListedDatabases> {
        let snapshot = client.databases_snapshot().await;
        let list = snapshot.or_error(diags, "Listing the databases failed")?;
        let live = list
            .items()
            .iter()
            .filter(|d| !d.deleted && d.database_name != INTERNAL_DB);
        Some(ListedDatabases::sorted(
            live.map(|d| {
                let s = state_from_row(d);
                ListedDatabase {
                    name: s.name,
                    retention_period: s.retention_period,
                    ..ListedDatabase::default()
                }
            })
            .collect(),
        ))
    }
}
