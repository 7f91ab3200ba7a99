//! `ManagementClient`: the InfluxDB 3 Management API for Cloud Dedicated and Clustered, on the
//! shared HTTP core ([`crate::influxdb::http`]: retries, `Retry-After`, trust, proxies,
//! redaction). It adds the endpoints, the URL layout of each deployment and the
//! [`super::MANAGEMENT_API`] wording of errors.
//!
//! A failed create is reported with a [`CreateOutcome`] saying whether something may have been
//! created, so the caller can look for an orphan instead of creating a duplicate. Every write
//! drops the refresh snapshots (see [`super::snapshots`]). Access tokens from create responses
//! are registered with [`crate::log::redact`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::influxdb::http::{self, item, segment, CoreConfig, HttpCore, Listing, Policy};
pub use crate::influxdb::http::{CreateError, CreateOutcome, ErrorKind, HttpError};

use super::models::{
    CreateDatabase, CreateDatabaseToken, CreateTable, Database, DatabaseToken, Rename, Table,
    UpdateDatabase, UpdateDatabaseToken,
};
use super::snapshots::Snapshots;
use super::MANAGEMENT_API;

/// An error of the Management API.
pub type ApiError = HttpError;

/// Which deployment of the Management API: decides the URL layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Deployment {
    /// Cloud Dedicated: paths live under `/accounts/{account_id}/clusters/{cluster_id}`.
    Dedicated {
        account_id: String,
        cluster_id: String,
    },
    /// Clustered: paths live directly under `/api/v0`.
    Clustered,
}

#[derive(Clone)]
pub struct ClientConfig {
    /// Base URL, e.g. `https://console.influxdata.com` or `https://cluster-host.com`; a URL that
    /// already ends in `/api/v0` is accepted.
    pub url: String,
    pub deployment: Deployment,
    pub management_token: String,
    /// Timeouts and backoff.
    pub policy: Policy,
    /// Extra trusted root(s), PEM; the system roots stay trusted.
    pub ca_certificate: Option<String>,
}

impl ClientConfig {
    pub const DEFAULT_REQUEST_TIMEOUT: Duration = Policy::DEFAULT.request_timeout;
    pub const DEFAULT_RETRY_DEADLINE: Duration = Policy::DEFAULT.retry_deadline;

    /// A configuration with the default timeouts ([`Policy::DEFAULT`]).
    pub fn new(
        url: impl Into<String>,
        deployment: Deployment,
        management_token: impl Into<String>,
    ) -> Self {
        ClientConfig {
            url: url.into(),
            deployment,
            management_token: management_token.into(),
            policy: Policy::DEFAULT,
            ca_certificate: None,
        }
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("url", &self.url)
            .field("deployment", &self.deployment)
            .field("management_token", &"[REDACTED]")
            .field("policy", &self.policy)
            .field("ca_certificate", &self.ca_certificate.is_some())
            .finish()
    }
}

/// Client for one account/cluster (Dedicated) or one cluster (Clustered).
#[derive(Clone)]
pub struct ManagementClient {
    core: HttpCore,
    deployment: Deployment,
    /// Shared by clones: what a refresh reads (see [`super::snapshots`]).
    snapshots: Arc<Snapshots>,
}

impl fmt::Debug for ManagementClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManagementClient")
            .field("core", &self.core)
            .field("deployment", &self.deployment)
            .finish_non_exhaustive()
    }
}

impl ManagementClient {
    pub fn new(cfg: ClientConfig, cancel: CancellationToken) -> Result<Self, ApiError> {
        let snapshots = Arc::new(Snapshots::default());
        let core = HttpCore::new(CoreConfig {
            api: &MANAGEMENT_API,
            base: base_url(&cfg.url, &cfg.deployment)?,
            auth_scheme: "Bearer",
            token: &cfg.management_token,
            policy: cfg.policy,
            ca_certificate: cfg.ca_certificate.as_deref(),
            cancel,
        })?
        .with_snapshots(snapshots.clone());
        Ok(ManagementClient {
            core,
            deployment: cfg.deployment,
            snapshots,
        })
    }

    pub(crate) fn snapshots(&self) -> &Snapshots {
        &self.snapshots
    }

    pub fn deployment(&self) -> &Deployment {
        &self.deployment
    }

    /// The resolved base URL (`.../api/v0` or `.../api/v0/accounts/{a}/clusters/{c}`).
    pub fn base_url(&self) -> &str {
        self.core.base_url()
    }

    // ---- database tokens ----

    pub async fn list_tokens(&self) -> Result<Vec<DatabaseToken>, ApiError> {
        self.core.get("/tokens").await
    }

    pub async fn get_token(&self, id: &str) -> Result<DatabaseToken, ApiError> {
        self.core.get(&item("/tokens", id)).await
    }

    /// Creates a token; the result carries the access token, which the API never returns again.
    pub async fn create_token(
        &self,
        body: &CreateDatabaseToken,
    ) -> Result<DatabaseToken, CreateError> {
        let token = ("token", "revoke");
        self.core.create_with_secret("/tokens", body, token).await
    }

    pub async fn update_token(
        &self,
        id: &str,
        body: &UpdateDatabaseToken,
    ) -> Result<DatabaseToken, ApiError> {
        self.core.patch(&item("/tokens", id), body).await
    }

    /// Revokes a token (the API calls it delete; the token stays visible with `revokedAt`).
    pub async fn delete_token(&self, id: &str) -> Result<(), ApiError> {
        self.core.delete(&item("/tokens", id)).await
    }

    // ---- databases ----

    pub async fn list_databases(&self) -> Result<Vec<Database>, ApiError> {
        self.core.get("/databases").await
    }

    pub async fn create_database(&self, body: &CreateDatabase) -> Result<Database, CreateError> {
        self.core.create("/databases", body).await
    }

    pub async fn update_database(
        &self,
        name: &str,
        body: &UpdateDatabase,
    ) -> Result<Database, ApiError> {
        self.core.patch(&item("/databases", name), body).await
    }

    pub async fn delete_database(&self, name: &str) -> Result<(), ApiError> {
        self.core.delete(&item("/databases", name)).await
    }

    // ---- database rename and tables ----

    /// Renames a database in place (`PUT .../databases/{name}/rename`): its data, settings and
    /// tables are kept. Tokens still name the old database in their permissions.
    pub async fn rename_database(&self, name: &str, new_name: &str) -> Result<Database, ApiError> {
        // A PUT to a fixed target: repeating it is harmless (a repeat after success gets 404
        // for the old name, which the caller checks against the new name).
        let body = Rename {
            name: new_name.to_owned(),
        };
        self.core
            .put(&format!("/databases/{}/rename", segment(name)), &body)
            .await
    }

    /// Creates a table; without a partition template it inherits the database's.
    pub async fn create_table(
        &self,
        database: &str,
        body: &CreateTable,
    ) -> Result<Table, CreateError> {
        self.core
            .create(&format!("/databases/{}/tables", segment(database)), body)
            .await
    }

    /// Renames a table in place (`PUT .../tables/{name}/rename`).
    pub async fn rename_table(
        &self,
        database: &str,
        name: &str,
        new_name: &str,
    ) -> Result<Table, ApiError> {
        let body = Rename {
            name: new_name.to_owned(),
        };
        let path = format!(
            "/databases/{}/tables/{}/rename",
            segment(database),
            segment(name)
        );
        self.core.put(&path, &body).await
    }

    pub async fn delete_table(&self, database: &str, name: &str) -> Result<(), ApiError> {
        self.core
            .delete(&format!(
                "/databases/{}/tables/{}",
                segment(database),
                segment(name)
            ))
            .await
    }
}

/// Resolves the base URL for a deployment; `url` may already end in `/api/v0`.
fn base_url(url: &str, deployment: &Deployment) -> Result<String, ApiError> {
    let api = http::base_url(&MANAGEMENT_API, url, "/api/v0")?;
    Ok(match deployment {
        Deployment::Dedicated {
            account_id,
            cluster_id,
        } => {
            if account_id.trim().is_empty() || cluster_id.trim().is_empty() {
                return Err(HttpError::new(
                    &MANAGEMENT_API,
                    ErrorKind::InvalidConfig {
                        message: "Cloud Dedicated needs both `account_id` and `cluster_id` (or \
                                  INFLUXDB3_ACCOUNT_ID and INFLUXDB3_CLUSTER_ID)."
                            .into(),
                    },
                ));
            }
            format!(
                "{api}/accounts/{}/clusters/{}",
                segment(account_id.trim()),
                segment(cluster_id.trim())
            )
        }
        Deployment::Clustered => api,
    })
}

// ---- refresh: reads served from the snapshots ----

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_for_both_products() {
        let d = Deployment::Dedicated {
            account_id: "a".into(),
            cluster_id: "c".into(),
        };
        for url in [
            "https://console.influxdata.com",
            "https://console.influxdata.com/",
            "https://console.influxdata.com/api/v0",
            "https://console.influxdata.com/api/v0/",
        ] {
            assert_eq!(
                base_url(url, &d).unwrap(),
                "https://console.influxdata.com/api/v0/accounts/a/clusters/c"
            );
            assert_eq!(
                base_url(url, &Deployment::Clustered).unwrap(),
                "https://console.influxdata.com/api/v0"
            );
        }
        assert!(base_url("console.influxdata.com", &d).is_err());
        assert!(base_url("ftp://x", &d).is_err());
    }

    #[test]
    fn the_deadline_message_names_the_management_api_and_the_last_error() {
        let e = HttpError::new(
            &MANAGEMENT_API,
            ErrorKind::DeadlineExceeded {
                deadline: http::Deadline {
                    deadline: Duration::from_secs(60),
                    attempts: 7,
                    waited: Duration::from_millis(58_400),
                    retry_after: None,
                },
                last: Box::new(ErrorKind::Status {
                    status: 503,
                    message: "service unavailable".into(),
                }),
            },
        );
        let text = e.to_string();
        assert!(
            text.starts_with(
                "The InfluxDB Management API did not succeed after waiting 58.4 s and 7 tries \
                 (the retry deadline is 60 s)."
            ),
            "{text}"
        );
        assert!(
            text.contains("HTTP status 503: service unavailable"),
            "{text}"
        );
    }

    #[test]
    fn a_certificate_error_names_the_host_and_the_setting() {
        let e = HttpError::new(
            &MANAGEMENT_API,
            ErrorKind::Certificate {
                host: "cluster.example".into(),
                reason: "unknown issuer".into(),
            },
        );
        let text = e.to_string();
        for part in [
            "cluster.example",
            "unknown issuer",
            "`ca_certificate`",
            "INFLUXDB3_CA_CERTIFICATE",
            "cannot be turned off",
        ] {
            assert!(text.contains(part), "{part}: {text}");
        }
    }

    #[test]
    fn debug_never_prints_the_token() {
        let cfg = ClientConfig::new("https://h", Deployment::Clustered, "super-secret-token-1");
        assert!(!format!("{cfg:?}").contains("super-secret"));
        let c = ManagementClient::new(cfg, CancellationToken::new()).unwrap();
        assert!(!format!("{c:?}").contains("super-secret"));
    }
}
