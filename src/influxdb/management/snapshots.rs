//! The Management API client's refresh snapshots: the token list and the database list, each
//! fetched once per provider process between writes (see [`crate::influxdb::http::snapshot`]
//! for the design). A refresh of N tokens costs one list call.

use std::sync::Arc;

use super::client::{ApiError, ManagementClient};
use super::models::{Database, DatabaseToken};
use crate::influxdb::http::{Invalidate, Listing, Snapshot};

/// The snapshots one client (and its clones) share.
pub struct Snapshots {
    tokens: Snapshot<DatabaseToken>,
    databases: Snapshot<Database>,
}

impl Default for Snapshots {
    fn default() -> Self {
        Snapshots {
            tokens: Snapshot::new(|t| t.id.as_str()),
            databases: Snapshot::new(|d| d.name.as_str()),
        }
    }
}

impl Invalidate for Snapshots {
    /// Called after every write through the client.
    fn invalidate(&self) {
        self.tokens.invalidate();
        self.databases.invalidate();
    }
}

impl ManagementClient {
    /// Every token, from this process's snapshot (one list call per process between writes).
    pub async fn tokens_snapshot(&self) -> Result<Arc<Listing<DatabaseToken>>, ApiError> {
        self.snapshots().tokens.get(|| self.list_tokens()).await
    }

    /// Every database, from this process's snapshot.
    pub async fn databases_snapshot(&self) -> Result<Arc<Listing<Database>>, ApiError> {
        self.snapshots()
            .databases
            .get(|| self.list_databases())
            .await
    }

    /// A token for a refresh: from the snapshot, or, when the list does not have it, from one
    /// GET (a 404 there means the token is gone).
    pub async fn read_token(&self, id: &str) -> Result<DatabaseToken, ApiError> {
        if let Some(t) = self.tokens_snapshot().await?.get(id) {
            return Ok(t.clone());
        }
        self.get_token(id).await
    }

    /// A database for a refresh, from the snapshot; `None` when the list does not have it
    /// (the API has no GET for one database: its list is the only source).
    pub async fn read_database(&self, name: &str) -> Result<Option<Database>, ApiError> {
        Ok(self.databases_snapshot().await?.get(name).cloned())
    }
}
