//! The retry policy shared by every InfluxDB API client (the Management API and `/api/v2`):
//! one HTTP call, retried as the policy says, with the outcome a create needs to know.
//!
//! Idempotent calls (GET, PATCH, DELETE) are retried on connection errors, timeouts, 429 and
//! 503 (honouring `Retry-After`, in seconds or as an HTTP date), 502 and 504, with exponential
//! backoff and jitter, until a total deadline; the error at the deadline says how long it
//! waited, how many tries it made and whether the server asked to wait past the deadline. A
//! certificate that does not verify is permanent and never retried (see [`super::trust`]). A
//! POST (create) is retried only when the connection could not be opened, i.e. the request was
//! certainly never sent; any other failure carries a [`CreateOutcome`] saying whether something
//! may have been created. The stop signal (StopProvider) cancels what has not been sent, the
//! retries and the waits, and a read in flight; a write in flight is waited for, and cleanup
//! ignores the signal (see [`super::stop`]). A server that has never answered this process and
//! refuses the connection gets a few tries only (see [`super::reach`]). Errors are
//! [`HttpError`]s worded by the calling family's [`Api`].

use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use tokio_util::sync::CancellationToken;

use super::error::{Api, CreateOutcome, Deadline, ErrorKind, HttpError};
use super::{reach, stop};

/// The retry timings of one client.
#[derive(Clone, Copy, Debug)]
pub struct Policy {
    /// Limit for one HTTP attempt, from connecting to the end of the response body.
    pub request_timeout: Duration,
    /// Limit for all attempts of one call, backoff included.
    pub retry_deadline: Duration,
    /// First backoff between retries; doubled each time up to `max_backoff`, with jitter.
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
}

/// How a call failed, with what a create needs to know.
pub struct Failure {
    pub error: HttpError,
    pub outcome: CreateOutcome,
}

/// One call to make: the client's parts and the request.
pub struct Call<'a> {
    pub http: &'a reqwest::Client,
    /// The whole `Authorization` header value (kept apart from everything that is logged).
    pub auth: &'a str,
    pub policy: Policy,
    pub cancel: &'a CancellationToken,
    /// The API called: names it in log lines and words its errors.
    pub api: &'static Api,
    pub method: Method,
    pub url: String,
    /// The path alone, for log lines.
    pub path: &'a str,
    pub body: Option<Vec<u8>>,
    /// The body's `Content-Type` (`application/json` for every API but InfluxDB 1.x's
    /// `/query`, which reads a form).
    pub content_type: &'static str,
    pub idempotent: bool,
}

/// What one attempt produced.
enum Attempt {
    Response {
        status: StatusCode,
        headers: HeaderMap,
        body: Vec<u8>,
    },
    /// No response; `connect` says the connection was never opened (request not sent).
    Failed { error: HttpError, connect: bool },
    /// The server's certificate did not verify: the handshake failed before anything was sent,
    /// and retrying cannot help.
    Certificate { error: HttpError },
}

impl Call<'_> {
    /// Sends the call, with retries as the module documentation describes, and returns the
    /// body of a 2xx response.
    pub async fn send(self) -> Result<Vec<u8>, Failure> {
        self.send_full().await.map(|(_, body)| body)
    }

    /// As [`Call::send`], with the headers of the 2xx response (for APIs that say something
    /// in a header, such as `/ping`'s `X-Influxdb-Build`).
    pub async fn send_full(self) -> Result<(HeaderMap, Vec<u8>), Failure> {
        let (method, path, api) = (&self.method, self.path, self.api.log_name);
        let cancelled = || HttpError::new(self.api, ErrorKind::Cancelled);
        let policy = self.policy;
        let start = Instant::now();
        // Cleanup ignores the stop signal and has its own deadline (see `super::stop`).
        let cleanup = stop::cleanup_deadline();
        let stoppable = cleanup.is_none();
        let deadline = cleanup.map_or(start + policy.retry_deadline, |until| {
            until.min(start + policy.retry_deadline)
        });
        // A read in flight is abandoned on stop; a write in flight has left the client and is
        // carried out by the server anyway, so its answer is waited for.
        let abandon_in_flight = stoppable && matches!(self.method, Method::GET | Method::HEAD);
        let origin = reach::origin(&self.url);
        let mut attempt: u32 = 0;
        let mut backoff = policy.initial_backoff;
        loop {
            attempt += 1;
            if stoppable && self.cancel.is_cancelled() {
                return Err(Failure {
                    error: cancelled(),
                    // Nothing is in flight between attempts.
                    outcome: CreateOutcome::NotSent,
                });
            }
            let remaining = deadline.saturating_duration_since(Instant::now());
            // Idempotent calls fit every attempt inside the deadline; a create gets its full
            // request timeout, since it runs once (in cleanup, what is left of the cleanup's).
            let timeout = if self.idempotent || !stoppable {
                policy
                    .request_timeout
                    .min(remaining)
                    .max(Duration::from_millis(1))
            } else {
                policy.request_timeout
            };
            let attempt_start = Instant::now();
            let result = if abandon_in_flight {
                tokio::select! {
                    biased;
                    _ = self.cancel.cancelled() => {
                        crate::debug!("API request cancelled", "api" = api, "method" = method,
                            "path" = path, "attempt" = attempt);
                        return Err(Failure { error: cancelled(), outcome: CreateOutcome::Unknown });
                    }
                    r = self.attempt(timeout) => r,
                }
            } else {
                self.attempt(timeout).await
            };
            let elapsed_ms = attempt_start.elapsed().as_millis();

            let (error, retryable, retry_after, outcome) = match result {
                Attempt::Response {
                    status,
                    headers,
                    body,
                } => {
                    crate::debug!(
                        "API request",
                        "api" = api,
                        "method" = method,
                        "path" = path,
                        "status" = status.as_u16(),
                        "attempt" = attempt,
                        "elapsed_ms" = elapsed_ms
                    );
                    reach::answered(&origin);
                    if status.is_success() {
                        return Ok((headers, body));
                    }
                    let error = HttpError::from_status(self.api, status.as_u16(), &body);
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
                    (error, self.idempotent && transient, retry_after, outcome)
                }
                Attempt::Certificate { error } => {
                    crate::debug!(
                        "API request refused: certificate",
                        "api" = api,
                        "method" = method,
                        "path" = path,
                        "attempt" = attempt,
                        "error" = error
                    );
                    return Err(Failure {
                        error,
                        outcome: CreateOutcome::NotSent,
                    });
                }
                Attempt::Failed { error, connect } => {
                    crate::debug!(
                        "API request failed",
                        "api" = api,
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
                    // Refused or unresolvable, and never answered: most likely a wrong address.
                    if connect && attempt >= reach::UNREACHED_TRIES && !reach::has_answered(&origin)
                    {
                        let message = match error.kind {
                            ErrorKind::Transport { message, .. } => message,
                            other => HttpError::new(self.api, other).to_string(),
                        };
                        let kind = ErrorKind::Unreachable {
                            url: origin,
                            attempts: attempt,
                            waited: start.elapsed(),
                            message,
                        };
                        return Err(Failure {
                            error: HttpError::new(self.api, kind),
                            outcome,
                        });
                    }
                    // A create is retried only when it certainly never left the client.
                    (error, self.idempotent || connect, None, outcome)
                }
            };
            if !retryable {
                return Err(Failure { error, outcome });
            }

            let jittered = backoff.mul_f64(0.5 + fastrand::f64() * 0.5);
            // The server's Retry-After is a floor: never retry sooner than it asked.
            let wait = retry_after.map_or(jittered, |ra| ra.max(jittered));
            backoff = (backoff * 2).min(policy.max_backoff);
            if Instant::now() + wait >= deadline {
                let info = Deadline {
                    deadline: deadline.saturating_duration_since(start),
                    attempts: attempt,
                    waited: start.elapsed(),
                    retry_after: retry_after.filter(|&ra| Instant::now() + ra >= deadline),
                };
                return Err(Failure {
                    error: HttpError::new(
                        self.api,
                        ErrorKind::DeadlineExceeded {
                            deadline: info,
                            last: Box::new(error.kind),
                        },
                    ),
                    outcome,
                });
            }
            crate::debug!(
                "retrying API request",
                "api" = api,
                "method" = method,
                "path" = path,
                "attempt" = attempt,
                "wait_ms" = wait.as_millis(),
                "error" = error
            );
            if stoppable {
                tokio::select! {
                    biased;
                    _ = self.cancel.cancelled() => {
                        return Err(Failure { error: cancelled(), outcome });
                    }
                    _ = tokio::time::sleep(wait) => {}
                }
            } else {
                tokio::time::sleep(wait).await;
            }
        }
    }

    async fn attempt(&self, timeout: Duration) -> Attempt {
        let mut req = self
            .http
            .request(self.method.clone(), &self.url)
            .timeout(timeout)
            .header(ACCEPT, "application/json");
        // An empty value: a server without authentication (InfluxDB 1.x without credentials).
        if !self.auth.is_empty() {
            req = req.header(AUTHORIZATION, self.auth);
        }
        if let Some(body) = &self.body {
            req = req
                .header(CONTENT_TYPE, self.content_type)
                .body(body.clone());
        }
        let resp = match req.send().await {
            Ok(r) => r,
            Err(e) => {
                if let Some(reason) = super::trust::certificate_failure(&e) {
                    let host = reqwest::Url::parse(&self.url)
                        .ok()
                        .and_then(|u| u.host_str().map(str::to_owned))
                        .unwrap_or_default();
                    return Attempt::Certificate {
                        error: HttpError::new(self.api, ErrorKind::Certificate { host, reason }),
                    };
                }
                return transport_failure(self.api, &e);
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
            Err(e) => transport_failure(self.api, &e),
        }
    }
}

fn transport_failure(api: &'static Api, e: &reqwest::Error) -> Attempt {
    let kind = ErrorKind::Transport {
        message: crate::log::scrub(&error_chain(e)),
        timeout: e.is_timeout(),
    };
    Attempt::Failed {
        error: HttpError::new(api, kind),
        connect: e.is_connect() && !e.is_timeout(),
    }
}

/// The error and its sources, without the URL (which reqwest prints and we already know).
pub fn error_chain(e: &reqwest::Error) -> String {
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

fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    parse_retry_after(headers.get(RETRY_AFTER)?.to_str().ok()?, now)
}

/// `Retry-After` as delta-seconds (`120`) or an HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`),
/// as a wait from `now`; a date in the past means "now". Anything else is ignored (our own
/// backoff applies). A wait past the deadline ends the call with a deadline error that says
/// so, rather than being shortened.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(v).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
