//! `V1Client`: InfluxDB 1.x's `/query` (OSS 1.x and Enterprise 1.x serve the same API) on the
//! shared HTTP core ([`crate::influxdb::http`]: retries, `Retry-After`, trust, proxies,
//! redaction). The credentials go as HTTP basic auth, never in a URL or a log line.
//!
//! Several statements go in one `POST /query` (a form, so that hundreds fit), and the answer
//! has one result per statement: a read of 1,000 databases' retention policies is one request.
//! A statement's own error (200 with `"error"` in its result) becomes an [`HttpError`] like an
//! error status, worded by [`super::V1_API`]; a 401 names the URL and the user.

use std::sync::Arc;

use base64::Engine as _;
use tokio_util::sync::CancellationToken;

use super::models::{DatabaseRow, QueryResponse, RetentionPolicyRow, StatementResult};
use super::snapshots::Snapshots;
use super::V1_API;
use crate::influxdb::http::{
    self, CoreConfig, CreateError, CreateOutcome, ErrorKind, HttpCore, HttpError, Listing, Policy,
};
use crate::influxdb::v1::influxql::quote_ident;

#[derive(Clone, Debug)]
pub struct V1Client {
    core: HttpCore,
    /// The user the provider signs in as (`None`: a server without authentication).
    username: Option<String>,
    snapshots: Arc<Snapshots>,
}

/// Whether a statement changes the server, and whether sending it twice is harmless.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// `SHOW ...`: retried freely, keeps the snapshots.
    Read,
    /// A write that may be sent again after a lost answer (`CREATE DATABASE`, `ALTER
    /// RETENTION POLICY`, `DROP ...`, `GRANT`, ...): retried, drops the snapshots.
    Idempotent,
    /// A write sent at most once once it may have left the client.
    Once,
}

impl V1Client {
    pub const DEFAULT_POLICY: Policy = Policy::DEFAULT;

    /// `url`: the server's URL, e.g. `http://localhost:8086`. Without `username` the requests
    /// carry no credentials (a server with `auth-enabled = false`).
    pub fn new(
        url: &str,
        credentials: Option<(&str, &str)>,
        policy: Policy,
        ca_certificate: Option<&str>,
        cancel: CancellationToken,
    ) -> Result<V1Client, HttpError> {
        let snapshots = Arc::new(Snapshots::default());
        let (scheme, token) = match credentials {
            Some((user, password)) => {
                crate::log::redact(password);
                let token =
                    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
                ("Basic", token)
            }
            None => ("", String::new()),
        };
        let core = HttpCore::new(CoreConfig {
            api: &V1_API,
            base: http::base_url(&V1_API, url, "")?,
            auth_scheme: scheme,
            token: &token,
            policy,
            ca_certificate,
            cancel,
        })?
        .with_snapshots(snapshots.clone());
        Ok(V1Client {
            core,
            username: credentials.map(|(u, _)| u.to_owned()),
            snapshots,
        })
    }

    pub fn base_url(&self) -> &str {
        self.core.base_url()
    }

    pub fn username(&self) -> Option<&str> {
        self.username.as_deref()
    }

    pub(super) fn snapshots(&self) -> &Snapshots {
        &self.snapshots
    }

    /// An error of this API.
    pub fn error(&self, kind: ErrorKind) -> HttpError {
        self.core.error(kind)
    }

    /// Sends `statements` in one `POST /query`: one result per statement, in order. An error
    /// of the whole request is an error; a statement's own error is in its result (see
    /// [`statement_error`]).
    pub async fn send(
        &self,
        statements: &[String],
        effect: Effect,
    ) -> Result<Vec<StatementResult>, CreateError> {
        if statements.is_empty() {
            return Ok(Vec::new());
        }
        let q = statements.join(";\n");
        crate::debug!(
            "influxql",
            "statements" = statements.len(),
            "effect" = format!("{effect:?}")
        );
        let write = effect != Effect::Read;
        let bytes = self
            .core
            .post_form("/query", &[("q", &q)], write, effect != Effect::Once)
            .await
            .map_err(|e| CreateError {
                error: self.with_context(e.error),
                outcome: e.outcome,
            })?;
        let answer: QueryResponse = serde_json::from_slice(&bytes).map_err(|e| CreateError {
            error: self.error(ErrorKind::Decode {
                message: crate::log::scrub(&format!(
                    "the /query answer is not the JSON InfluxDB 1.x writes ({e})"
                )),
            }),
            outcome: if write {
                CreateOutcome::Unknown
            } else {
                CreateOutcome::NotSent
            },
        })?;
        if let Some(e) = answer.error {
            return Err(CreateError {
                error: statement_error(&e),
                outcome: CreateOutcome::Unknown,
            });
        }
        let mut results = answer.results;
        results.sort_by_key(|r| r.statement_id);
        Ok(results)
    }

    /// [`V1Client::send`] for reads: the error alone.
    pub async fn read(&self, statements: &[String]) -> Result<Vec<StatementResult>, HttpError> {
        self.send(statements, Effect::Read)
            .await
            .map_err(|e| e.error)
    }

    /// Runs idempotent writes and fails on the first statement that failed.
    pub async fn execute(&self, statements: &[String]) -> Result<(), HttpError> {
        let results = self
            .send(statements, Effect::Idempotent)
            .await
            .map_err(|e| e.error)?;
        first_error(&results)
    }

    /// A 401 or a 403 says which URL and which user (never the password).
    fn with_context(&self, e: HttpError) -> HttpError {
        let who = || match &self.username {
            Some(u) => format!("{} as user {u:?}", self.base_url()),
            None => format!("{} with no username (none is set)", self.base_url()),
        };
        match &e.kind {
            ErrorKind::Unauthorized { message } => self.error(ErrorKind::Unauthorized {
                message: format!("{message}; {}", who()),
            }),
            ErrorKind::Forbidden { message } => self.error(ErrorKind::Forbidden {
                message: format!("{message}; {}", who()),
            }),
            _ => e,
        }
    }

    // ---- databases ----

    /// Every database with its retention policies: `SHOW USERS; SHOW DATABASES` (the first
    /// proves the provider's user is an admin, whose `SHOW DATABASES` lists every database:
    /// a non-admin's lists only those it may read), then every database's `SHOW RETENTION
    /// POLICIES` in one request.
    pub async fn list_databases(&self) -> Result<Vec<DatabaseRow>, HttpError> {
        let results = self
            .read(&["SHOW USERS".to_owned(), "SHOW DATABASES".to_owned()])
            .await?;
        first_error(&results)?;
        let names: Vec<String> = results
            .get(1)
            .map(|r| {
                r.rows()
                    .filter_map(|row| row.text("name").map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let statements: Vec<String> = names
            .iter()
            .map(|n| format!("SHOW RETENTION POLICIES ON {}", quote_ident(n)))
            .collect();
        let policies = self.read(&statements).await?;
        let mut out = Vec::with_capacity(names.len());
        for (i, name) in names.into_iter().enumerate() {
            let Some(result) = policies.get(i) else {
                continue;
            };
            // Dropped between the two requests.
            if result.error.is_some() {
                continue;
            }
            out.push(DatabaseRow {
                name,
                policies: result
                    .rows()
                    .filter_map(|r| RetentionPolicyRow::from_row(&r))
                    .collect(),
            });
        }
        Ok(out)
    }

    /// The database named `name` with its policies, asked now (not from the snapshot).
    pub async fn find_database(&self, name: &str) -> Result<Option<DatabaseRow>, HttpError> {
        let results = self
            .read(&[format!("SHOW RETENTION POLICIES ON {}", quote_ident(name))])
            .await?;
        let Some(result) = results.first() else {
            return Ok(None);
        };
        if let Some(e) = &result.error {
            let e = statement_error(e);
            return if e.is_not_found() { Ok(None) } else { Err(e) };
        }
        Ok(Some(DatabaseRow {
            name: name.to_owned(),
            policies: result
                .rows()
                .filter_map(|r| RetentionPolicyRow::from_row(&r))
                .collect(),
        }))
    }

    /// Every database by name, from this process's snapshot.
    pub async fn databases_snapshot(&self) -> Result<Arc<Listing<DatabaseRow>>, HttpError> {
        self.snapshots()
            .databases
            .get(|| self.list_databases())
            .await
    }

    /// A database for a refresh; `None` when the server has none of that name.
    pub async fn read_database(&self, name: &str) -> Result<Option<DatabaseRow>, HttpError> {
        Ok(self.databases_snapshot().await?.get(name).cloned())
    }
}

/// A statement's own error as an [`HttpError`]: "... not found" is a 404, "... already
/// exists" or a conflict a 409, anything else a refused request (400). All permanent.
pub fn statement_error(message: &str) -> HttpError {
    let message = crate::log::scrub(message);
    let m = message.to_ascii_lowercase();
    let kind = if m.contains("not found") {
        ErrorKind::NotFound { message }
    } else if m.contains("already exists") || m.contains("conflict") {
        ErrorKind::Conflict { message }
    } else if m.contains("not authorized") || m.contains("requires admin") {
        ErrorKind::Forbidden { message }
    } else {
        ErrorKind::Invalid {
            status: 400,
            message,
        }
    };
    HttpError::new(&V1_API, kind)
}

/// The first statement error of `results`, if any.
pub fn first_error(results: &[StatementResult]) -> Result<(), HttpError> {
    match results.iter().find_map(|r| r.error.as_deref()) {
        Some(e) => Err(statement_error(e)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_prints_the_password() {
        let c = V1Client::new(
            "http://h:8086",
            Some(("admin", "v1-secret-xyz")),
            V1Client::DEFAULT_POLICY,
            None,
            CancellationToken::new(),
        )
        .unwrap();
        assert!(!format!("{c:?}").contains("v1-secret"));
        assert_eq!(c.base_url(), "http://h:8086");
    }

    #[test]
    fn statement_errors_are_classified() {
        assert!(statement_error("database not found: x").is_not_found());
        assert!(statement_error("user already exists").is_conflict());
        assert_eq!(
            statement_error("retention policy duration must be at least 1h0m0s").status(),
            Some(400)
        );
    }
}
