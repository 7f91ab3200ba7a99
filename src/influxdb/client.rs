//! `ManagementClient`: the InfluxDB 3 Management API over HTTPS for Cloud Dedicated and
//! Clustered.
//!
//! Retry policy: the one of [`super::retry`], shared with the v2 client (`Retry-After` in
//! both forms, a certificate that does not verify fails at once). A failed create is reported
//! with a [`CreateOutcome`] saying whether something may have been created, so the caller can
//! look for an orphan instead of creating a duplicate.
//!
//! Trust and proxies: the system roots plus `ca_certificate`, proxies from the environment
//! (see [`super::trust`]).
//!
//! Every write (any method but GET) drops the refresh snapshots when it finishes
//! (see [`super::snapshot`]).
//!
//! Secrets: the management token is registered with [`crate::log::redact`] and every message
//! that leaves this module is scrubbed; access tokens from create responses are registered too.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use tokio_util::sync::CancellationToken;

pub use super::retry::CreateOutcome;
use super::retry::{
    certificate_message, error_chain, error_message, Call, CallError, Deadline, Failure, Policy,
};
use super::snapshot::Snapshots;

use super::models::{
    ApiErrorBody, CreateDatabase, CreateDatabaseToken, CreateTable, Database, DatabaseToken,
    Rename, Table, UpdateDatabase, UpdateDatabaseToken,
};

/// Which product the API belongs to; decides the URL layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Product {
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
    pub product: Product,
    pub management_token: String,
    /// Limit for one HTTP attempt, from connecting to the end of the response body.
    pub request_timeout: Duration,
    /// Limit for all attempts of one call, backoff included.
    pub retry_deadline: Duration,
    /// First backoff between retries; doubled each time up to `max_backoff`, with jitter.
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
    /// Extra trusted root(s), PEM; the system roots stay trusted.
    pub ca_certificate: Option<String>,
}

impl ClientConfig {
    pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
    pub const DEFAULT_RETRY_DEADLINE: Duration = Duration::from_secs(60);

    /// A configuration with the default timeouts: 30 s per request, 60 s for all retries,
    /// backoff from 500 ms up to 8 s.
    pub fn new(
        url: impl Into<String>,
        product: Product,
        management_token: impl Into<String>,
    ) -> Self {
        ClientConfig {
            url: url.into(),
            product,
            management_token: management_token.into(),
            request_timeout: Self::DEFAULT_REQUEST_TIMEOUT,
            retry_deadline: Self::DEFAULT_RETRY_DEADLINE,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            ca_certificate: None,
        }
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("url", &self.url)
            .field("product", &self.product)
            .field("management_token", &"[REDACTED]")
            .field("request_timeout", &self.request_timeout)
            .field("retry_deadline", &self.retry_deadline)
            .field("initial_backoff", &self.initial_backoff)
            .field("max_backoff", &self.max_backoff)
            .field("ca_certificate", &self.ca_certificate.is_some())
            .finish()
    }
}

/// A failed Management API call. Messages are complete sentences meant for a Terraform
/// diagnostic and never contain the management token.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// The provider configuration cannot produce a client (bad URL, empty token).
    InvalidConfig { message: String },
    /// 401: the management token was rejected.
    Unauthorized { message: String },
    /// 403: the token may not act on this account or cluster.
    Forbidden { message: String },
    /// 404.
    NotFound { message: String },
    /// 409.
    Conflict { message: String },
    /// 400: the server's message says what it did not accept.
    BadRequest { message: String },
    /// Any other error status.
    Status { status: u16, message: String },
    /// No usable HTTP response: connection refused or lost, TLS failure, timeout.
    Transport { message: String, timeout: bool },
    /// A success status with a body that does not match the API's schema.
    Decode { message: String },
    /// The call was abandoned because Terraform asked the provider to stop.
    Cancelled,
    /// The server's TLS certificate did not verify: permanent, never retried.
    Certificate { host: String, reason: String },
    /// Retries did not succeed within the configured deadline.
    DeadlineExceeded {
        deadline: Deadline,
        last: Box<ApiError>,
    },
}

impl ApiError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, ApiError::NotFound { .. })
    }
    pub fn is_conflict(&self) -> bool {
        matches!(self, ApiError::Conflict { .. })
    }
    pub fn is_cancelled(&self) -> bool {
        matches!(self, ApiError::Cancelled)
    }
    /// The HTTP status the server answered with, if it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Unauthorized { .. } => Some(401),
            ApiError::Forbidden { .. } => Some(403),
            ApiError::NotFound { .. } => Some(404),
            ApiError::Conflict { .. } => Some(409),
            ApiError::BadRequest { .. } => Some(400),
            ApiError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            ApiError::InvalidConfig { message } => {
                format!("Invalid Management API client configuration: {message}")
            }
            ApiError::Unauthorized { message } => format!(
                "The InfluxDB Management API rejected the management token (401 Unauthorized: \
                 {message}). Check the provider's `management_token` argument or the \
                 INFLUXDB3_MANAGEMENT_TOKEN environment variable; management tokens can expire, \
                 so you may need to create a new one."
            ),
            ApiError::Forbidden { message } => format!(
                "The management token is not allowed to manage this account or cluster \
                 (403 Forbidden: {message}). Check the provider's `account_id` and `cluster_id` \
                 arguments (or INFLUXDB3_ACCOUNT_ID and INFLUXDB3_CLUSTER_ID) and that the \
                 management token was issued for that account."
            ),
            ApiError::NotFound { message } => {
                format!("The InfluxDB Management API reports 404 Not Found: {message}.")
            }
            ApiError::Conflict { message } => format!(
                "The InfluxDB Management API reports a conflict (409 Conflict: {message}); an \
                 object with the same name may already exist. Import it or choose another name."
            ),
            ApiError::BadRequest { message } => format!(
                "The InfluxDB Management API did not accept the request (400 Bad Request): \
                 {message}"
            ),
            ApiError::Status { status, message } => {
                format!("The InfluxDB Management API answered with HTTP status {status}: {message}")
            }
            ApiError::Transport { message, timeout } => {
                if *timeout {
                    format!(
                        "The request to the InfluxDB Management API timed out: {message}. Check \
                         the provider's `url` and your network or proxy settings."
                    )
                } else {
                    format!(
                        "Could not reach the InfluxDB Management API: {message}. Check the \
                         provider's `url` and your network or proxy settings (HTTPS_PROXY, \
                         NO_PROXY)."
                    )
                }
            }
            ApiError::Decode { message } => format!(
                "The InfluxDB Management API sent a response this provider cannot read: {message}"
            ),
            ApiError::Cancelled => {
                "The request to the InfluxDB Management API was cancelled because Terraform is \
                 stopping the provider."
                    .to_owned()
            }
            ApiError::Certificate { host, reason } => certificate_message(
                host,
                reason,
                "the provider's `ca_certificate` (or INFLUXDB3_CA_CERTIFICATE, the path of a PEM \
                 file)",
            ),
            ApiError::DeadlineExceeded { deadline, last } => {
                deadline.describe("The InfluxDB Management API", last)
            }
        };
        f.write_str(&crate::log::scrub(&text))
    }
}

impl std::error::Error for ApiError {}

/// For deletes: an object that is already gone (404) counts as deleted.
pub fn gone_is_ok(r: Result<(), ApiError>) -> Result<(), ApiError> {
    match r {
        Err(e) if e.is_not_found() => Ok(()),
        other => other,
    }
}

/// A failed create call: the error plus what it means for the server's state.
#[derive(Clone, Debug, PartialEq)]
pub struct CreateError {
    pub error: ApiError,
    pub outcome: CreateOutcome,
}

impl CreateError {
    pub fn may_have_been_created(&self) -> bool {
        self.outcome == CreateOutcome::Unknown
    }
}

impl fmt::Display for CreateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.error)?;
        if self.outcome == CreateOutcome::Unknown {
            f.write_str(
                " The request may have reached the server, so the object may have been created.",
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for CreateError {}

/// Client for one account/cluster (Dedicated) or one cluster (Clustered).
#[derive(Clone)]
pub struct ManagementClient {
    http: reqwest::Client,
    /// `{url}/api/v0` or `{url}/api/v0/accounts/{a}/clusters/{c}`, without a trailing slash.
    base: String,
    /// `Bearer <token>`, kept apart from everything that is logged.
    auth: String,
    product: Product,
    request_timeout: Duration,
    retry_deadline: Duration,
    initial_backoff: Duration,
    max_backoff: Duration,
    cancel: CancellationToken,
    /// Shared by clones: what a refresh reads (see [`super::snapshot`]).
    snapshots: Arc<Snapshots>,
}

impl fmt::Debug for ManagementClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManagementClient")
            .field("base", &self.base)
            .field("product", &self.product)
            .field("management_token", &"[REDACTED]")
            .finish_non_exhaustive()
    }
}

impl ManagementClient {
    pub fn new(cfg: ClientConfig, cancel: CancellationToken) -> Result<Self, ApiError> {
        let token = cfg.management_token.trim();
        if token.is_empty() {
            return Err(ApiError::InvalidConfig {
                message: "the management token is empty; set the provider's `management_token` \
                          argument or the INFLUXDB3_MANAGEMENT_TOKEN environment variable."
                    .into(),
            });
        }
        crate::log::redact(token);
        let base = base_url(&cfg.url, &cfg.product)?;
        let extra_roots = match cfg.ca_certificate.as_deref() {
            Some(pem) => super::trust::parse_ca_pem(pem).map_err(|e| ApiError::InvalidConfig {
                message: format!("the provider's `ca_certificate` is not usable: {e}"),
            })?,
            None => Vec::new(),
        };
        let http = super::trust::http_client(cfg.request_timeout, extra_roots).map_err(|e| {
            ApiError::InvalidConfig {
                message: format!("could not build the HTTP client: {}", error_chain(&e)),
            }
        })?;
        Ok(ManagementClient {
            http,
            base,
            auth: format!("Bearer {token}"),
            product: cfg.product,
            request_timeout: cfg.request_timeout,
            retry_deadline: cfg.retry_deadline,
            initial_backoff: cfg.initial_backoff,
            max_backoff: cfg.max_backoff.max(cfg.initial_backoff),
            cancel,
            snapshots: Arc::default(),
        })
    }

    pub(crate) fn snapshots(&self) -> &Snapshots {
        &self.snapshots
    }

    pub fn product(&self) -> &Product {
        &self.product
    }

    /// The resolved base URL (`.../api/v0` or `.../api/v0/accounts/{a}/clusters/{c}`).
    pub fn base_url(&self) -> &str {
        &self.base
    }

    // ---- database tokens ----

    pub async fn list_tokens(&self) -> Result<Vec<DatabaseToken>, ApiError> {
        self.json(Method::GET, "/tokens".into(), None).await
    }

    pub async fn get_token(&self, id: &str) -> Result<DatabaseToken, ApiError> {
        self.json(Method::GET, format!("/tokens/{}", segment(id)), None)
            .await
    }

    /// Creates a token; the result carries the access token, which the API never returns again.
    pub async fn create_token(
        &self,
        body: &CreateDatabaseToken,
    ) -> Result<DatabaseToken, CreateError> {
        let token: DatabaseToken = self.create("/tokens", body).await?;
        match token.access_token.as_deref() {
            Some(secret) if !secret.is_empty() => {
                crate::log::redact(secret);
                Ok(token)
            }
            _ => Err(CreateError {
                error: ApiError::Decode {
                    message: format!(
                        "the create response for token {} has no accessToken, so the token's \
                         secret is lost; revoke that token and create a new one.",
                        token.id
                    ),
                },
                // The token exists on the server.
                outcome: CreateOutcome::Unknown,
            }),
        }
    }

    pub async fn update_token(
        &self,
        id: &str,
        body: &UpdateDatabaseToken,
    ) -> Result<DatabaseToken, ApiError> {
        let body = to_body(body)?;
        self.json(
            Method::PATCH,
            format!("/tokens/{}", segment(id)),
            Some(body),
        )
        .await
    }

    /// Revokes a token (the API calls it delete; the token stays visible with `revokedAt`).
    pub async fn delete_token(&self, id: &str) -> Result<(), ApiError> {
        self.empty(Method::DELETE, format!("/tokens/{}", segment(id)))
            .await
    }

    // ---- databases ----

    pub async fn list_databases(&self) -> Result<Vec<Database>, ApiError> {
        self.json(Method::GET, "/databases".into(), None).await
    }

    pub async fn create_database(&self, body: &CreateDatabase) -> Result<Database, CreateError> {
        self.create("/databases", body).await
    }

    pub async fn update_database(
        &self,
        name: &str,
        body: &UpdateDatabase,
    ) -> Result<Database, ApiError> {
        let body = to_body(body)?;
        self.json(
            Method::PATCH,
            format!("/databases/{}", segment(name)),
            Some(body),
        )
        .await
    }

    pub async fn delete_database(&self, name: &str) -> Result<(), ApiError> {
        self.empty(Method::DELETE, format!("/databases/{}", segment(name)))
            .await
    }

    // ---- database rename and tables ----

    /// Renames a database in place (`PUT .../databases/{name}/rename`): its data, settings and
    /// tables are kept. Tokens still name the old database in their permissions.
    pub async fn rename_database(&self, name: &str, new_name: &str) -> Result<Database, ApiError> {
        let body = to_body(&Rename {
            name: new_name.to_owned(),
        })?;
        // A PUT to a fixed target: repeating it is harmless (a repeat after success gets 404
        // for the old name, which the caller checks against the new name).
        self.json(
            Method::PUT,
            format!("/databases/{}/rename", segment(name)),
            Some(body),
        )
        .await
    }

    /// Creates a table; without a partition template it inherits the database's.
    pub async fn create_table(
        &self,
        database: &str,
        body: &CreateTable,
    ) -> Result<Table, CreateError> {
        self.create(&format!("/databases/{}/tables", segment(database)), body)
            .await
    }

    /// Renames a table in place (`PUT .../tables/{name}/rename`).
    pub async fn rename_table(
        &self,
        database: &str,
        name: &str,
        new_name: &str,
    ) -> Result<Table, ApiError> {
        let body = to_body(&Rename {
            name: new_name.to_owned(),
        })?;
        self.json(
            Method::PUT,
            format!(
                "/databases/{}/tables/{}/rename",
                segment(database),
                segment(name)
            ),
            Some(body),
        )
        .await
    }

    pub async fn delete_table(&self, database: &str, name: &str) -> Result<(), ApiError> {
        self.empty(
            Method::DELETE,
            format!("/databases/{}/tables/{}", segment(database), segment(name)),
        )
        .await
    }

    // ---- plumbing ----

    async fn json<T: DeserializeOwned>(
        &self,
        method: Method,
        path: String,
        body: Option<Vec<u8>>,
    ) -> Result<T, ApiError> {
        let bytes = self
            .call(method, &path, body, true)
            .await
            .map_err(|f| f.error)?;
        decode(&bytes)
    }

    async fn empty(&self, method: Method, path: String) -> Result<(), ApiError> {
        self.call(method, &path, None, true)
            .await
            .map(|_| ())
            .map_err(|f| f.error)
    }

    async fn create<B: serde::Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, CreateError> {
        let body = to_body(body).map_err(|error| CreateError {
            error,
            outcome: CreateOutcome::NotSent,
        })?;
        let bytes = self
            .call(Method::POST, path, Some(body), false)
            .await
            .map_err(|f| CreateError {
                error: f.error,
                outcome: f.outcome,
            })?;
        // The server said 2xx: the object exists even if we cannot read the answer.
        decode(&bytes).map_err(|error| CreateError {
            error,
            outcome: CreateOutcome::Unknown,
        })
    }

    /// Sends one call with the shared retry policy and returns the body of a 2xx response. A
    /// write, whatever its outcome, drops the refresh snapshots.
    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
        idempotent: bool,
    ) -> Result<Vec<u8>, Failure<ApiError>> {
        let write = method != Method::GET;
        let result = Call {
            http: &self.http,
            auth: &self.auth,
            policy: Policy {
                request_timeout: self.request_timeout,
                retry_deadline: self.retry_deadline,
                initial_backoff: self.initial_backoff,
                max_backoff: self.max_backoff,
            },
            cancel: &self.cancel,
            api: "management API",
            url: format!("{}{}", self.base, path),
            method,
            path,
            body,
            idempotent,
        }
        .send()
        .await;
        if write {
            self.snapshots.invalidate();
        }
        result
    }
}

impl CallError for ApiError {
    fn from_status(status: StatusCode, body: &[u8]) -> Self {
        status_error(status, body)
    }
    fn transport(message: String, timeout: bool) -> Self {
        ApiError::Transport { message, timeout }
    }
    fn cancelled() -> Self {
        ApiError::Cancelled
    }
    fn certificate(host: String, reason: String) -> Self {
        ApiError::Certificate { host, reason }
    }
    fn deadline_exceeded(deadline: Deadline, last: Self) -> Self {
        ApiError::DeadlineExceeded {
            deadline,
            last: Box::new(last),
        }
    }
}

fn status_error(status: StatusCode, body: &[u8]) -> ApiError {
    let json = serde_json::from_slice::<ApiErrorBody>(body)
        .ok()
        .map(|b| b.message);
    let message = error_message(status, json, body);
    match status.as_u16() {
        400 => ApiError::BadRequest { message },
        401 => ApiError::Unauthorized { message },
        403 => ApiError::Forbidden { message },
        404 => ApiError::NotFound { message },
        409 => ApiError::Conflict { message },
        s => ApiError::Status { status: s, message },
    }
}

fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // The serde message names only positions and types (it may quote a value, so scrub).
    serde_json::from_slice(bytes).map_err(|e| ApiError::Decode {
        message: crate::log::scrub(&format!(
            "the response body does not match the API schema ({e})"
        )),
    })
}

fn to_body<B: serde::Serialize>(body: &B) -> Result<Vec<u8>, ApiError> {
    serde_json::to_vec(body).map_err(|e| ApiError::InvalidConfig {
        message: format!("could not encode the request body: {e}"),
    })
}

/// Resolves the base URL for a product; `url` may already end in `/api/v0`.
fn base_url(url: &str, product: &Product) -> Result<String, ApiError> {
    let trimmed = url.trim().trim_end_matches('/');
    let parsed = reqwest::Url::parse(trimmed).map_err(|e| ApiError::InvalidConfig {
        message: format!(
            "the URL {trimmed:?} is not valid ({e}); use a form such as \
             \"https://console.influxdata.com\" or \"https://cluster-host.com\"."
        ),
    })?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(ApiError::InvalidConfig {
            message: format!(
                "the URL {trimmed:?} must start with https:// (or http://) followed by a host."
            ),
        });
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(ApiError::InvalidConfig {
            message: format!("the URL {trimmed:?} must not have a query or fragment."),
        });
    }
    let api = if trimmed.ends_with("/api/v0") {
        trimmed.to_owned()
    } else {
        format!("{trimmed}/api/v0")
    };
    Ok(match product {
        Product::Dedicated {
            account_id,
            cluster_id,
        } => {
            if account_id.trim().is_empty() || cluster_id.trim().is_empty() {
                return Err(ApiError::InvalidConfig {
                    message: "Cloud Dedicated needs both `account_id` and `cluster_id` (or \
                              INFLUXDB3_ACCOUNT_ID and INFLUXDB3_CLUSTER_ID)."
                        .into(),
                });
            }
            format!(
                "{api}/accounts/{}/clusters/{}",
                segment(account_id.trim()),
                segment(cluster_id.trim())
            )
        }
        Product::Clustered => api,
    })
}

/// Percent-encodes one path segment (database names may contain `/`).
pub fn segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_for_both_products() {
        let d = Product::Dedicated {
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
                base_url(url, &Product::Clustered).unwrap(),
                "https://console.influxdata.com/api/v0"
            );
        }
        assert!(base_url("console.influxdata.com", &d).is_err());
        assert!(base_url("ftp://x", &d).is_err());
    }

    #[test]
    fn the_deadline_message_names_the_management_api_and_the_last_error() {
        let e = ApiError::DeadlineExceeded {
            deadline: Deadline {
                deadline: Duration::from_secs(60),
                attempts: 7,
                waited: Duration::from_millis(58_400),
                retry_after: None,
            },
            last: Box::new(ApiError::Status {
                status: 503,
                message: "service unavailable".into(),
            }),
        };
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
        let e = ApiError::Certificate {
            host: "cluster.example".into(),
            reason: "unknown issuer".into(),
        };
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
    fn segments_are_percent_encoded() {
        assert_eq!(segment("team/metrics"), "team%2Fmetrics");
        assert_eq!(segment("a-b_c"), "a-b_c");
    }

    #[test]
    fn debug_never_prints_the_token() {
        let cfg = ClientConfig::new("https://h", Product::Clustered, "super-secret-token-1");
        assert!(!format!("{cfg:?}").contains("super-secret"));
        let c = ManagementClient::new(cfg, CancellationToken::new()).unwrap();
        assert!(!format!("{c:?}").contains("super-secret"));
    }
}
