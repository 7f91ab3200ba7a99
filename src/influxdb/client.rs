//! `ManagementClient`: the InfluxDB 3 Management API over HTTPS for Cloud Dedicated and
//! Clustered.
//!
//! Retry policy. Idempotent calls (GET, PATCH, DELETE) are retried on connection errors,
//! timeouts, 429 and 503 (honouring `Retry-After`, in seconds or as an HTTP date), 502 and 504,
//! with exponential backoff and jitter, until a total deadline. A certificate that does not
//! verify is permanent and never retried (see [`super::trust`]). A POST (create) is retried only when the connection could not be
//! opened, i.e. the request was certainly never sent; any other failure is reported with a
//! [`CreateOutcome`] saying whether something may have been created, so the caller can look for
//! an orphan instead of creating a duplicate. Every wait races the provider's cancellation
//! token (StopProvider).
//!
//! Trust and proxies: the system roots plus `ca_certificate`; `HTTPS_PROXY`, `HTTP_PROXY`,
//! `ALL_PROXY` and `NO_PROXY` are read from the environment (as curl does; no exception for
//! localhost unless NO_PROXY names it).
//!
//! Every write (any method but GET) drops the refresh snapshots when it finishes
//! (see [`super::snapshot`]).
//!
//! Secrets: the management token is registered with [`crate::log::redact`] and every message
//! that leaves this module is scrubbed; access tokens from create responses are registered too.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use tokio_util::sync::CancellationToken;

use super::models::{
    ApiErrorBody, CreateDatabase, CreateDatabaseToken, Database, DatabaseToken, UpdateDatabase,
    UpdateDatabaseToken,
};
use super::snapshot::Snapshots;

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
        deadline: Duration,
        attempts: u32,
        /// From the first attempt to giving up.
        waited: Duration,
        /// The server's last `Retry-After`, when waiting for it would have passed the deadline.
        retry_after: Option<Duration>,
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
            ApiError::Certificate { host, reason } => format!(
                "The TLS certificate of {host} could not be verified: {reason}. If the \
                 Management API uses a private certificate authority, set the provider's \
                 `ca_certificate` to that CA's certificate in PEM form (for example \
                 `ca_certificate = file(\"ca.pem\")`) or INFLUXDB3_CA_CERTIFICATE to its path. \
                 Certificate verification cannot be turned off."
            ),
            ApiError::DeadlineExceeded {
                deadline,
                attempts,
                waited,
                retry_after,
                last,
            } => deadline_message(*deadline, *attempts, *waited, *retry_after, last),
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

/// Whether a failed create may have created something on the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CreateOutcome {
    /// The request never left the client (connection refused, bad configuration, cancelled
    /// before sending): nothing was created.
    NotSent,
    /// The server answered with an error status that means it did not act (4xx): nothing was
    /// created.
    Rejected,
    /// The request was sent but no trustworthy answer came back (timeout, connection lost,
    /// 500/502/503/504, cancelled mid-flight): the object may or may not exist.
    Unknown,
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

fn deadline_message(
    deadline: Duration,
    attempts: u32,
    waited: Duration,
    retry_after: Option<Duration>,
    last: &ApiError,
) -> String {
    let tries = if attempts == 1 { "try" } else { "tries" };
    let why = match retry_after {
        Some(ra) => format!(
            "; the server then asked to retry after {} s, which is past the retry deadline of \
             {} s",
            ra.as_secs(),
            deadline.as_secs()
        ),
        None => format!(" (the retry deadline is {} s)", deadline.as_secs()),
    };
    format!(
        "The InfluxDB Management API did not succeed after waiting {:.1} s and {attempts} \
         {tries}{why}. Last error: {last}",
        waited.as_secs_f64()
    )
}

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

/// What one attempt produced.
enum Attempt {
    Response {
        status: StatusCode,
        headers: HeaderMap,
        body: Vec<u8>,
    },
    /// No response; `connect` says the connection was never opened (request not sent).
    Failed { error: ApiError, connect: bool },
}

/// How `call` failed, with what a create needs to know.
struct Failure {
    error: ApiError,
    outcome: CreateOutcome,
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
        let http = reqwest::Client::builder()
            .tls_certs_merge(extra_roots)
            .timeout(cfg.request_timeout)
            .connect_timeout(cfg.request_timeout.min(Duration::from_secs(10)))
            .pool_idle_timeout(Duration::from_secs(30))
            .user_agent(concat!(
                "terraform-provider-influxdb/",
                env!("CARGO_PKG_VERSION")
            ))
            .build()
            .map_err(|e| ApiError::InvalidConfig {
                message: format!("could not build the HTTP client: {}", error_chain(&e)),
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

    /// Sends one call, with retries as the module documentation describes, and returns the
    /// body of a 2xx response. A write, whatever its outcome, drops the refresh snapshots.
    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
        idempotent: bool,
    ) -> Result<Vec<u8>, Failure> {
        let write = method != Method::GET;
        let result = self.call_with_retries(method, path, body, idempotent).await;
        if write {
            self.snapshots.invalidate();
        }
        result
    }

    async fn call_with_retries(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
        idempotent: bool,
    ) -> Result<Vec<u8>, Failure> {
        let url = format!("{}{}", self.base, path);
        let start = Instant::now();
        let deadline = start + self.retry_deadline;
        let mut attempt: u32 = 0;
        let mut backoff = self.initial_backoff;
        loop {
            attempt += 1;
            if self.cancel.is_cancelled() {
                return Err(Failure {
                    error: ApiError::Cancelled,
                    // Nothing is in flight between attempts.
                    outcome: CreateOutcome::NotSent,
                });
            }
            let remaining = deadline.saturating_duration_since(Instant::now());
            // Idempotent calls fit every attempt inside the deadline; a create gets its full
            // request timeout, since it runs once.
            let timeout = if idempotent {
                self.request_timeout
                    .min(remaining)
                    .max(Duration::from_millis(1))
            } else {
                self.request_timeout
            };
            let attempt_start = Instant::now();
            let result = tokio::select! {
                biased;
                _ = self.cancel.cancelled() => {
                    crate::debug!("management API request cancelled", "method" = method,
                        "path" = path, "attempt" = attempt);
                    return Err(Failure { error: ApiError::Cancelled, outcome: CreateOutcome::Unknown });
                }
                r = self.attempt(method.clone(), &url, body.clone(), timeout) => r,
            };
            let elapsed_ms = attempt_start.elapsed().as_millis();

            let (error, retryable, retry_after, outcome) = match result {
                Attempt::Response {
                    status,
                    headers,
                    body,
                } => {
                    crate::debug!(
                        "management API request",
                        "method" = method,
                        "path" = path,
                        "status" = status.as_u16(),
                        "attempt" = attempt,
                        "elapsed_ms" = elapsed_ms
                    );
                    if status.is_success() {
                        return Ok(body);
                    }
                    let error = status_error(status, &body);
                    let transient = matches!(status.as_u16(), 429 | 502 | 503 | 504);
                    let outcome = if matches!(status.as_u16(), 500 | 502 | 503 | 504) {
                        CreateOutcome::Unknown
                    } else {
                        CreateOutcome::Rejected
                    };
                    let retry_after = if status == StatusCode::TOO_MANY_REQUESTS
                        || status == StatusCode::SERVICE_UNAVAILABLE
                    {
                        retry_after(&headers, SystemTime::now())
                    } else {
                        None
                    };
                    (error, idempotent && transient, retry_after, outcome)
                }
                Attempt::Failed { error, .. } if matches!(error, ApiError::Certificate { .. }) => {
                    // Permanent, and the handshake failed before anything was sent.
                    return Err(Failure {
                        error,
                        outcome: CreateOutcome::NotSent,
                    });
                }
                Attempt::Failed { error, connect } => {
                    crate::debug!(
                        "management API request failed",
                        "method" = method,
                        "path" = path,
                        "attempt" = attempt,
                        "elapsed_ms" = elapsed_ms,
                        "error" = error
                    );
                    let outcome = if connect {
                        CreateOutcome::NotSent
                    } else {
                        CreateOutcome::Unknown
                    };
                    // A create is retried only when it certainly never left the client.
                    (error, idempotent || connect, None, outcome)
                }
            };
            if !retryable {
                return Err(Failure { error, outcome });
            }

            let jittered = backoff.mul_f64(0.5 + fastrand::f64() * 0.5);
            // The server's Retry-After is a floor: never retry sooner than it asked.
            let wait = retry_after.map_or(jittered, |ra| ra.max(jittered));
            backoff = (backoff * 2).min(self.max_backoff);
            if Instant::now() + wait >= deadline {
                return Err(Failure {
                    error: ApiError::DeadlineExceeded {
                        deadline: self.retry_deadline,
                        attempts: attempt,
                        waited: start.elapsed(),
                        retry_after: retry_after.filter(|&ra| Instant::now() + ra >= deadline),
                        last: Box::new(error),
                    },
                    outcome,
                });
            }
            crate::debug!(
                "retrying management API request",
                "method" = method,
                "path" = path,
                "attempt" = attempt,
                "wait_ms" = wait.as_millis(),
                "error" = error
            );
            tokio::select! {
                biased;
                _ = self.cancel.cancelled() => {
                    return Err(Failure { error: ApiError::Cancelled, outcome });
                }
                _ = tokio::time::sleep(wait) => {}
            }
        }
    }

    async fn attempt(
        &self,
        method: Method,
        url: &str,
        body: Option<Vec<u8>>,
        timeout: Duration,
    ) -> Attempt {
        let mut req = self
            .http
            .request(method, url)
            .timeout(timeout)
            .header(AUTHORIZATION, &self.auth)
            .header(ACCEPT, "application/json");
        if let Some(body) = body {
            req = req.header(CONTENT_TYPE, "application/json").body(body);
        }
        let resp = match req.send().await {
            Ok(r) => r,
            Err(e) => {
                if let Some(reason) = super::trust::certificate_failure(&e) {
                    let host = reqwest::Url::parse(url)
                        .ok()
                        .and_then(|u| u.host_str().map(str::to_owned))
                        .unwrap_or_default();
                    return Attempt::Failed {
                        error: ApiError::Certificate { host, reason },
                        connect: true,
                    };
                }
                return transport_failure(&e);
            }
        };
        let status = resp.status();
        let headers = resp.headers().clone();
        match resp.bytes().await {
            Ok(b) => Attempt::Response {
                status,
                headers,
                body: b.to_vec(),
            },
            Err(e) => transport_failure(&e),
        }
    }
}

fn transport_failure(e: &reqwest::Error) -> Attempt {
    Attempt::Failed {
        error: ApiError::Transport {
            message: crate::log::scrub(&error_chain(e)),
            timeout: e.is_timeout(),
        },
        connect: e.is_connect() && !e.is_timeout(),
    }
}

/// The error and its sources, without the URL (which reqwest prints and we already know).
fn error_chain(e: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut cur: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(s) = cur {
        let text = s.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        cur = s.source();
    }
    let head = if e.is_timeout() {
        "operation timed out"
    } else if e.is_connect() {
        "connection failed"
    } else if e.is_body() || e.is_decode() {
        "reading the response failed"
    } else if e.is_request() {
        "sending the request failed"
    } else {
        "HTTP error"
    };
    let mut out = head.to_owned();
    for p in parts {
        out.push_str(": ");
        out.push_str(&p);
    }
    crate::log::scrub(&out)
}

fn status_error(status: StatusCode, body: &[u8]) -> ApiError {
    let message = match serde_json::from_slice::<ApiErrorBody>(body) {
        Ok(b) if !b.message.trim().is_empty() => b.message,
        _ => {
            let text = String::from_utf8_lossy(body);
            let text = text.trim();
            if text.is_empty() {
                status
                    .canonical_reason()
                    .unwrap_or("no message")
                    .to_ascii_lowercase()
            } else {
                text.chars().take(500).collect()
            }
        }
    };
    let message = crate::log::scrub(&message);
    match status.as_u16() {
        400 => ApiError::BadRequest { message },
        401 => ApiError::Unauthorized { message },
        403 => ApiError::Forbidden { message },
        404 => ApiError::NotFound { message },
        409 => ApiError::Conflict { message },
        s => ApiError::Status { status: s, message },
    }
}

fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    parse_retry_after(headers.get(RETRY_AFTER)?.to_str().ok()?, now)
}

/// `Retry-After` as delta-seconds (`120`) or an HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`),
/// as a wait from `now`; a date in the past means "now". Anything else is ignored (our own
/// backoff applies).
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(v).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
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
    fn retry_after_in_seconds_or_as_an_http_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_400); // 07:26:40 GMT
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(80))
        );
        // The obsolete forms HTTP/1.1 still accepts.
        assert_eq!(
            parse_retry_after("Wednesday, 21-Oct-15 07:28:00 GMT", now),
            Some(Duration::from_secs(80))
        );
        assert_eq!(
            parse_retry_after("Wed Oct 21 07:28:00 2015", now),
            Some(Duration::from_secs(80))
        );
        // A date already past: retry now.
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("-5", now), None);
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn the_deadline_message_says_how_long_and_how_many_tries() {
        let last = ApiError::Status {
            status: 503,
            message: "service unavailable".into(),
        };
        let e = ApiError::DeadlineExceeded {
            deadline: Duration::from_secs(60),
            attempts: 7,
            waited: Duration::from_millis(58_400),
            retry_after: None,
            last: Box::new(last.clone()),
        };
        let text = e.to_string();
        assert!(
            text.contains("after waiting 58.4 s and 7 tries (the retry deadline is 60 s)"),
            "{text}"
        );
        assert!(
            text.contains("HTTP status 503: service unavailable"),
            "{text}"
        );

        let e = ApiError::DeadlineExceeded {
            deadline: Duration::from_secs(60),
            attempts: 1,
            waited: Duration::from_millis(20),
            retry_after: Some(Duration::from_secs(120)),
            last: Box::new(last),
        };
        let text = e.to_string();
        assert!(text.contains("after waiting 0.0 s and 1 try;"), "{text}");
        assert!(
            text.contains("asked to retry after 120 s, which is past the retry deadline of 60 s"),
            "{text}"
        );
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
