//! The v2 client's refresh snapshots: the authorization list and the bucket list, each fetched
//! once per provider process between writes (see [`crate::influxdb::http::snapshot`] for the
//! design). A refresh of N authorizations costs one list call; of N buckets, one paginated
//! listing (pages of 100).

use std::sync::Arc;

use super::client::{AuthorizationFilter, V2Client, V2Error};
use super::models::{Authorization, Bucket};
use crate::influxdb::http::{Invalidate, Listing, Snapshot};

/// The snapshots one client (and its clones) share.
pub struct Snapshots {
    authorizations: Snapshot<Authorization>,
    buckets: Snapshot<Bucket>,
}

impl Default for Snapshots {
    fn default() -> Self {
        Snapshots {
            authorizations: Snapshot::new(|a| a.id.as_str()),
            buckets: Snapshot::new(|b| b.id.as_str()),
        }
    }
}

impl Invalidate for Snapshots {
    /// Called after every write through the client.
    fn invalidate(&self) {
        self.authorizations.invalidate();
        self.buckets.invalidate();
    }
}

impl V2Client {
    /// Every authorization the token may read, from this process's snapshot.
    pub async fn authorizations_snapshot(&self) -> Result<Arc<Listing<Authorization>>, V2Error> {
        self.snapshots()
            .authorizations
            .get(|| async {
                self.list_authorizations(&AuthorizationFilter::default())
                    .await
            })
            .await
    }

    /// Every bucket the token may read, from this process's snapshot.
    pub async fn buckets_snapshot(&self) -> Result<Arc<Listing<Bucket>>, V2Error> {
        self.snapshots()
            .buckets
            .get(|| self.list_buckets(None))
            .await
    }

    /// An authorization for a refresh: from the snapshot, or, when the list does not have it,
    /// from one GET (a 404 there means it is gone; a list that lags must not make Terraform
    /// create a second token).
    pub async fn read_authorization(&self, id: &str) -> Result<Authorization, V2Error> {
        if let Some(a) = self.authorizations_snapshot().await?.get(id) {
            return Ok(a.clone());
        }
        self.get_authorization(id).await
    }

    /// A bucket for a refresh: from the snapshot, else from one GET.
    pub async fn read_bucket(&self, id: &str) -> Result<Bucket, V2Error> {
        if let Some(b) = self.buckets_snapshot().await?.get(id) {
            return Ok(b.clone());
        }
        self.get_bucket(id).await
    }
}

impl std::fmt::Debug for Snapshots {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Snapshots")
    }
}
