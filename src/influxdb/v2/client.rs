//! `V2Client`: the InfluxDB OSS v2 / Cloud Serverless API (`/api/v2`) with `Token` auth, on the
//! shared HTTP core ([`crate::influxdb::http`]: retries, `Retry-After`, trust, proxies,
//! redaction). It adds the endpoints and the [`super::V2_API`] wording of errors: the API's
//! `{ code, message }` bodies turned into sentences that say what to check. Every token
//! string a create returns, and every password sent, is registered with
//! [`crate::log::redact`]. Every write drops the refresh snapshots ([`super::snapshots`]).

use std::sync::Arc;

use serde::Serialize;
use tokio_util::sync::CancellationToken;

use super::models::{
    Authorization, Authorizations, Bucket, Buckets, CreateAuthorization, CreateBucket, Member,
    Members, Organization, OrganizationBody, Organizations, UpdateAuthorization, UpdateBucket,
    User, UserBody, Users,
};
use super::snapshots::Snapshots;
use super::V2_API;
use crate::influxdb::http::Listing;
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

/// The largest page `GET /api/v2/buckets` serves.
pub const BUCKET_PAGE: usize = 100;

#[derive(Clone, Debug)]
pub struct V2Client {
    pub(super) core: HttpCore,
    /// Shared by clones: what a refresh reads (see [`super::snapshots`]).
    snapshots: Arc<Snapshots>,
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
        let snapshots = Arc::new(Snapshots::default());
        let core = core.with_snapshots(snapshots.clone());
        Ok(V2Client { core, snapshots })
    }

    pub(crate) fn snapshots(&self) -> &Snapshots {
        &self.snapshots
    }

    pub fn base_url(&self) -> &str {
        self.core.base_url()
    }

    /// What the server says it is: the `X-Influxdb-Build` header of `GET /ping` (`oss` on
    /// InfluxDB OSS 2.x; InfluxData's clients take one containing `cloud` for InfluxDB Cloud).
    /// `None` when the server does not say.
    pub async fn build(&self) -> Option<String> {
        self.core
            .probe_header("/api/v2", "/ping", "X-Influxdb-Build")
            .await
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

    pub async fn create_org(&self, body: &OrganizationBody) -> Result<Organization, V2CreateError> {
        self.core.create("/orgs", body).await
    }

    pub async fn update_org(
        &self,
        id: &str,
        body: &OrganizationBody,
    ) -> Result<Organization, V2Error> {
        self.core.patch(&item("/orgs", id), body).await
    }

    pub async fn delete_org(&self, id: &str) -> Result<(), V2Error> {
        self.core.delete(&item("/orgs", id)).await
    }

    /// The members (`role` "member") or owners ("owner") of an organization.
    pub async fn list_members(&self, org_id: &str, role: &str) -> Result<Vec<Member>, V2Error> {
        let list: Members = self.core.get(&members_path(org_id, role)).await?;
        Ok(list.users)
    }

    pub async fn add_member(
        &self,
        org_id: &str,
        role: &str,
        user_id: &str,
    ) -> Result<Member, V2CreateError> {
        #[derive(Serialize)]
        struct Body<'a> {
            id: &'a str,
        }
        self.core
            .create(&members_path(org_id, role), &Body { id: user_id })
            .await
    }

    pub async fn remove_member(
        &self,
        org_id: &str,
        role: &str,
        user_id: &str,
    ) -> Result<(), V2Error> {
        self.core
            .delete(&item(&members_path(org_id, role), user_id))
            .await
    }

    // ---- users ----

    pub async fn create_user(&self, body: &UserBody) -> Result<User, V2CreateError> {
        self.core.create("/users", body).await
    }

    pub async fn get_user(&self, id: &str) -> Result<User, V2Error> {
        self.core.get(&item("/users", id)).await
    }

    /// The user with this name; `None` when there is none (OSS answers 404).
    pub async fn find_user(&self, name: &str) -> Result<Option<User>, V2Error> {
        let path = format!("/users{}", query(&[("name", Some(name))]));
        match self.core.get::<Users>(&path).await {
            Ok(u) => Ok(u.users.into_iter().find(|u| u.name == name)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub async fn update_user(&self, id: &str, body: &UserBody) -> Result<User, V2Error> {
        self.core.patch(&item("/users", id), body).await
    }

    pub async fn delete_user(&self, id: &str) -> Result<(), V2Error> {
        self.core.delete(&item("/users", id)).await
    }

    /// Sets a user's password (`POST /users/{id}/password`, 204). Sent once: never retried
    /// after it may have reached the server. The password is registered for redaction.
    pub async fn set_password(&self, id: &str, password: &str) -> Result<(), V2CreateError> {
        #[derive(Serialize)]
        struct Body<'a> {
            password: &'a str,
        }
        crate::log::redact(password);
        self.core
            .post_once(
                &format!("{}/password", item("/users", id)),
                &Body { password },
            )
            .await
    }

    // ---- buckets ----

    pub async fn create_bucket(&self, body: &CreateBucket) -> Result<Bucket, V2CreateError> {
        self.core.create("/buckets", body).await
    }

    pub async fn get_bucket(&self, id: &str) -> Result<Bucket, V2Error> {
        self.core.get(&item("/buckets", id)).await
    }

    /// The bucket `name` of `org_id`; `None` when there is none (OSS answers 404).
    pub async fn find_bucket(&self, org_id: &str, name: &str) -> Result<Option<Bucket>, V2Error> {
        let q = query(&[("orgID", Some(org_id)), ("name", Some(name))]);
        match self.core.get::<Buckets>(&format!("/buckets{q}")).await {
            Ok(b) => Ok(b.buckets.into_iter().find(|b| b.name == name)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Every bucket the token may read, in one paginated listing: pages of
    /// [`BUCKET_PAGE`] by ID with `after` (no org filter, which would ignore `after`). With
    /// `org_id`, the org's buckets by name, paged with `offset`.
    pub async fn list_buckets(&self, org_id: Option<&str>) -> Result<Vec<Bucket>, V2Error> {
        let mut all: Vec<Bucket> = Vec::new();
        let limit = BUCKET_PAGE.to_string();
        loop {
            let offset = all.len().to_string();
            let after = all.last().map(|b| b.id.clone());
            let q = match org_id {
                Some(o) => query(&[
                    ("orgID", Some(o)),
                    ("limit", Some(&limit)),
                    ("offset", Some(&offset)),
                ]),
                None => query(&[("limit", Some(&limit)), ("after", after.as_deref())]),
            };
            let page: Buckets = self.core.get(&format!("/buckets{q}")).await?;
            let n = page.buckets.len();
            all.extend(page.buckets);
            if n < BUCKET_PAGE {
                return Ok(all);
            }
        }
    }

    pub async fn update_bucket(&self, id: &str, body: &UpdateBucket) -> Result<Bucket, V2Error> {
        self.core.patch(&item("/buckets", id), body).await
    }

    pub async fn delete_bucket(&self, id: &str) -> Result<(), V2Error> {
        self.core.delete(&item("/buckets", id)).await
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

/// `/orgs/{id}/members` or `/orgs/{id}/owners`.
fn members_path(org_id: &str, role: &str) -> String {
    let plural = if role == "owner" { "owners" } else { "members" };
    format!("{}/{plural}", item("/orgs", org_id))
}

// ---- refresh: reads served from the snapshots ----

impl V2Client {
    /// Every authorization the token may read, from this process's snapshot.
    pub async fn authorizations_snapshot(&self) -> Result<Arc<Listing<Authorization>>, V2Error> {
        self.snapshots()
            .authorizations
            .get(|| async {
                self.list_authorizations(&AuthorizationFilter::default())
                    .await
            })
            .await
    }

    /// Every bucket the token may read, from this process's snapshot.
    pub async fn buckets_snapshot(&self) -> Result<Arc<Listing<Bucket>>, V2Error> {
        self.snapshots()
            .buckets
            .get(|| self.list_buckets(None))
            .await
    }

    /// An authorization for a refresh: from the snapshot, or, when the list does not have it,
    /// from one GET (a 404 there means it is gone; a list that lags must not make Terraform
    /// create a second token).
    pub async fn read_authorization(&self, id: &str) -> Result<Authorization, V2Error> {
        if let Some(a) = self.authorizations_snapshot().await?.get(id) {
            return Ok(a.clone());
        }
        self.get_authorization(id).await
    }

    /// A bucket for a refresh: from the snapshot, else from one GET.
    pub async fn read_bucket(&self, id: &str) -> Result<Bucket, V2Error> {
        if let Some(b) = self.buckets_snapshot().await?.get(id) {
            return Ok(b.clone());
        }
        self.get_bucket(id).await
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
