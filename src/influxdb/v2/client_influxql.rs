//! The v2 client's endpoints for InfluxQL access: DBRP mappings (`/api/v2/dbrps`, every call
//! scoped to one organization with `orgID`) and InfluxDB OSS's v1 authorizations
//! (`/private/legacy/authorizations`, beside `/api/v2` on the same server, same token), with
//! their refresh reads from the snapshots ([`super::snapshots`]). A v1 password is sent once,
//! never retried, and registered for redaction.

use std::sync::Arc;

use serde::Serialize;

use super::client::{V2Client, V2CreateError, V2Error};
use super::models::UpdateAuthorization;
use super::models_influxql::{
    CreateDbrp, CreateLegacyAuthorization, Dbrp, DbrpContent, Dbrps, LegacyAuthorization,
    LegacyAuthorizations, UpdateDbrp,
};
use crate::influxdb::http::{item, query, HttpCore, Listing};

/// Filters of `GET /api/v2/dbrps` (the organization is always given).
#[derive(Clone, Debug, Default)]
pub struct DbrpFilter {
    pub bucket_id: Option<String>,
    pub database: Option<String>,
    pub retention_policy: Option<String>,
}

impl V2Client {
    // ---- DBRP mappings ----

    fn dbrp_path(org_id: &str, id: &str) -> String {
        format!(
            "{}{}",
            item("/dbrps", id),
            query(&[("orgID", Some(org_id))])
        )
    }

    /// Creates a mapping; the answer says whether the server made it the default.
    pub async fn create_dbrp(&self, body: &CreateDbrp) -> Result<Dbrp, V2CreateError> {
        self.core.create("/dbrps", body).await
    }

    pub async fn get_dbrp(&self, org_id: &str, id: &str) -> Result<Dbrp, V2Error> {
        let c: DbrpContent = self.core.get(&Self::dbrp_path(org_id, id)).await?;
        Ok(c.content)
    }

    /// The mappings of `org_id` (the server's virtual ones included) matching `f`.
    pub async fn list_dbrps(&self, org_id: &str, f: &DbrpFilter) -> Result<Vec<Dbrp>, V2Error> {
        let q = query(&[
            ("orgID", Some(org_id)),
            ("bucketID", f.bucket_id.as_deref()),
            ("db", f.database.as_deref()),
            ("rp", f.retention_policy.as_deref()),
        ]);
        let list: Dbrps = self.core.get(&format!("/dbrps{q}")).await?;
        Ok(list.content)
    }

    /// A PATCH; its answer's `default` is what was asked, not always what the server did (see
    /// [`super::dbrp`]).
    pub async fn update_dbrp(
        &self,
        org_id: &str,
        id: &str,
        body: &UpdateDbrp,
    ) -> Result<Dbrp, V2Error> {
        let c: DbrpContent = self.core.patch(&Self::dbrp_path(org_id, id), body).await?;
        Ok(c.content)
    }

    pub async fn delete_dbrp(&self, org_id: &str, id: &str) -> Result<(), V2Error> {
        self.core.delete(&Self::dbrp_path(org_id, id)).await
    }

    /// Every mapping of `org_id`, from this process's snapshot.
    pub async fn dbrps_snapshot(&self, org_id: &str) -> Result<Arc<Listing<Dbrp>>, V2Error> {
        self.snapshots()
            .dbrps(org_id)
            .get(|| async { self.list_dbrps(org_id, &DbrpFilter::default()).await })
            .await
    }

    /// A mapping for a refresh: from the snapshot, else from one GET.
    pub async fn read_dbrp(&self, org_id: &str, id: &str) -> Result<Dbrp, V2Error> {
        if let Some(d) = self.dbrps_snapshot(org_id).await?.get(id) {
            return Ok(d.clone());
        }
        self.get_dbrp(org_id, id).await
    }

    // ---- v1 (legacy) authorizations ----

    /// `/private/legacy` on the same server.
    fn legacy(&self) -> HttpCore {
        self.core.rebased("/api/v2", "/private/legacy")
    }

    pub async fn create_legacy_authorization(
        &self,
        body: &CreateLegacyAuthorization,
    ) -> Result<LegacyAuthorization, V2CreateError> {
        self.legacy().create("/authorizations", body).await
    }

    pub async fn get_legacy_authorization(&self, id: &str) -> Result<LegacyAuthorization, V2Error> {
        self.legacy().get(&item("/authorizations", id)).await
    }

    /// Every v1 authorization the token may read.
    pub async fn list_legacy_authorizations(&self) -> Result<Vec<LegacyAuthorization>, V2Error> {
        let list: LegacyAuthorizations = self.legacy().get("/authorizations").await?;
        Ok(list.authorizations)
    }

    /// The v1 authorization whose user name is `token`; `None` when there is none (the server
    /// answers 404 rather than an empty list).
    pub async fn find_legacy_authorization(
        &self,
        token: &str,
    ) -> Result<Option<LegacyAuthorization>, V2Error> {
        let path = format!("/authorizations{}", query(&[("token", Some(token))]));
        match self.legacy().get::<LegacyAuthorizations>(&path).await {
            Ok(l) => Ok(l.authorizations.into_iter().find(|a| a.token == token)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub async fn update_legacy_authorization(
        &self,
        id: &str,
        body: &UpdateAuthorization,
    ) -> Result<LegacyAuthorization, V2Error> {
        self.legacy()
            .patch(&item("/authorizations", id), body)
            .await
    }

    pub async fn delete_legacy_authorization(&self, id: &str) -> Result<(), V2Error> {
        self.legacy().delete(&item("/authorizations", id)).await
    }

    /// Sets a v1 authorization's password (`POST .../{id}/password`, 204). Sent once; the
    /// password is registered for redaction first.
    pub async fn set_legacy_password(&self, id: &str, password: &str) -> Result<(), V2CreateError> {
        #[derive(Serialize)]
        struct Body<'a> {
            password: &'a str,
        }
        crate::log::redact(password);
        self.legacy()
            .post_once(
                &format!("{}/password", item("/authorizations", id)),
                &Body { password },
            )
            .await
    }

    /// Every v1 authorization, from this process's snapshot.
    pub async fn legacy_authorizations_snapshot(
        &self,
    ) -> Result<Arc<Listing<LegacyAuthorization>>, V2Error> {
        self.snapshots()
            .legacy_authorizations
            .get(|| self.list_legacy_authorizations())
            .await
    }

    /// A v1 authorization for a refresh: from the snapshot, else from one GET (a 404 there
    /// means it is gone).
    pub async fn read_legacy_authorization(
        &self,
        id: &str,
    ) -> Result<LegacyAuthorization, V2Error> {
        if let Some(a) = self.legacy_authorizations_snapshot().await?.get(id) {
            return Ok(a.clone());
        }
        self.get_legacy_authorization(id).await
    }
}
