//! `V2Client`: the InfluxDB OSS v2 / Cloud Serverless API (`/api/v2`) with `Token` auth, on the
//! shared HTTP core ([`crate::influxdb::http`]: retries, `Retry-After`, trust, proxies,
//! redaction). It adds the endpoints and the [`super::V2_API`] wording of errors: the API's
//! `{ code, message }` bodies turned into sentences that say what to check. Every token
//! string a create returns is registered with [`crate::log::redact`].

use tokio_util::sync::CancellationToken;

use super::models::{
    Authorization, Authorizations, CreateAuthorization, Organization, Organizations,
    UpdateAuthorization,
};
use super::V2_API;
use crate::influxdb::http::{
    self, item, query, CoreConfig, CreateError, HttpCore, HttpError, Policy,
};
pub use crate::influxdb::http::{gone_is_ok, CreateOutcome, ErrorKind};

/// An error of `/api/v2`.
pub type V2Error = HttpError;
/// A failed create of `/api/v2`.
pub type V2CreateError = CreateError;

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
        self.core.get(&item("/orgs", id)).await
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
        self.core.get(&item("/authorizations", id)).await
    }

    /// Creates an authorization; the result carries the token string, never returned again.
    pub async fn create_authorization(
        &self,
        body: &CreateAuthorization,
    ) -> Result<Authorization, V2CreateError> {
        let what = ("authorization", "delete");
        self.core
            .create_with_secret("/authorizations", body, what)
            .await
    }

    pub async fn update_authorization(
        &self,
        id: &str,
        body: &UpdateAuthorization,
    ) -> Result<Authorization, V2Error> {
        self.core.patch(&item("/authorizations", id), body).await
    }

    pub async fn delete_authorization(&self, id: &str) -> Result<(), V2Error> {
        self.core.delete(&item("/authorizations", id)).await
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
