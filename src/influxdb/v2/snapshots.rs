//! The v2 client's refresh snapshots: the authorization list, the bucket list, each
//! organization's DBRP mappings and the v1 authorization list, each fetched once per provider
//! process between writes (see [`crate::influxdb::http::snapshot`] for the design). A refresh
//! of N authorizations costs one list call; of N buckets, one paginated listing (pages of
//! 100); of N DBRP mappings, one list call per organization; of N v1 authorizations, one; of N
//! tasks, one paginated listing per organization (pages of 500).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::models::{Authorization, Bucket};
use super::models_influxql::{Dbrp, LegacyAuthorization};
use super::task::api::TaskSnapshots;
use crate::influxdb::http::{Invalidate, Snapshot};

/// The snapshots one client (and its clones) share.
pub struct Snapshots {
    pub(super) authorizations: Snapshot<Authorization>,
    pub(super) buckets: Snapshot<Bucket>,
    /// By organization ID: the DBRP list is always asked for one organization.
    dbrps: Mutex<HashMap<String, Arc<Snapshot<Dbrp>>>>,
    pub(super) legacy_authorizations: Snapshot<LegacyAuthorization>,
    /// One listing per organization (see [`super::task::api`]).
    pub(super) tasks: TaskSnapshots,
}

impl Snapshots {
    /// The DBRP snapshot of `org_id`.
    pub(super) fn dbrps(&self, org_id: &str) -> Arc<Snapshot<Dbrp>> {
        let mut map = self.dbrps.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(org_id.to_owned())
            .or_insert_with(|| Arc::new(Snapshot::new(|d: &Dbrp| d.id.as_str())))
            .clone()
    }
}

impl Default for Snapshots {
    fn default() -> Self {
        Snapshots {
            authorizations: Snapshot::new(|a| a.id.as_str()),
            buckets: Snapshot::new(|b| b.id.as_str()),
            dbrps: Mutex::new(HashMap::new()),
            legacy_authorizations: Snapshot::new(|a| a.id.as_str()),
            tasks: TaskSnapshots::default(),
        }
    }
}

impl Invalidate for Snapshots {
    /// Called after every write through the client.
    fn invalidate(&self) {
        self.authorizations.invalidate();
        self.buckets.invalidate();
        for s in self
            .dbrps
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .values()
        {
            s.invalidate();
        }
        self.legacy_authorizations.invalidate();
        self.tasks.invalidate();
    }
}

impl std::fmt::Debug for Snapshots {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Snapshots")
    }
}
