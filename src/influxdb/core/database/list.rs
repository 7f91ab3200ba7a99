//! `list "influxdb_database"` on InfluxDB 3 Core/Enterprise: the live databases of the server
//! (not `_internal`, not soft-deleted ones), as `influxdb_database` resources.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::*;
use crate::engine::{Diagnostics, ListResource, Listed, Schema};
use crate::influxdb::core::client::INTERNAL_DB;
use crate::influxdb::core::CoreClient;

pub struct DatabaseList;

/// The list takes no settings: every database.
#[derive(Serialize, Deserialize, Default)]
pub struct DatabaseListConfig {}

#[async_trait]
impl ListResource for DatabaseList {
    type Client = CoreClient;
    type Config = DatabaseListConfig;
    type State = DatabaseState;

    fn type_name(&self) -> &'static str {
        "influxdb_database"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Lists every database of the server for `terraform query` (Terraform 1.14 or later), by name. It takes no settings.",
            Vec::new(),
        )
    }

    async fn list(
        &self,
        client: &CoreClient,
        _config: DatabaseListConfig,
        diags: &mut Diagnostics,
    ) -> Vec<Listed<DatabaseState>> {
        let mut rows = match client.list_databases().await {
            Ok(d) => d,
            Err(e) => {
                diags.error("Listing the databases failed", e.to_string());
                return Vec::new();
            }
        };
        rows.retain(|d| !d.deleted && d.database_name != INTERNAL_DB);
        rows.sort_by(|a, b| a.database_name.cmp(&b.database_name));
        rows.iter()
            .map(|d| Listed {
                display_name: d.database_name.clone(),
                state: DatabaseState {
                    deletion_protection: Some(false),
                    ..state_from_row(d)
                },
            })
            .collect()
    }
}
