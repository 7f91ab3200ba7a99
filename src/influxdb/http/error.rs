//! The one error type of every InfluxDB API client, and how each API family words it.
//!
//! An [`HttpError`] is an [`ErrorKind`] (what went wrong, the same for every API) plus the
//! [`Api`] that failed: its name, the provider settings a user should check, and how its error
//! bodies carry a message (`{"message": ...}` for the Management API and `/api/v2`,
//! `{"error": ...}` for `/api/v3`). Messages are complete sentences meant for a Terraform
//! diagnostic; they are scrubbed of every registered secret ([`crate::log::scrub`]).

use std::fmt;
use std::time::Duration;

use super::retry::Deadline;

/// How one API family speaks in errors. Each family declares one as a `static`.
pub struct Api {
    /// The API as the subject of a sentence: "The InfluxDB Management API", "InfluxDB".
    pub subject: &'static str,
    /// The API as an object: "the InfluxDB Management API", "InfluxDB".
    pub object: &'static str,
    /// Names the API in log lines: "management API".
    pub log_name: &'static str,
    /// Names the client in configuration errors: "Management API client".
    pub client_name: &'static str,
    /// Where the URL is set, as advice: "the provider's `url`".
    pub url_setting: &'static str,
    /// An example of the URL setting's value, for messages about a malformed one.
    pub url_example: &'static str,
    /// Where the token is set, as advice: "the provider's `token` argument or ...".
    pub token_setting: &'static str,
    /// Where a private CA is given, as advice.
    pub ca_setting: &'static str,
    /// The sentence for a 401, given the server's message.
    pub unauthorized: fn(&str) -> String,
    /// The sentence for a 403, given the server's message.
    pub forbidden: fn(&str) -> String,
    /// Said after a 409's message (may be empty).
    pub conflict_hint: &'static str,
    /// The message of an error body of this API's shape, when the body has one.
    pub error_body_message: fn(&[u8]) -> Option<String>,
}

/// The message of an error body shaped `{"message": "..."}` (the Management API and
/// `/api/v2`; other fields such as `code` are ignored).
pub fn message_field(body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Body {
        message: String,
    }
    serde_json::from_slice::<Body>(body).ok().map(|b| b.message)
}

/// What went wrong with a call, whatever the API.
#[derive(Clone, Debug, PartialEq)]
pub enum ErrorKind {
    /// The provider configuration cannot produce a client (bad URL, empty token).
    InvalidConfig { message: String },
    /// 401: the token was rejected.
    Unauthorized { message: String },
    /// 403: the token may not do this.
    Forbidden { message: String },
    /// 404.
    NotFound { message: String },
    /// 409.
    Conflict { message: String },
    /// 400 or 422: the server's message says what it did not accept.
    Invalid { status: u16, message: String },
    /// Any other error status.
    Status { status: u16, message: String },
    /// No usable HTTP response: connection refused or lost, TLS failure, timeout.
    Transport { message: String, timeout: bool },
    /// A success status with a body that does not match the API's schema.
    Decode { message: String },
    /// Connection refused or a name that does not resolve, from a server that has never
    /// answered in this process: most likely a wrong address (see [`super::reach`]).
    Unreachable {
        /// `scheme://host:port`.
        url: String,
        attempts: u32,
        waited: Duration,
        message: String,
    },
    /// The call was abandoned because Terraform asked the provider to stop.
    Cancelled,
    /// The server's TLS certificate did not verify: permanent, never retried.
    Certificate { host: String, reason: String },
    /// Retries did not succeed within the configured deadline.
    DeadlineExceeded {
        deadline: Deadline,
        last: Box<ErrorKind>,
    },
}

impl ErrorKind {
    /// The HTTP status the server answered with, if it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ErrorKind::Unauthorized { .. } => Some(401),
            ErrorKind::Forbidden { .. } => Some(403),
            ErrorKind::NotFound { .. } => Some(404),
            ErrorKind::Conflict { .. } => Some(409),
            ErrorKind::Invalid { status, .. } | ErrorKind::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// A failed call to one InfluxDB API.
#[derive(Clone)]
pub struct HttpError {
    pub kind: ErrorKind,
    api: &'static Api,
}

impl HttpError {
    pub fn new(api: &'static Api, kind: ErrorKind) -> Self {
        HttpError { kind, api }
    }

    /// The error for an answer with an error status and this body.
    pub fn from_status(api: &'static Api, status: u16, body: &[u8]) -> Self {
        let reason = reqwest::StatusCode::from_u16(status).ok();
        let message = super::retry::error_message(reason, (api.error_body_message)(body), body);
        let kind = match status {
            400 | 422 => ErrorKind::Invalid { status, message },
            401 => ErrorKind::Unauthorized { message },
            403 => ErrorKind::Forbidden { message },
            404 => ErrorKind::NotFound { message },
            409 => ErrorKind::Conflict { message },
            status => ErrorKind::Status { status, message },
        };
        HttpError { kind, api }
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self.kind, ErrorKind::NotFound { .. })
    }
    pub fn is_conflict(&self) -> bool {
        matches!(self.kind, ErrorKind::Conflict { .. })
    }
    pub fn is_cancelled(&self) -> bool {
        matches!(self.kind, ErrorKind::Cancelled)
    }

    /// The HTTP status the server answered with, if it answered.
    pub fn status(&self) -> Option<u16> {
        self.kind.status()
    }

    fn sentence(&self, kind: &ErrorKind) -> String {
        let api = self.api;
        match kind {
            ErrorKind::InvalidConfig { message } => {
                format!("Invalid {} configuration: {message}", api.client_name)
            }
            ErrorKind::Unauthorized { message } => (api.unauthorized)(message),
            ErrorKind::Forbidden { message } => (api.forbidden)(message),
            ErrorKind::NotFound { message } => {
                format!("{} reports 404 Not Found: {message}.", api.subject)
            }
            ErrorKind::Conflict { message } => format!(
                "{} reports a conflict (409 Conflict: {message}).{}",
                api.subject, api.conflict_hint
            ),
            ErrorKind::Invalid { status, message } => {
                let reason = reqwest::StatusCode::from_u16(*status)
                    .ok()
                    .and_then(|s| s.canonical_reason())
                    .unwrap_or("");
                format!(
                    "{} did not accept the request ({status} {reason}): {message}",
                    api.subject
                )
            }
            ErrorKind::Status { status, message } => {
                format!(
                    "{} answered with HTTP status {status}: {message}",
                    api.subject
                )
            }
            ErrorKind::Transport { message, timeout } => {
                if *timeout {
                    format!(
                        "The request to {} timed out: {message}. Check {} and your network or \
                         proxy settings.",
                        api.object, api.url_setting
                    )
                } else {
                    format!(
                        "Could not reach {}: {message}. Check {} and your network or proxy \
                         settings (HTTPS_PROXY, NO_PROXY).",
                        api.object, api.url_setting
                    )
                }
            }
            ErrorKind::Unreachable {
                url,
                attempts,
                waited,
                message,
            } => format!(
                "Could not reach {} at {url}: {message}. Nothing has answered at that address \
                 since the provider started ({attempts} tries in {:.1} s), so the address is \
                 most likely wrong: check {}.",
                api.object,
                waited.as_secs_f64(),
                api.url_setting
            ),
            ErrorKind::Decode { message } => format!(
                "{} sent a response this provider cannot read: {message}",
                api.subject
            ),
            ErrorKind::Cancelled => format!(
                "The request to {} was cancelled because Terraform is stopping the provider.",
                api.object
            ),
            ErrorKind::Certificate { host, reason } => {
                super::retry::certificate_message(host, reason, api.ca_setting)
            }
            ErrorKind::DeadlineExceeded { deadline, last } => {
                deadline.describe(api.subject, &self.sentence(last))
            }
        }
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::log::scrub(&self.sentence(&self.kind)))
    }
}

impl fmt::Debug for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpError")
            .field("api", &self.api.log_name)
            .field("kind", &self.kind)
            .finish()
    }
}

impl PartialEq for HttpError {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind && self.api.log_name == other.api.log_name
    }
}

impl std::error::Error for HttpError {}

/// For deletes: an object that is already gone (404) counts as deleted.
pub fn gone_is_ok(r: Result<(), HttpError>) -> Result<(), HttpError> {
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
    pub error: HttpError,
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
        if self.may_have_been_created() {
            f.write_str(
                " The request may have reached the server, so the object may have been created.",
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for CreateError {}
