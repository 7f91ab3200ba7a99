//! The Management API client's refresh snapshots: the token list and the database list, each
//! fetched once per provider process between writes (see [`crate::influxdb::http::snapshot`]
//! for the design). A refresh of N tokens costs one list call.

use super::models::{Database, DatabaseToken};
use crate::influxdb::http::{Invalidate, Snapshot};

/// The snapshots one client (and its clones) share.
pub struct Snapshots {
    pub(super) tokens: Snapshot<DatabaseToken>,
    pub(super) databases: Snapshot<Database>,
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
