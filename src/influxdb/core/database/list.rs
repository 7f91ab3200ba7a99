//! `list "influxdb_database"` on InfluxDB 3 Core/Enterprise: the live databases of the server
//! (not `_internal`, not soft-deleted ones), as `influxdb_database` resources.

use async_trait::async_trait;

use super::*;
use crate::engine::{Diagnostics, ListResource, Listed, OrError, Schema};
use crate::influxdb::core::client::INTERNAL_DB;
use crate::influxdb::core::CoreClient;
use crate::influxdb::database::{self as rules, ListConfig};

pub struct DatabaseList;

#[async_trait]
impl ListResource for DatabaseList {
    type Client = CoreClient;
    type Config = ListConfig;
    type State = DatabaseState;

    fn type_name(&self) -> &'static str {
        "influxdb_database"
    }

    fn schema(&self) -> Schema {
        rules::list_schema("the server")
    }

    async fn list(
        &self,
        client: &CoreClient,
        _config: ListConfig,
        diags: &mut Diagnostics,
    ) -> Vec<Listed<DatabaseState>> {
        let listed = client.list_databases().await;
        let Some(rows) = listed.or_error(diags, "Listing the databases failed") else {
            return Vec::new();
        };
        let live = rows
            .iter()
            .filter(|d| !d.deleted && d.database_name != INTERNAL_DB);
        rules::listed(
            live.map(|d| {
                let state = DatabaseState {
                    deletion_protection: Some(false),
                    ..state_from_row(d)
                };
                (d.database_name.clone(), state)
            })
            .collect(),
        )
    }
}
