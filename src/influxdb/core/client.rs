//! `CoreClient`: the `/api/v3` administration API of InfluxDB 3 Core and Enterprise with
//! `Bearer` auth, on the shared HTTP core ([`crate::influxdb::http`]: retries, `Retry-After`,
//! trust, proxies, redaction). It adds the endpoints, the SQL it sends to `/api/v3/query_sql`
//! (always a GET, so a read never drops the refresh snapshots), and asks `/ping` once which
//! server it talks to. Every token string a create returns is registered with
//! [`crate::log::redact`].

use std::sync::Arc;

use serde::de::DeserializeOwned;
use tokio::sync::OnceCell;
use tokio_util::sync::CancellationToken;

use super::models::{
    CreateNamedAdminToken, CreateResourceToken, CreateTable, CreatedToken, DatabaseBody,
    DatabaseRow, PingBody, SchemaRow, ServerInfo, TableRetention, TokenRow,
};
use super::snapshots::Snapshots;
use super::CORE_API;
use crate::influxdb::http::{
    self, query, CoreConfig, CreateError, HttpCore, HttpError, Listing, Policy,
};
use reqwest::Method;

/// The database the system tables of the server live in.
pub const INTERNAL_DB: &str = "_internal";

#[derive(Clone, Debug)]
pub struct CoreClient {
    pub(super) core: HttpCore,
    server: Arc<OnceCell<ServerInfo>>,
    snapshots: Arc<Snapshots>,
}

/// A SQL string literal.
pub fn sql_text(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

impl CoreClient {
    pub const DEFAULT_POLICY: Policy = Policy::DEFAULT;

    /// `host`: the server's URL, e.g. `http://localhost:8181`. `ca_certificate`: extra trusted
    /// root(s), PEM; the system roots stay trusted.
    pub fn new(
        host: &str,
        token: &str,
        policy: Policy,
        ca_certificate: Option<&str>,
        cancel: CancellationToken,
    ) -> Result<CoreClient, HttpError> {
        let snapshots = Arc::new(Snapshots::default());
        let core = HttpCore::new(CoreConfig {
            api: &CORE_API,
            base: http::base_url(&CORE_API, host, "")?,
            auth_scheme: "Bearer",
            token,
            policy,
            ca_certificate,
            cancel,
        })?
        .with_snapshots(snapshots.clone());
        Ok(CoreClient {
            core,
            server: Arc::default(),
            snapshots,
        })
    }

    pub fn base_url(&self) -> &str {
        self.core.base_url()
    }

    pub(super) fn snapshots(&self) -> &Snapshots {
        &self.snapshots
    }

    // ---- the server ----

    /// `GET /ping`: Core or Enterprise (`X-Influxdb-Build`, else the body's `product_name`),
    /// and the version.
    pub async fn ping(&self) -> Result<ServerInfo, HttpError> {
        let (body, build): (PingBody, _) = self
            .core
            .get_with_header("/ping", "x-influxdb-build")
            .await?;
        let enterprise = match build {
            Some(b) => b.eq_ignore_ascii_case("enterprise"),
            None => body
                .product_name
                .as_deref()
                .is_some_and(|p| p.to_ascii_lowercase().contains("enterprise")),
        };
        Ok(ServerInfo {
            enterprise,
            version: body.version.unwrap_or_else(|| "(unknown version)".into()),
        })
    }

    /// Which server this is, asked once per provider process.
    pub async fn server(&self) -> Result<ServerInfo, HttpError> {
        self.server.get_or_try_init(|| self.ping()).await.cloned()
    }

    /// [`CoreClient::server`] for code that cannot await (plan rules run synchronously): the
    /// answer once known, else `/ping` asked on this worker thread. `None` where blocking is
    /// not possible (outside a multi-threaded runtime); the apply checks again then.
    pub fn server_now(&self) -> Option<Result<ServerInfo, HttpError>> {
        if let Some(s) = self.server.get() {
            return Some(Ok(s.clone()));
        }
        let handle = tokio::runtime::Handle::try_current().ok()?;
        if handle.runtime_flavor() != tokio::runtime::RuntimeFlavor::MultiThread {
            return None;
        }
        Some(tokio::task::block_in_place(|| {
            handle.block_on(self.server())
        }))
    }

    // ---- SQL ----

    /// `GET /api/v3/query_sql?db=DB&q=SQL&format=json`: the rows.
    pub async fn query<T: DeserializeOwned>(
        &self,
        db: &str,
        sql: &str,
    ) -> Result<Vec<T>, HttpError> {
        let q = query(&[("db", Some(db)), ("q", Some(sql)), ("format", Some("json"))]);
        self.core.get(&format!("/api/v3/query_sql{q}")).await
    }

    // ---- tokens ----

    /// Every token (`SELECT * FROM system.tokens`).
    pub async fn list_tokens(&self) -> Result<Vec<TokenRow>, HttpError> {
        self.query(INTERNAL_DB, "SELECT * FROM system.tokens").await
    }

    /// The token named `name`, asked now (not from the snapshot).
    pub async fn find_token(&self, name: &str) -> Result<Option<TokenRow>, HttpError> {
        let sql = format!(
            "SELECT * FROM system.tokens WHERE name = {}",
            sql_text(name)
        );
        let rows: Vec<TokenRow> = self.query(INTERNAL_DB, &sql).await?;
        Ok(rows.into_iter().find(|t| t.name == name))
    }

    pub async fn create_named_admin_token(
        &self,
        body: &CreateNamedAdminToken,
    ) -> Result<CreatedToken, CreateError> {
        self.core
            .create_with_secret(
                "/api/v3/configure/token/named_admin",
                body,
                ("token", "delete"),
            )
            .await
    }

    /// Enterprise only.
    pub async fn create_resource_token(
        &self,
        body: &CreateResourceToken,
    ) -> Result<CreatedToken, CreateError> {
        self.core
            .create_with_secret(
                "/api/v3/enterprise/configure/token",
                body,
                ("token", "delete"),
            )
            .await
    }

    pub async fn delete_token(&self, name: &str) -> Result<(), HttpError> {
        let q = query(&[("token_name", Some(name))]);
        self.core
            .delete(&format!("/api/v3/configure/token{q}"))
            .await
    }

    // ---- databases ----

    /// Every database with its retention (`SELECT * FROM system.databases`), soft-deleted ones
    /// included (`deleted`, under their new names).
    pub async fn list_databases(&self) -> Result<Vec<DatabaseRow>, HttpError> {
        self.query(INTERNAL_DB, "SELECT * FROM system.databases")
            .await
    }

    /// The live database named `name`, asked now (not from the snapshot).
    pub async fn find_database(&self, name: &str) -> Result<Option<DatabaseRow>, HttpError> {
        Ok(self
            .list_databases()
            .await?
            .into_iter()
            .find(|d| d.database_name == name && !d.deleted))
    }

    pub async fn create_database(&self, body: &DatabaseBody) -> Result<(), CreateError> {
        self.core
            .post_once("/api/v3/configure/database", body)
            .await
    }

    /// Sets the retention (`None` clears it).
    pub async fn update_database(&self, body: &DatabaseBody) -> Result<(), HttpError> {
        self.core
            .send_empty(Method::PUT, "/api/v3/configure/database", Some(body))
            .await
    }

    /// Soft-deletes, or hard-deletes at `hard_delete_at` (`now`, `never`, `default`, RFC 3339).
    pub async fn delete_database(
        &self,
        name: &str,
        hard_delete_at: Option<&str>,
    ) -> Result<(), HttpError> {
        let q = query(&[("db", Some(name)), ("hard_delete_at", hard_delete_at)]);
        self.core
            .delete(&format!("/api/v3/configure/database{q}"))
            .await
    }

    // ---- tables ----

    pub async fn create_table(&self, body: &CreateTable) -> Result<(), CreateError> {
        self.core.post_once("/api/v3/configure/table", body).await
    }

    /// Enterprise: sets a table's retention (`None` clears it).
    pub async fn update_table(&self, body: &TableRetention) -> Result<(), HttpError> {
        self.core
            .send_empty(Method::PUT, "/api/v3/configure/table", Some(body))
            .await
    }

    pub async fn delete_table(
        &self,
        db: &str,
        table: &str,
        hard_delete_at: Option<&str>,
    ) -> Result<(), HttpError> {
        let q = query(&[
            ("db", Some(db)),
            ("table", Some(table)),
            ("hard_delete_at", hard_delete_at),
        ]);
        self.core
            .delete(&format!("/api/v3/configure/table{q}"))
            .await
    }

    /// The columns of `table` in `db` (`system.influxdb_schema`); empty when the table does not
    /// exist (every table has a `time` column).
    pub async fn table_columns(&self, db: &str, table: &str) -> Result<Vec<SchemaRow>, HttpError> {
        let sql = format!(
            "SELECT key, data_type FROM system.influxdb_schema WHERE measurement = {}",
            sql_text(table)
        );
        self.query(db, &sql).await
    }
}

// ---- refresh: reads served from the snapshots ----

impl CoreClient {
    /// Every token by name, from this process's snapshot.
    pub async fn tokens_snapshot(&self) -> Result<Arc<Listing<TokenRow>>, HttpError> {
        self.snapshots().tokens.get(|| self.list_tokens()).await
    }

    /// Every database by current name, from this process's snapshot.
    pub async fn databases_snapshot(&self) -> Result<Arc<Listing<DatabaseRow>>, HttpError> {
        self.snapshots()
            .databases
            .get(|| self.list_databases())
            .await
    }

    /// A token for a refresh, by name; `None` when the server has none of that name.
    pub async fn read_token(&self, name: &str) -> Result<Option<TokenRow>, HttpError> {
        Ok(self.tokens_snapshot().await?.get(name).cloned())
    }

    /// A live database for a refresh; `None` when it does not exist or is soft-deleted.
    pub async fn read_database(&self, name: &str) -> Result<Option<DatabaseRow>, HttpError> {
        Ok(self
            .databases_snapshot()
            .await?
            .get(name)
            .filter(|d| !d.deleted)
            .cloned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_text_doubles_quotes() {
        assert_eq!(sql_text("o'k"), "'o''k'");
    }

    #[test]
    fn debug_never_prints_the_token() {
        let c = CoreClient::new(
            "http://h:8181",
            "apiv3_secret_xyz",
            CoreClient::DEFAULT_POLICY,
            None,
            CancellationToken::new(),
        )
        .unwrap();
        assert!(!format!("{c:?}").contains("apiv3_secret"));
        assert_eq!(c.base_url(), "http://h:8181");
    }
}
