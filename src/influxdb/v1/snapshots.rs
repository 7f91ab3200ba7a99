//! The 1.x client's refresh snapshots: every database with its retention policies, fetched
//! once per provider process between writes (see [`crate::influxdb::http::snapshot`] for the
//! design): a refresh of 1,000 databases costs two requests.

use super::models::{ContinuousQueryRow, DatabaseRow, UserRow};
use crate::influxdb::http::{Invalidate, Snapshot};

/// The snapshots one client (and its clones) share.
pub struct Snapshots {
    pub(super) databases: Snapshot<DatabaseRow>,
    /// Every user with its grants (`user`).
    pub(super) users: Snapshot<UserRow>,
    /// Every continuous query, keyed `DATABASE:NAME` (`continuous_query`).
    pub(super) continuous_queries: Snapshot<ContinuousQueryRow>,
}

impl Default for Snapshots {
    fn default() -> Self {
        Snapshots {
            databases: Snapshot::new(|d| d.name.as_str()),
            users: Snapshot::new(|u| u.name.as_str()),
            continuous_queries: Snapshot::new(|q| q.id.as_str()),
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
        self.users.invalidate();
        self.continuous_queries.invalidate();
    }
}
