//! The HTTP core every InfluxDB API client is built on: base URL, TLS trust
//! (`ca_certificate`, see [`trust`]), proxies from the environment, the retry policy with
//! `Retry-After` and certificate errors ([`retry`]), redaction of the token, JSON encoding and
//! decoding, one error type ([`HttpError`]) worded by each family's [`Api`], and the refresh
//! snapshots a write drops ([`snapshot`]).
//!
//! Two properties every client gets from the core, whatever its family:
//! - **Stopping never leaves an object behind** ([`stop`]): on Terraform's stop signal (the
//!   first Ctrl-C) calls not yet sent, retries, back-off waits and reads in flight are
//!   cancelled, but a write that has left the client (a create above all) waits for its answer
//!   up to its request timeout, so what the server made reaches the state. Lost-answer recovery
//!   and the Close of ephemeral objects run inside [`cleanup`], on their own short deadline and
//!   not on the stop signal.
//! - **A wrong address is said at once** ([`reach`]): connection refused or a name that does
//!   not resolve, before the server has ever answered in this process, fails after a few tries
//!   naming the URL and the setting it came from; once it has answered, failures are retried
//!   until the retry deadline (the provider's `retry_timeout`).
//!
//! An API family's client (`management::ManagementClient`, `v2::V2Client`, ...) holds an
//! [`HttpCore`] and adds only its endpoints and its [`Api`] description.

pub mod error;
pub mod reach;
pub mod retry;
pub mod snapshot;
pub mod stop;
pub mod trust;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio_util::sync::CancellationToken;

pub use error::{
    error_field, gone_is_ok, message_field, Api, CreateError, CreateOutcome, Deadline, ErrorKind,
    HttpError,
};
pub use retry::Policy;
pub use snapshot::{Invalidate, Listing, Snapshot};
pub use stop::cleanup;

use retry::{error_chain, Call, Failure};

const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";

impl Policy {
    /// 30 s per request, 60 s for all retries, backoff from 500 ms up to 8 s.
    pub const DEFAULT: Policy = Policy {
        request_timeout: Duration::from_secs(30),
        retry_deadline: Duration::from_secs(60),
        initial_backoff: Duration::from_millis(500),
        max_backoff: Duration::from_secs(8),
    };
}

/// An object whose create answer carries a secret returned only once.
pub trait WithSecret {
    fn id(&self) -> &str;
    fn secret(&self) -> Option<&str>;
}

/// What a client is built from.
pub struct CoreConfig<'a> {
    pub api: &'static Api,
    /// The API's root, `{url}{api_prefix}`; see [`base_url`].
    pub base: String,
    /// `Bearer`, `Token` or `Basic`: the scheme of the `Authorization` header. Empty: no
    /// `Authorization` header at all (an InfluxDB 1.x server without authentication), and
    /// `token` is then ignored.
    pub auth_scheme: &'static str,
    pub token: &'a str,
    pub policy: Policy,
    /// Extra trusted root(s), PEM; the system roots stay trusted.
    pub ca_certificate: Option<&'a str>,
    pub cancel: CancellationToken,
}

/// One configured connection to one InfluxDB API. Clones share the connection pool and the
/// snapshots.
#[derive(Clone)]
pub struct HttpCore {
    http: reqwest::Client,
    /// The API's root, without a trailing slash.
    base: String,
    /// The whole `Authorization` header value, kept apart from everything that is logged.
    auth: String,
    policy: Policy,
    cancel: CancellationToken,
    api: &'static Api,
    snapshots: Option<Arc<dyn Invalidate>>,
}

impl fmt::Debug for HttpCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpCore")
            .field("api", &self.api.log_name)
            .field("base", &self.base)
            .field("token", &"[REDACTED]")
            .finish_non_exhaustive()
    }
}

impl HttpCore {
    pub fn new(cfg: CoreConfig<'_>) -> Result<HttpCore, HttpError> {
        let api = cfg.api;
        let invalid = |message: String| HttpError::new(api, ErrorKind::InvalidConfig { message });
        let token = cfg.token.trim();
        if token.is_empty() && !cfg.auth_scheme.is_empty() {
            return Err(invalid(format!(
                "the token is empty; set {}.",
                api.token_setting
            )));
        }
        if !token.is_empty() {
            crate::log::redact(token);
        }
        let extra_roots = match cfg.ca_certificate {
            Some(pem) => trust::parse_ca_pem(pem).map_err(|e| {
                invalid(format!(
                    "the provider's `ca_certificate` is not usable: {e}"
                ))
            })?,
            None => Vec::new(),
        };
        let http = trust::http_client(cfg.policy.request_timeout, extra_roots).map_err(|e| {
            invalid(format!(
                "could not build the HTTP client: {}",
                error_chain(&e)
            ))
        })?;
        let policy = Policy {
            max_backoff: cfg.policy.max_backoff.max(cfg.policy.initial_backoff),
            ..cfg.policy
        };
        Ok(HttpCore {
            http,
            base: cfg.base,
            auth: if cfg.auth_scheme.is_empty() {
                String::new()
            } else {
                format!("{} {token}", cfg.auth_scheme)
            },
            policy,
            cancel: cfg.cancel,
            api,
            snapshots: None,
        })
    }

    /// Registers the client's refresh snapshots: every write drops them.
    pub fn with_snapshots(mut self, snapshots: Arc<dyn Invalidate>) -> Self {
        self.snapshots = Some(snapshots);
        self
    }

    /// The same connection (pool, token, policy, snapshots) for another API root of the same
    /// server: `prefix` of this root replaced by `other` (for example InfluxDB OSS's
    /// `/private/legacy` beside `/api/v2`).
    pub fn rebased(&self, prefix: &str, other: &str) -> HttpCore {
        let root = self.base.strip_suffix(prefix).unwrap_or(&self.base);
        HttpCore {
            base: format!("{root}{other}"),
            ..self.clone()
        }
    }

    /// The API's root URL.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    pub fn api(&self) -> &'static Api {
        self.api
    }

    /// An error of this API.
    pub fn error(&self, kind: ErrorKind) -> HttpError {
        HttpError::new(self.api, kind)
    }

    /// A GET, decoded.
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, HttpError> {
        let bytes = self.call(Method::GET, path, None, true).await?;
        self.decode(&bytes)
    }

    /// A GET, decoded, with the value of the answer's header `header` (if it has one).
    pub async fn get_with_header<T: DeserializeOwned>(
        &self,
        path: &str,
        header: &str,
    ) -> Result<(T, Option<String>), HttpError> {
        let (headers, bytes) = self
            .request(Method::GET, path, None, JSON, true)
            .send_full()
            .await
            .map_err(|f| f.error)?;
        let value = headers
            .get(header)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Ok((self.decode(&bytes)?, value))
    }

    /// An idempotent write with a JSON body (PATCH, PUT), its answer decoded.
    pub async fn send<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: &B,
    ) -> Result<T, HttpError> {
        let body = self.encode(body)?;
        let bytes = self.call(method, path, Some(body), true).await?;
        self.decode(&bytes)
    }

    /// A PATCH with a JSON body, its answer decoded.
    pub async fn patch<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, HttpError> {
        self.send(Method::PATCH, path, body).await
    }

    /// A PUT with a JSON body, its answer decoded.
    pub async fn put<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, HttpError> {
        self.send(Method::PUT, path, body).await
    }

    /// An idempotent call whose answer is not read (DELETE, or a write answered 204).
    pub async fn send_empty<B: Serialize>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<(), HttpError> {
        let body = body.map(|b| self.encode(b)).transpose()?;
        self.call(method, path, body, true).await.map(|_| ())
    }

    /// A DELETE.
    pub async fn delete(&self, path: &str) -> Result<(), HttpError> {
        self.send_empty::<()>(Method::DELETE, path, None).await
    }

    /// A create (POST): sent at most once once it may have left the client; a failure says
    /// whether the object may exist anyway.
    pub async fn create<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, CreateError> {
        let body = self.encode(body).map_err(|error| CreateError {
            error,
            outcome: CreateOutcome::NotSent,
        })?;
        let bytes = self
            .call_once(Method::POST, path, Some(body))
            .await
            .map_err(|f| CreateError {
                error: f.error,
                outcome: f.outcome,
            })?;
        // The server said 2xx: the object exists even if we cannot read the answer.
        self.decode(&bytes).map_err(|error| CreateError {
            error,
            outcome: CreateOutcome::Unknown,
        })
    }

    /// A create whose answer carries a secret the API returns only this once (a token string):
    /// the secret is registered for redaction. An answer without it is an error whose object
    /// exists on the server anyway, which the error names (`what` names it, e.g. "token", with
    /// the way to remove it, e.g. "revoke").
    pub async fn create_with_secret<B, T>(
        &self,
        path: &str,
        body: &B,
        (what, remove): (&str, &str),
    ) -> Result<T, CreateError>
    where
        B: Serialize,
        T: DeserializeOwned + WithSecret,
    {
        let created: T = self.create(path, body).await?;
        let id = created.id();
        if let Some(s) = created.secret().filter(|s| !s.is_empty()) {
            crate::log::redact(s);
            return Ok(created);
        }
        let message = format!(
            "the create response for {what} {id} has no secret, so the secret is lost; {remove} \
             that {what} and create a new one."
        );
        Err(CreateError {
            error: self.error(ErrorKind::Decode { message }),
            outcome: CreateOutcome::Unknown,
        })
    }

    /// A POST that is not a create but must not be repeated either (for example a password
    /// change), its answer not read.
    pub async fn post_once<B: Serialize>(&self, path: &str, body: &B) -> Result<(), CreateError> {
        let body = self.encode(body).map_err(|error| CreateError {
            error,
            outcome: CreateOutcome::NotSent,
        })?;
        self.call_once(Method::POST, path, Some(body))
            .await
            .map(|_| ())
            .map_err(|f| CreateError {
                error: f.error,
                outcome: f.outcome,
            })
    }

    /// One GET of `path` at the server's root (the API's root without its `prefix`), without
    /// the token and without retries, for a response header of a 2xx answer: a probe of what
    /// the server says it is. `None` when it does not answer so, which tells nothing.
    pub async fn probe_header(&self, prefix: &str, path: &str, header: &str) -> Option<String> {
        let root = self.base.strip_suffix(prefix).unwrap_or(&self.base);
        let request = self
            .http
            .get(format!("{root}{path}"))
            .timeout(self.policy.request_timeout)
            .send();
        let response = tokio::select! {
            _ = self.cancel.cancelled() => return None,
            r = request => r.ok()?,
        };
        crate::debug!(
            "probe",
            "api" = self.api.log_name,
            "path" = path,
            "status" = response.status().as_u16()
        );
        if !response.status().is_success() {
            return None;
        }
        let value = response.headers().get(header)?.to_str().ok()?;
        Some(value.to_owned())
    }

    /// A POST of an HTML form (`application/x-www-form-urlencoded`: InfluxDB 1.x's `/query`),
    /// its answer's body. `write`: whether it changes anything (then it drops the snapshots,
    /// and is retried only when `idempotent`); a read is always retried.
    pub async fn post_form(
        &self,
        path: &str,
        form: &[(&str, &str)],
        write: bool,
        idempotent: bool,
    ) -> Result<Vec<u8>, CreateError> {
        let body: Vec<String> = form
            .iter()
            .map(|(k, v)| format!("{}={}", segment(k), segment(v)))
            .collect();
        let body = Some(body.join("&").into_bytes());
        self.attempt_as(
            Method::POST,
            path,
            body,
            (FORM, write),
            idempotent || !write,
        )
        .await
        .map_err(|f| CreateError {
            error: f.error,
            outcome: f.outcome,
        })
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
        idempotent: bool,
    ) -> Result<Vec<u8>, HttpError> {
        self.attempt(method, path, body, idempotent)
            .await
            .map_err(|f| f.error)
    }

    async fn call_once(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
    ) -> Result<Vec<u8>, Failure> {
        self.attempt(method, path, body, false).await
    }

    /// Sends one call with the retry policy and returns the body of a 2xx response. A write,
    /// whatever its outcome, drops the snapshots.
    async fn attempt(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
        idempotent: bool,
    ) -> Result<Vec<u8>, Failure> {
        let write = method != Method::GET;
        self.attempt_as(method, path, body, (JSON, write), idempotent)
            .await
    }

    /// [`Self::attempt`] with a body of `content_type`; `write`: whether it may change
    /// anything (then the snapshots are dropped, whatever its outcome).
    async fn attempt_as(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
        (content_type, write): (&'static str, bool),
        idempotent: bool,
    ) -> Result<Vec<u8>, Failure> {
        let result = self
            .request(method, path, body, content_type, idempotent)
            .send()
            .await;
        if write {
            if let Some(s) = &self.snapshots {
                s.invalidate();
            }
        }
        result
    }

    /// One call of this API to `path`, with its credentials, retry policy and stop token.
    fn request<'a>(
        &'a self,
        method: Method,
        path: &'a str,
        body: Option<Vec<u8>>,
        content_type: &'static str,
        idempotent: bool,
    ) -> Call<'a> {
        Call {
            http: &self.http,
            auth: &self.auth,
            policy: self.policy,
            cancel: &self.cancel,
            api: self.api,
            url: format!("{}{}", self.base, path),
            method,
            path,
            body,
            content_type,
            idempotent,
        }
    }

    fn decode<T: DeserializeOwned>(&self, bytes: &[u8]) -> Result<T, HttpError> {
        // The serde message names only positions and types (it may quote a value, so scrub).
        serde_json::from_slice(bytes).map_err(|e| {
            self.error(ErrorKind::Decode {
                message: crate::log::scrub(&format!(
                    "the response body does not match the API schema ({e})"
                )),
            })
        })
    }

    fn encode<B: Serialize>(&self, body: &B) -> Result<Vec<u8>, HttpError> {
        serde_json::to_vec(body).map_err(|e| {
            self.error(ErrorKind::InvalidConfig {
                message: format!("could not encode the request body: {e}"),
            })
        })
    }
}

/// The root of an API: `url` (which may already end in `prefix`, e.g. `/api/v0`) followed by
/// `prefix`. The URL must be http(s) with a host and without a query or fragment.
pub fn base_url(api: &'static Api, url: &str, prefix: &str) -> Result<String, HttpError> {
    let invalid = |message: String| HttpError::new(api, ErrorKind::InvalidConfig { message });
    let trimmed = url.trim().trim_end_matches('/');
    let parsed = reqwest::Url::parse(trimmed).map_err(|e| {
        invalid(format!(
            "the URL {trimmed:?} is not valid ({e}); use a form such as {}.",
            api.url_example
        ))
    })?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(invalid(format!(
            "the URL {trimmed:?} must start with https:// (or http://) followed by a host."
        )));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid(format!(
            "the URL {trimmed:?} must not have a query or fragment."
        )));
    }
    Ok(if trimmed.ends_with(prefix) {
        trimmed.to_owned()
    } else {
        format!("{trimmed}{prefix}")
    })
}

/// Percent-encodes one path segment or query value (database names may contain `/`).
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

/// The path of one object of a collection: `{collection}/{id}`, the ID percent-encoded.
pub fn item(collection: &str, id: &str) -> String {
    format!("{collection}/{}", segment(id))
}

/// A query string from the pairs whose value is set: `?a=1&b=2`, or empty.
pub fn query(pairs: &[(&str, Option<&str>)]) -> String {
    let set: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k}={}", segment(v))))
        .collect();
    if set.is_empty() {
        String::new()
    } else {
        format!("?{}", set.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_percent_encoded() {
        assert_eq!(segment("team/metrics"), "team%2Fmetrics");
        assert_eq!(segment("a-b_c"), "a-b_c");
    }

    #[test]
    fn queries_keep_only_set_values() {
        assert_eq!(query(&[("a", None)]), "");
        assert_eq!(
            query(&[("org", Some("my org")), ("x", None), ("id", Some("1"))]),
            "?org=my%20org&id=1"
        );
    }
}
