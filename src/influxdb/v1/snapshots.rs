//! The 1.x client's refresh snapshots: every database with its retention policies, fetched
//! once per provider process between writes (see [`crate::influxdb::http::snapshot`] for the
//! design): a refresh of 1,000 databases costs two requests.

use super::models::DatabaseRow;
use crate::influxdb::http::{Invalidate, Snapshot};

/// The snapshots one client (and its clones) share.
pub struct Snapshots {
    pub(super) databases: Snapshot<DatabaseRow>,
}

impl Default for Snapshots {
    fn default() -> Self {
        Snapshots {
            databases: Snapshot::new(|d| d.name.as_str()),
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
        self.databases.invalidate();
    }
}
