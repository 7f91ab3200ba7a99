//! The v2 client's refresh snapshots: the authorization list and the bucket list, each fetched
//! once per provider process between writes (see [`crate::influxdb::http::snapshot`] for the
//! design). A refresh of N authorizations costs one list call; of N buckets, one paginated
//! listing (pages of 100); of N tasks, one paginated listing per organization (pages of 500).

use super::models::{Authorization, Bucket};
use super::task::api::TaskSnapshots;
use crate::influxdb::http::{Invalidate, Snapshot};

/// The snapshots one client (and its clones) share.
pub struct Snapshots {
    pub(super) authorizations: Snapshot<Authorization>,
    pub(super) buckets: Snapshot<Bucket>,
    /// One listing per organization (see [`super::task::api`]).
    pub(super) tasks: TaskSnapshots,
}

impl Default for Snapshots {
    fn default() -> Self {
        Snapshots {
            authorizations: Snapshot::new(|a| a.id.as_str()),
            buckets: Snapshot::new(|b| b.id.as_str()),
            tasks: TaskSnapshots::default(),
        }
    }
}

impl Invalidate for Snapshots {
    /// Called after every write through the client.
    fn invalidate(&self) {
        self.authorizations.invalidate();
        self.buckets.invalidate();
        self.tasks.invalidate();
    }
}

impl std::fmt::Debug for Snapshots {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Snapshots")
    }
}
