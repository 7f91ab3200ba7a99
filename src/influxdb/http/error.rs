//! The one error type of every InfluxDB API client, and how each API family words it.
//!
//! An [`HttpError`] is an [`ErrorKind`] (what went wrong, the same for every API) plus the
//! [`Api`] that failed: its name, the provider settings a user should check, and how its error
//! bodies carry a message (`{"message": ...}` for the Management API and `/api/v2`,
//! `{"error": ...}` for `/api/v3`). Messages are complete sentences meant for a Terraform
//! diagnostic; they are scrubbed of every registered secret ([`crate::log::scrub`]).

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;

/// How a call ran out of time: what the deadline error reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deadline {
    /// The configured limit for all attempts.
    pub deadline: Duration,
    pub attempts: u32,
    /// From the first attempt to giving up.
    pub waited: Duration,
    /// The server's last `Retry-After`, when waiting for it would have passed the deadline.
    pub retry_after: Option<Duration>,
}

impl Deadline {
    /// The sentence every client uses, `api` naming the API ("The InfluxDB Management API").
    pub fn describe(&self, api: &str, last: &dyn fmt::Display) -> String {
        let tries = if self.attempts == 1 { "try" } else { "tries" };
        let why = match self.retry_after {
            Some(ra) => format!(
                "; the server then asked to retry after {} s, which is past the retry deadline \
                 of {} s",
                ra.as_secs(),
                self.deadline.as_secs()
            ),
            None => format!(" (the retry deadline is {} s)", self.deadline.as_secs()),
        };
        format!(
            "{api} did not succeed after waiting {:.1} s and {} {tries}{why}. Last error: {last}",
            self.waited.as_secs_f64(),
            self.attempts
        )
    }
}

/// The advice every certificate error ends with; `ca_setting` says where a CA can be given.
pub fn certificate_message(host: &str, reason: &str, ca_setting: &str) -> String {
    format!(
        "The TLS certificate of {host} could not be verified: {reason}. If the server uses a \
         private certificate authority, set {ca_setting} to that CA's certificate in PEM form \
         (for example `ca_certificate = file(\"ca.pem\")`). Certificate verification cannot be \
         turned off."
    )
}

/// The body of an error answer as a short message: `message` from a JSON body when there is
/// one, else the text, else the status's reason. Scrubbed.
pub fn error_message(
    status: Option<StatusCode>,
    json_message: Option<String>,
    body: &[u8],
) -> String {
    let message = match json_message {
        Some(m) if !m.trim().is_empty() => m,
        _ => {
            let text = String::from_utf8_lossy(body);
            let text = text.trim();
            if text.is_empty() {
                status
                    .and_then(|s| s.canonical_reason())
                    .unwrap_or("no message")
                    .to_ascii_lowercase()
            } else {
                text.chars().take(500).collect()
            }
        }
    };
    crate::log::scrub(&message)
}

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
    text_field(body, "message")
}

/// The message of an error body shaped `{"error": "..."}` (InfluxDB 1.x's `/query`).
pub fn error_field(body: &[u8]) -> Option<String> {
    text_field(body, "error")
}

/// The string `field` of a JSON object body.
fn text_field(body: &[u8], field: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    v.get(field)?.as_str().map(str::to_owned)
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
        let message = error_message(reason, (api.error_body_message)(body), body);
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
                certificate_message(host, reason, api.ca_setting)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deadline_sentence_says_how_long_and_how_many_tries() {
        let d = Deadline {
            deadline: Duration::from_secs(60),
            attempts: 7,
            waited: Duration::from_millis(58_400),
            retry_after: None,
        };
        let text = d.describe("The API", &"boom");
        assert_eq!(
            text,
            "The API did not succeed after waiting 58.4 s and 7 tries (the retry deadline is \
             60 s). Last error: boom"
        );
        let d = Deadline {
            attempts: 1,
            waited: Duration::from_millis(20),
            retry_after: Some(Duration::from_secs(120)),
            ..d
        };
        let text = d.describe("The API", &"boom");
        assert!(text.contains("after waiting 0.0 s and 1 try;"), "{text}");
        assert!(
            text.contains("asked to retry after 120 s, which is past the retry deadline of 60 s"),
            "{text}"
        );
    }
}
