//! How the answers show the records: Cloud Dedicated adds `accountId` and `clusterId`,
//! Clustered shows neither; `/__sim/state` also shows what the API hides.

use serde_json::json;

use super::model::{DatabaseRecord, TableRecord, TokenRecord};
use super::{Edition, Management};

impl Management {
    pub(super) fn token_view(&self, t: &TokenRecord) -> TokenRecord {
        let mut t = t.clone();
        if self.edition == Edition::Dedicated {
            t.account_id = Some(self.account_id.to_string());
            t.cluster_id = Some(self.cluster_id.to_string());
        } else {
            t.account_id = None;
            t.cluster_id = None;
        }
        t
    }

    /// `accountId` and `clusterId` on Cloud Dedicated; nothing on Clustered.
    fn with_ids(&self, mut v: serde_json::Value) -> serde_json::Value {
        if self.edition == Edition::Dedicated {
            v["accountId"] = json!(self.account_id.to_string());
            v["clusterId"] = json!(self.cluster_id.to_string());
        }
        v
    }

    /// A database as the list, create and update answers show it.
    pub(super) fn database_view(&self, d: &DatabaseRecord) -> serde_json::Value {
        let mut v = json!({"name": d.name, "maxTables": d.max_tables,
                           "maxColumnsPerTable": d.max_columns_per_table,
                           "retentionPeriod": d.retention_period});
        if let Some(p) = &d.partition_template {
            v["partitionTemplate"] = json!(p);
        }
        self.with_ids(v)
    }

    /// A table as the create answer shows it; the rename answer adds `id`.
    pub(super) fn table_view(&self, database: &str, t: &TableRecord) -> serde_json::Value {
        let mut v = json!({"databaseName": database, "name": t.name});
        if let Some(p) = &t.partition_template {
            v["partitionTemplate"] = json!(p);
        }
        self.with_ids(v)
    }

    /// What `/__sim/state` shows of a database: the API's view plus what the API hides.
    pub(super) fn database_state(&self, d: &DatabaseRecord) -> serde_json::Value {
        let mut v = self.database_view(d);
        v["id"] = json!(d.id);
        v["dataMarker"] = json!(d.data_marker);
        v["tables"] = json!(d.tables.values().collect::<Vec<_>>());
        v
    }
}
