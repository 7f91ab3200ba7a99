//! The Core/Enterprise client's refresh snapshots: `system.tokens` and `system.databases`, each
//! queried once per provider process between writes (see [`crate::influxdb::http::snapshot`]
//! for the design). A refresh of N tokens costs one query.

use std::sync::Arc;

use super::client::CoreClient;
use super::models::{DatabaseRow, TokenRow};
use crate::influxdb::http::{HttpError, Invalidate, Listing, Snapshot};

/// The snapshots one client (and its clones) share.
pub struct Snapshots {
    tokens: Snapshot<TokenRow>,
    databases: Snapshot<DatabaseRow>,
}

impl Default for Snapshots {
    fn default() -> Self {
        Snapshots {
            tokens: Snapshot::new(|t| t.name.as_str()),
            databases: Snapshot::new(|d| d.database_name.as_str()),
        }
    }
}

impl std::fmt::Debug for Snapshots {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Snapshots")
    }
}

impl Invalidate for Snapshots {
    /// Called after every write through the client.
    fn invalidate(&self) {
        self.tokens.invalidate();
        self.databases.invalidate();
    }
}

impl CoreClient {
    /// Every token by name, from this process's snapshot.
    pub async fn tokens_snapshot(&self) -> Result<Arc<Listing<TokenRow>>, HttpError> {
        self.snapshots().tokens.get(|| self.list_tokens()).await
    }

    /// Every database by current name, from this process's snapshot.
    pub async fn databases_snapshot(&self) -> Result<Arc<Listing<DatabaseRow>>, HttpError> {
        self.snapshots()
            .databases
            .get(|| self.list_databases())
            .await
    }

    /// A token for a refresh, by name; `None` when the server has none of that name.
    pub async fn read_token(&self, name: &str) -> Result<Option<TokenRow>, HttpError> {
        Ok(self.tokens_snapshot().await?.get(name).cloned())
    }

    /// A live database for a refresh; `None` when it does not exist or is soft-deleted.
    pub async fn read_database(&self, name: &str) -> Result<Option<DatabaseRow>, HttpError> {
        Ok(self
            .databases_snapshot()
            .await?
            .get(name)
            .filter(|d| !d.deleted)
            .cloned())
    }
}
