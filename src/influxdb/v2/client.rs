//! `V2Client`: the InfluxDB OSS v2 / Cloud Serverless API (`/api/v2`) with `Token` auth, on the
//! shared HTTP core ([`crate::influxdb::http`]: retries, `Retry-After`, trust, proxies,
//! redaction). It adds the endpoints and the [`V2_API`] wording of errors: the API's
//! `{ code, message }` bodies turned into sentences that say what to check. Every token
//! string a create returns is registered with [`crate::log::redact`].

use reqwest::Method;
use serde::Deserialize;
use tokio_util::sync::CancellationToken;

use super::models::{
    Authorization, Authorizations, CreateAuthorization, Organization, Organizations,
    UpdateAuthorization,
};
use crate::influxdb::http::{
    self, query, segment, Api, CoreConfig, CreateError, HttpCore, HttpError, Policy,
};
pub use crate::influxdb::http::{gone_is_ok, CreateOutcome, ErrorKind};

/// An error of `/api/v2`.
pub type V2Error = HttpError;
/// A failed create of `/api/v2`.
pub type V2CreateError = CreateError;

/// The v2 API's error body: `{ "code": "invalid", "message": "..." }`.
#[derive(Deserialize)]
struct ErrorBody {
    message: String,
}

/// How `/api/v2`'s errors are worded.
pub static V2_API: Api = Api {
    subject: "InfluxDB",
    object: "InfluxDB",
    log_name: "v2 API",
    client_name: "InfluxDB v2 client",
    url_setting: "the provider's `host` (or INFLUX_HOST)",
    url_example: "\"http://localhost:8086\"",
    token_setting: "the provider's `token` argument or the INFLUX_TOKEN environment variable",
    ca_setting: "the provider's `ca_certificate`",
    unauthorized: |message| {
        format!(
            "InfluxDB rejected the provider's token (401 Unauthorized: {message}). Check the \
             provider's `token` argument or the INFLUX_TOKEN environment variable: the token \
             may be wrong, inactive, or belong to a deleted user."
        )
    },
    forbidden: |message| {
        format!(
            "The provider's token is not allowed to do this (403 Forbidden: {message}). \
             Managing authorizations needs a token with read and write permission on \
             `authorizations` for the organization (an operator or all-access token), and \
             a token can only grant permissions it holds itself."
        )
    },
    conflict_hint: "",
    error_body_message: |body| {
        serde_json::from_slice::<ErrorBody>(body)
            .ok()
            .map(|b| b.message)
    },
};

/// Filters of `GET /api/v2/authorizations`.
#[derive(Clone, Debug, Default)]
pub struct AuthorizationFilter {
    pub user_id: Option<String>,
    pub user: Option<String>,
    pub org_id: Option<String>,
    pub org: Option<String>,
}

#[derive(Clone, Debug)]
pub struct V2Client {
    core: HttpCore,
}

impl V2Client {
    /// A client with the default timings ([`Policy::DEFAULT`]).
    pub fn new(host: &str, token: &str, cancel: CancellationToken) -> Result<V2Client, V2Error> {
        Self::with_policy(host, token, Self::DEFAULT_POLICY, cancel)
    }

    pub const DEFAULT_POLICY: Policy = Policy::DEFAULT;

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
        let core = HttpCore::new(CoreConfig {
            api: &V2_API,
            base: http::base_url(&V2_API, host, "/api/v2")?,
            auth_scheme: "Token",
            token,
            policy,
            ca_certificate,
            cancel,
        })?;
        Ok(V2Client { core })
    }

    pub fn base_url(&self) -> &str {
        self.core.base_url()
    }

    // ---- organizations ----

    /// The organization with this name; `None` when there is none.
    pub async fn find_org(&self, name: &str) -> Result<Option<Organization>, V2Error> {
        let path = format!("/orgs{}", query(&[("org", Some(name))]));
        match self.core.get::<Organizations>(&path).await {
            Ok(o) => Ok(o.orgs.into_iter().find(|o| o.name == name)),
            // OSS answers 404 for an unknown name.
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub async fn get_org(&self, id: &str) -> Result<Organization, V2Error> {
        self.core.get(&format!("/orgs/{}", segment(id))).await
    }

    /// The resource types this server knows (`GET /api/v2/resources`), which the `influx` CLI
    /// uses to build all-access and operator tokens.
    pub async fn resource_types(&self) -> Result<Vec<String>, V2Error> {
        self.core.get("/resources").await
    }

    // ---- authorizations ----

    pub async fn list_authorizations(
        &self,
        f: &AuthorizationFilter,
    ) -> Result<Vec<Authorization>, V2Error> {
        let q = query(&[
            ("userID", f.user_id.as_deref()),
            ("user", f.user.as_deref()),
            ("orgID", f.org_id.as_deref()),
            ("org", f.org.as_deref()),
        ]);
        let list: Authorizations = self.core.get(&format!("/authorizations{q}")).await?;
        Ok(list.authorizations)
    }

    pub async fn get_authorization(&self, id: &str) -> Result<Authorization, V2Error> {
        self.core
            .get(&format!("/authorizations/{}", segment(id)))
            .await
    }

    /// Creates an authorization; the result carries the token string, never returned again.
    pub async fn create_authorization(
        &self,
        body: &CreateAuthorization,
    ) -> Result<Authorization, V2CreateError> {
        let auth: Authorization = self.core.create("/authorizations", body).await?;
        match auth.token.as_deref() {
            Some(t) if !t.is_empty() => {
                crate::log::redact(t);
                Ok(auth)
            }
            _ => Err(V2CreateError {
                error: self.core.error(ErrorKind::Decode {
                    message: format!(
                        "the create response for authorization {} has no token, so the token \
                         string is lost; delete that authorization and create a new one.",
                        auth.id
                    ),
                }),
                outcome: CreateOutcome::Unknown,
            }),
        }
    }

    pub async fn update_authorization(
        &self,
        id: &str,
        body: &UpdateAuthorization,
    ) -> Result<Authorization, V2Error> {
        self.core
            .send(
                Method::PATCH,
                &format!("/authorizations/{}", segment(id)),
                body,
            )
            .await
    }

    pub async fn delete_authorization(&self, id: &str) -> Result<(), V2Error> {
        self.core
            .delete(&format!("/authorizations/{}", segment(id)))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_accepts_a_host_with_or_without_the_api_prefix() {
        let base = |h: &str| http::base_url(&V2_API, h, "/api/v2");
        for h in [
            "http://localhost:8086",
            "http://localhost:8086/",
            "http://localhost:8086/api/v2",
        ] {
            assert_eq!(base(h).unwrap(), "http://localhost:8086/api/v2");
        }
        assert!(base("localhost:8086").is_err());
    }

    #[test]
    fn errors_carry_the_servers_message_and_say_what_to_check() {
        let e = V2Error::from_status(
            &V2_API,
            401,
            br#"{"code":"unauthorized","message":"unauthorized access"}"#,
        );
        let text = e.to_string();
        assert!(text.contains("unauthorized access") && text.contains("INFLUX_TOKEN"));
        let e = V2Error::from_status(&V2_API, 400, b"not json");
        assert!(e.to_string().contains("not json"));
    }

    #[test]
    fn debug_never_prints_the_token() {
        let c = V2Client::new("http://h", "v2-secret-token-xyz", CancellationToken::new()).unwrap();
        assert!(!format!("{c:?}").contains("v2-secret"));
    }
}
