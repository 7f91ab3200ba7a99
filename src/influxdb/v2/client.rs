//! `V2Client`: the InfluxDB OSS v2 / Cloud Serverless API (`/api/v2`) with `Token` auth.
//!
//! Retries follow [`crate::influxdb::retry`] (a POST is never retried once it may have been
//! sent; a certificate that does not verify fails at once). Trust: the system roots plus the
//! provider's `ca_certificate` (see [`crate::influxdb::trust`]). Errors are the API's `{ code, message }` bodies turned into sentences that say what
//! to check. The token is registered with [`crate::log::redact`]; so is every token string a
//! create returns.

use std::fmt;
use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use tokio_util::sync::CancellationToken;

use super::models::{
    Authorization, Authorizations, CreateAuthorization, ErrorBody, Organization, Organizations,
    UpdateAuthorization,
};
use crate::influxdb::retry::{
    certificate_message, error_chain, error_message, Call, CallError, CreateOutcome, Deadline,
    Failure, Policy,
};

/// A failed `/api/v2` call. Messages are complete sentences for a Terraform diagnostic and
/// never contain a token.
#[derive(Clone, Debug, PartialEq)]
pub enum V2Error {
    InvalidConfig {
        message: String,
    },
    /// 401: the token was rejected (unknown, inactive, or its user was deleted).
    Unauthorized {
        message: String,
    },
    /// 403: the token lacks a permission.
    Forbidden {
        message: String,
    },
    NotFound {
        message: String,
    },
    Conflict {
        message: String,
    },
    /// 400 or 422: the server's message says what it did not accept.
    Invalid {
        status: u16,
        message: String,
    },
    Status {
        status: u16,
        message: String,
    },
    Transport {
        message: String,
        timeout: bool,
    },
    Decode {
        message: String,
    },
    Cancelled,
    /// The server's TLS certificate did not verify: permanent, never retried.
    Certificate {
        host: String,
        reason: String,
    },
    DeadlineExceeded {
        deadline: Deadline,
        last: Box<V2Error>,
    },
}

impl V2Error {
    pub fn is_not_found(&self) -> bool {
        matches!(self, V2Error::NotFound { .. })
    }
}

impl fmt::Display for V2Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            V2Error::InvalidConfig { message } => {
                format!("Invalid InfluxDB v2 client configuration: {message}")
            }
            V2Error::Unauthorized { message } => format!(
                "InfluxDB rejected the provider's token (401 Unauthorized: {message}). Check the \
                 provider's `token` argument or the INFLUX_TOKEN environment variable: the token \
                 may be wrong, inactive, or belong to a deleted user."
            ),
            V2Error::Forbidden { message } => format!(
                "The provider's token is not allowed to do this (403 Forbidden: {message}). \
                 Managing authorizations needs a token with read and write permission on \
                 `authorizations` for the organization (an operator or all-access token), and \
                 a token can only grant permissions it holds itself."
            ),
            V2Error::NotFound { message } => {
                format!("InfluxDB reports 404 Not Found: {message}.")
            }
            V2Error::Conflict { message } => {
                format!("InfluxDB reports a conflict (409 Conflict: {message}).")
            }
            V2Error::Invalid { status, message } => {
                format!("InfluxDB did not accept the request ({status}): {message}.")
            }
            V2Error::Status { status, message } => {
                format!("InfluxDB answered with HTTP status {status}: {message}")
            }
            V2Error::Transport { message, timeout } => {
                if *timeout {
                    format!(
                        "The request to InfluxDB timed out: {message}. Check the provider's \
                         `host` (or INFLUX_HOST) and your network or proxy settings."
                    )
                } else {
                    format!(
                        "Could not reach InfluxDB: {message}. Check the provider's `host` (or \
                         INFLUX_HOST) and your network or proxy settings (HTTPS_PROXY, NO_PROXY)."
                    )
                }
            }
            V2Error::Decode { message } => {
                format!("InfluxDB sent a response this provider cannot read: {message}")
            }
            V2Error::Cancelled => "The request to InfluxDB was cancelled because Terraform is \
                                   stopping the provider."
                .to_owned(),
            V2Error::Certificate { host, reason } => {
                certificate_message(host, reason, "the provider's `ca_certificate`")
            }
            V2Error::DeadlineExceeded { deadline, last } => deadline.describe("InfluxDB", last),
        };
        f.write_str(&crate::log::scrub(&text))
    }
}

impl std::error::Error for V2Error {}

impl CallError for V2Error {
    fn from_status(status: StatusCode, body: &[u8]) -> Self {
        let parsed = serde_json::from_slice::<ErrorBody>(body).ok();
        let message = error_message(status, parsed.map(|b| b.message), body);
        match status.as_u16() {
            400 | 422 => V2Error::Invalid {
                status: status.as_u16(),
                message,
            },
            401 => V2Error::Unauthorized { message },
            403 => V2Error::Forbidden { message },
            404 => V2Error::NotFound { message },
            409 => V2Error::Conflict { message },
            s => V2Error::Status { status: s, message },
        }
    }
    fn transport(message: String, timeout: bool) -> Self {
        V2Error::Transport { message, timeout }
    }
    fn cancelled() -> Self {
        V2Error::Cancelled
    }
    fn certificate(host: String, reason: String) -> Self {
        V2Error::Certificate { host, reason }
    }
    fn deadline_exceeded(deadline: Deadline, last: Self) -> Self {
        V2Error::DeadlineExceeded {
            deadline,
            last: Box::new(last),
        }
    }
}

/// A failed create: the error and whether the authorization may exist anyway.
#[derive(Clone, Debug, PartialEq)]
pub struct V2CreateError {
    pub error: V2Error,
    pub outcome: CreateOutcome,
}

impl V2CreateError {
    pub fn may_have_been_created(&self) -> bool {
        self.outcome == CreateOutcome::Unknown
    }
}

impl fmt::Display for V2CreateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.error)?;
        if self.may_have_been_created() {
            f.write_str(
                " The request may have reached the server, so the authorization may have been created.",
            )?;
        }
        Ok(())
    }
}

/// Filters of `GET /api/v2/authorizations`.
#[derive(Clone, Debug, Default)]
pub struct AuthorizationFilter {
    pub user_id: Option<String>,
    pub user: Option<String>,
    pub org_id: Option<String>,
    pub org: Option<String>,
}

#[derive(Clone)]
pub struct V2Client {
    http: reqwest::Client,
    /// `{host}/api/v2`, no trailing slash.
    base: String,
    /// `Token <token>`.
    auth: String,
    policy: Policy,
    cancel: CancellationToken,
}

impl fmt::Debug for V2Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("V2Client")
            .field("base", &self.base)
            .field("token", &"[REDACTED]")
            .finish_non_exhaustive()
    }
}

impl V2Client {
    /// A client with the same timings as the Management client: 30 s per request, 60 s for
    /// all retries, backoff from 500 ms up to 8 s.
    pub fn new(host: &str, token: &str, cancel: CancellationToken) -> Result<V2Client, V2Error> {
        Self::with_policy(host, token, Self::DEFAULT_POLICY, cancel)
    }

    pub const DEFAULT_POLICY: Policy = Policy {
        request_timeout: Duration::from_secs(30),
        retry_deadline: Duration::from_secs(60),
        initial_backoff: Duration::from_millis(500),
        max_backoff: Duration::from_secs(8),
    };

    pub fn with_policy(
        host: &str,
        token: &str,
        policy: Policy,
        cancel: CancellationToken,
    ) -> Result<V2Client, V2Error> {
        Self::with_options(host, token, policy, None, cancel)
    }

    /// `ca_certificate`: extra trusted root(s), PEM; the system roots stay trusted.
    pub fn with_options(
        host: &str,
        token: &str,
        policy: Policy,
        ca_certificate: Option<&str>,
        cancel: CancellationToken,
    ) -> Result<V2Client, V2Error> {
        let token = token.trim();
        if token.is_empty() {
            return Err(V2Error::InvalidConfig {
                message: "the token is empty; set the provider's `token` argument or the \
                          INFLUX_TOKEN environment variable."
                    .into(),
            });
        }
        crate::log::redact(token);
        let base = base_url(host)?;
        let extra_roots = match ca_certificate {
            Some(pem) => {
                crate::influxdb::trust::parse_ca_pem(pem).map_err(|e| V2Error::InvalidConfig {
                    message: format!("the provider's `ca_certificate` is not usable: {e}"),
                })?
            }
            None => Vec::new(),
        };
        let http = crate::influxdb::trust::http_client(policy.request_timeout, extra_roots)
            .map_err(|e| V2Error::InvalidConfig {
                message: format!("could not build the HTTP client: {}", error_chain(&e)),
            })?;
        Ok(V2Client {
            http,
            base,
            auth: format!("Token {token}"),
            policy,
            cancel,
        })
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    // ---- organizations ----

    /// The organization with this name; `None` when there is none.
    pub async fn find_org(&self, name: &str) -> Result<Option<Organization>, V2Error> {
        let path = format!("/orgs?org={}", query(name));
        match self.json::<Organizations>(Method::GET, path, None).await {
            Ok(o) => Ok(o.orgs.into_iter().find(|o| o.name == name)),
            // OSS answers 404 for an unknown name.
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub async fn get_org(&self, id: &str) -> Result<Organization, V2Error> {
        self.json(Method::GET, format!("/orgs/{}", segment(id)), None)
            .await
    }

    /// The resource types this server knows (`GET /api/v2/resources`), which the `influx` CLI
    /// uses to build all-access and operator tokens.
    pub async fn resource_types(&self) -> Result<Vec<String>, V2Error> {
        self.json(Method::GET, "/resources".into(), None).await
    }

    // ---- authorizations ----

    pub async fn list_authorizations(
        &self,
        f: &AuthorizationFilter,
    ) -> Result<Vec<Authorization>, V2Error> {
        let mut q = Vec::new();
        for (k, v) in [
            ("userID", &f.user_id),
            ("user", &f.user),
            ("orgID", &f.org_id),
            ("org", &f.org),
        ] {
            if let Some(v) = v {
                q.push(format!("{k}={}", query(v)));
            }
        }
        let path = if q.is_empty() {
            "/authorizations".to_owned()
        } else {
            format!("/authorizations?{}", q.join("&"))
        };
        let list: Authorizations = self.json(Method::GET, path, None).await?;
        Ok(list.authorizations)
    }

    pub async fn get_authorization(&self, id: &str) -> Result<Authorization, V2Error> {
        self.json(
            Method::GET,
            format!("/authorizations/{}", segment(id)),
            None,
        )
        .await
    }

    /// Creates an authorization; the result carries the token string, never returned again.
    pub async fn create_authorization(
        &self,
        body: &CreateAuthorization,
    ) -> Result<Authorization, V2CreateError> {
        let sent = to_body(body).map_err(|error| V2CreateError {
            error,
            outcome: CreateOutcome::NotSent,
        })?;
        let bytes = self
            .call(Method::POST, "/authorizations", Some(sent), false)
            .await
            .map_err(|f| V2CreateError {
                error: f.error,
                outcome: f.outcome,
            })?;
        // A 2xx means it exists, even if the answer cannot be read.
        let auth: Authorization = decode(&bytes).map_err(|error| V2CreateError {
            error,
            outcome: CreateOutcome::Unknown,
        })?;
        match auth.token.as_deref() {
            Some(t) if !t.is_empty() => {
                crate::log::redact(t);
                Ok(auth)
            }
            _ => Err(V2CreateError {
                error: V2Error::Decode {
                    message: format!(
                        "the create response for authorization {} has no token, so the token \
                         string is lost; delete that authorization and create a new one.",
                        auth.id
                    ),
                },
                outcome: CreateOutcome::Unknown,
            }),
        }
    }

    pub async fn update_authorization(
        &self,
        id: &str,
        body: &UpdateAuthorization,
    ) -> Result<Authorization, V2Error> {
        let body = to_body(body)?;
        self.json(
            Method::PATCH,
            format!("/authorizations/{}", segment(id)),
            Some(body),
        )
        .await
    }

    pub async fn delete_authorization(&self, id: &str) -> Result<(), V2Error> {
        self.call(
            Method::DELETE,
            &format!("/authorizations/{}", segment(id)),
            None,
            true,
        )
        .await
        .map(|_| ())
        .map_err(|f| f.error)
    }

    // ---- plumbing ----

    async fn json<T: DeserializeOwned>(
        &self,
        method: Method,
        path: String,
        body: Option<Vec<u8>>,
    ) -> Result<T, V2Error> {
        let bytes = self
            .call(method, &path, body, true)
            .await
            .map_err(|f| f.error)?;
        decode(&bytes)
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
        idempotent: bool,
    ) -> Result<Vec<u8>, Failure<V2Error>> {
        Call {
            http: &self.http,
            auth: &self.auth,
            policy: self.policy,
            cancel: &self.cancel,
            api: "v2 API",
            url: format!("{}{}", self.base, path),
            method,
            path,
            body,
            idempotent,
        }
        .send()
        .await
    }
}

/// For deletes: an object that is already gone (404) counts as deleted.
pub fn gone_is_ok(r: Result<(), V2Error>) -> Result<(), V2Error> {
    match r {
        Err(e) if e.is_not_found() => Ok(()),
        other => other,
    }
}

fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, V2Error> {
    serde_json::from_slice(bytes).map_err(|e| V2Error::Decode {
        message: crate::log::scrub(&format!(
            "the response body does not match the API schema ({e})"
        )),
    })
}

fn to_body<B: serde::Serialize>(body: &B) -> Result<Vec<u8>, V2Error> {
    serde_json::to_vec(body).map_err(|e| V2Error::InvalidConfig {
        message: format!("could not encode the request body: {e}"),
    })
}

/// `{host}/api/v2`; `host` may already end in `/api/v2`.
fn base_url(host: &str) -> Result<String, V2Error> {
    let trimmed = host.trim().trim_end_matches('/');
    let parsed = reqwest::Url::parse(trimmed).map_err(|e| V2Error::InvalidConfig {
        message: format!(
            "the host {trimmed:?} is not a URL ({e}); use a form such as \"http://localhost:8086\"."
        ),
    })?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(V2Error::InvalidConfig {
            message: format!(
                "the host {trimmed:?} must start with http:// or https:// followed by a host name."
            ),
        });
    }
    Ok(if trimmed.ends_with("/api/v2") {
        trimmed.to_owned()
    } else {
        format!("{trimmed}/api/v2")
    })
}

/// Percent-encodes a path segment or query value.
fn segment(s: &str) -> String {
    crate::influxdb::client::segment(s)
}

fn query(s: &str) -> String {
    segment(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_accepts_a_host_with_or_without_the_api_prefix() {
        for h in [
            "http://localhost:8086",
            "http://localhost:8086/",
            "http://localhost:8086/api/v2",
        ] {
            assert_eq!(base_url(h).unwrap(), "http://localhost:8086/api/v2");
        }
        assert!(base_url("localhost:8086").is_err());
    }

    #[test]
    fn errors_carry_the_servers_message_and_say_what_to_check() {
        let e = V2Error::from_status(
            StatusCode::UNAUTHORIZED,
            br#"{"code":"unauthorized","message":"unauthorized access"}"#,
        );
        let text = e.to_string();
        assert!(text.contains("unauthorized access") && text.contains("INFLUX_TOKEN"));
        let e = V2Error::from_status(StatusCode::BAD_REQUEST, b"not json");
        assert!(e.to_string().contains("not json"));
    }

    #[test]
    fn debug_never_prints_the_token() {
        let c = V2Client::new("http://h", "v2-secret-token-xyz", CancellationToken::new()).unwrap();
        assert!(!format!("{c:?}").contains("v2-secret"));
    }
}
