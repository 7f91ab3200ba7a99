//! The Core/Enterprise client's refresh snapshots: `system.tokens` and `system.databases`, each
//! queried once per provider process between writes (see [`crate::influxdb::http::snapshot`]
//! for the design). A refresh of N tokens costs one query.

use super::models::{DatabaseRow, TokenRow};
use crate::influxdb::http::{Invalidate, Snapshot};

/// The snapshots one client (and its clones) share.
pub struct Snapshots {
    pub(super) tokens: Snapshot<TokenRow>,
    pub(super) databases: Snapshot<DatabaseRow>,
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
